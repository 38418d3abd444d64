// Reading records: rows loaded into records (to_a, each), the finder methods
// (find, find_by, first, last, exists?), count and size, pluck, and batches
// (find_in_batches, find_each).
#include "model/store.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/store_support.hpp"
#include "storage/query_plan.hpp"

namespace fw::model {

// A row of `model`'s table, by column name: a select list may hold fewer columns.
RecordPtr Queries::load_row(const ModelClass& model, const storage::Row& row, ColumnMap& map) {
  int count = row.size();
  if (!map.decided) {
    map.decided = true;
    map.in_order = static_cast<size_t>(count) == model.columns.size();
    for (int i = 0; map.in_order && i < count; ++i) map.in_order = row.name_is(i, model.columns[static_cast<size_t>(i)].name);
    if (!map.in_order)
      for (int i = 0; i < count; ++i) map.columns.push_back(model.column_index(row.name(i)));
  }
  std::vector<Value> values;
  if (map.in_order) {
    values.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) values.push_back(row[i]);
  } else {
    values.resize(model.columns.size());
    for (int i = 0; i < count; ++i)
      if (int column = map.columns[static_cast<size_t>(i)]; column >= 0) values[static_cast<size_t>(column)] = row[i];
  }
  auto record = std::make_shared<Record>(stored_class(model, values), std::move(values));
  if (record->model().runs_on_load) {  // as ActiveRecord's init_with: after_find, then after_initialize
    store_.persistence().run_callbacks(*record, CallbackKind::AfterFind);
    store_.persistence().run_callbacks(*record, CallbackKind::AfterInitialize);
  }
  return record;
}

// The model a row is a record of: with single-table inheritance, the class
// its type column names (User.find gives a Moderator), as ActiveRecord's
// instantiate; ActiveRecord::SubclassNotFound for a name that is no such class.
const ModelClass& Queries::stored_class(const ModelClass& model, const std::vector<Value>& values) const {
  int column = model.inheritance_index;
  if (column < 0) return model;
  const Value& type = values[static_cast<size_t>(column)];
  if (is_blank(type)) return model;
  std::string name = value_to_s(type);
  if (name == model.name) return model;
  const ModelClass* found = store_.app().find(name);
  if (found && found->inherits_from(model)) return *found;
  if (found && found->inherits_from(model.base_class()))
    throw NamedError("ActiveRecord::SubclassNotFound",
                     fmt::format("Invalid single-table inheritance type: {} is not a subclass of {}", name, model.name));
  throw NamedError("ActiveRecord::SubclassNotFound",
                   fmt::format("The single-table inheritance mechanism failed to locate the subclass: '{}'. This "
                               "error is raised because the column '{}' is reserved for storing the class in case of "
                               "inheritance. Please rename this column if you didn't intend it to be used for storing "
                               "the inheritance class or overwrite {}.inheritance_column to use another column for "
                               "that information.",
                               name, model.inheritance_column, model.base_class().name));
}

std::string Queries::explain(const Relation& relation) {
  return storage::explain_text(store_.db(), relation.select(relation.projection(), label(relation.model(), "Load")));
}

RecordPtr Queries::load_first(const ModelClass& model, const storage::Query& query) {
  RecordPtr found;
  ColumnMap columns;
  store_.db().each(query, [&](const storage::Row& row) {
    if (!found) found = load_row(model, row, columns);
  });
  return found;
}

void Queries::stream(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  const ModelClass& m = relation.model();
  ColumnMap columns;  // the same for every row of the query
  auto load = [&](const storage::Row& row) { each_record(load_row(m, row, columns)); };
  std::string name = label(m, "Load");
  if (const storage::Query* query = relation.collection_query(name)) return store_.db().each(*query, load);
  store_.db().each(relation.select(relation.projection(), name), load);
}

void Queries::each(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  // An association's records are kept on its owner (to_a), as ActiveRecord keeps them.
  if (!store_.associations().loaded(relation) && relation.preload_values().empty() && !relation.is_association())
    return stream(relation, each_record);
  for (const auto& record : to_a(relation)) each_record(record);
}

std::vector<RecordPtr> Queries::to_a(const Relation& relation) {
  if (const auto* records = store_.associations().loaded(relation)) return *records;
  std::vector<RecordPtr> out;
  stream(relation, [&](const RecordPtr& r) { out.push_back(r); });
  store_.associations().preload(out, relation.preload_values());
  if (const Relation::Owner* owner = relation.owner(); owner && !owner->reflection->inverse_of.empty())
    for (const auto& r : out) set_inverse(*owner->reflection, owner->record, *r);
  // ActiveRecord's association cache: a record's collection, once loaded, is
  // what reading it gives until reload (or <<, create, delete on it); count
  // and further chaining query again. Rows another program adds meanwhile
  // show there only after u.reload or u.tweets.reload, as in rails console.
  // Not when its records hold their owner (inverse_of): the two would keep
  // each other alive, where Ruby's collector would free both.
  if (relation.is_association()) {
    const RecordPtr& owner = relation.owner()->record;
    bool held_back = std::any_of(out.begin(), out.end(), [&](const RecordPtr& r) {
      return std::any_of(r->targets().begin(), r->targets().end(), [&](const auto& t) { return t.second == owner; });
    });
    if (!held_back) relation.owner()->keep(out);
  }
  return out;
}

// inverse_of: a has_many's records know their owner without a query. (Not a
// has_one's: the owner caches its target, and the two would hold each other.)
void Queries::set_inverse(const Reflection& reflection, const RecordPtr& owner, Record& target) {
  if (!reflection.is_collection() || reflection.is_through() || reflection.inverse_of.empty()) return;
  const Reflection* back = target.model().reflection(reflection.inverse_of);
  if (back && back->is_belongs_to()) target.targets()[back->name] = owner;
}

RecordPtr Queries::first(const Relation& relation) {
  if (const auto* records = store_.associations().loaded(relation)) return records->empty() ? nullptr : records->front();
  auto rows = to_a(relation.ordered_for_first(false).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

RecordPtr Queries::last(const Relation& relation) {
  if (const auto* records = store_.associations().loaded(relation)) return records->empty() ? nullptr : records->back();
  auto rows = to_a(relation.ordered_for_first(true).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

// Batches by primary key: ORDER BY "users"."id" ASC LIMIT ?, then WHERE
// "users"."id" > ? (the last one's); a short batch is the last.
void Queries::find_in_batches(const Relation& relation, std::int64_t batch_size,
                            const std::function<void(const std::vector<RecordPtr>&)>& each_batch) {
  if (batch_size <= 0) throw ModelError("find_in_batches needs a batch_size above 0");
  std::optional<std::int64_t> remaining = relation.limit_value();
  Value last;
  while (!remaining || *remaining > 0) {
    std::int64_t size = remaining ? std::min(batch_size, *remaining) : batch_size;
    auto batch = to_a(relation.batch_after(last).limit(size));
    if (batch.empty()) return;
    each_batch(batch);
    if (static_cast<std::int64_t>(batch.size()) < size) return;
    if (remaining) *remaining -= size;
    last = batch.back()->id();
  }
}

void Queries::find_each(const Relation& relation, std::int64_t batch_size,
                      const std::function<void(const RecordPtr&)>& each_record) {
  find_in_batches(relation, batch_size, [&](const std::vector<RecordPtr>& batch) {
    for (const auto& record : batch) each_record(record);
  });
}

RecordPtr Queries::find(const Relation& relation, const Value& id) {
  const ModelClass& m = relation.model();
  // User.find(3), user(3): the model's query is built once, then given each
  // id (an integer one: another is cast, and goes the long way).
  bool by_integer = relation.is_plain() && std::holds_alternative<std::int64_t>(id);
  if (auto cached = find_queries_.find(&m); by_integer && cached != find_queries_.end()) {
    storage::Query& q = cached->second;  // given this id, then lent
    q.binds.front().value = id;
    RecordPtr found = load_first(m, q);
    if (!found) throw RecordNotFound::by(m.name, m.primary_key, id);
    return found;
  }
  Relation one = relation.where({{m.primary_key, id}}).limit(1);
  if (by_integer) {
    storage::Query q = one.select(one.projection(), label(m, "Load"));
    if (q.binds.size() == 2 && q.binds.front().value == id && q.binds.back().name == "LIMIT") find_queries_.emplace(&m, std::move(q));
  }
  auto rows = to_a(one);
  if (rows.empty()) throw RecordNotFound::by(m.name, m.primary_key, id);
  return rows.front();
}

RecordPtr Queries::find_by(const Relation& relation, const Attributes& conditions) {
  auto rows = to_a(relation.where(conditions).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

std::int64_t Queries::count(const Relation& relation) {
  return std::get<std::int64_t>(calculate(relation, Aggregate::Count));
}

std::int64_t Queries::size(const Relation& relation) {
  if (const auto* records = store_.associations().loaded(relation)) return static_cast<std::int64_t>(records->size());
  return count(relation);
}

bool Queries::exists(const Relation& relation) {
  return !is_null(store_.db().scalar(relation.limit(1).select("1 AS one", label(relation.model(), "Exists?"))));
}

bool Queries::exists(const Relation& relation, const Value& id) {
  return exists(relation.where({{relation.model().primary_key, id}}));
}

bool Queries::exists(const Relation& relation, const Attributes& conditions) {
  return exists(relation.where(conditions));
}

void Queries::pluck(const Relation& relation, const std::vector<std::string>& columns,
                  const std::function<void(std::vector<Value>&&)>& each_row) {
  const ModelClass& m = relation.model();
  std::vector<std::string> selected;
  std::vector<ColumnType> types;
  for (const auto& c : columns) {
    ColumnRef ref = relation.column_ref(c, "pluck");
    selected.push_back(ref.sql);
    types.push_back(ref.type);
  }
  store_.db().each(relation.select((relation.is_distinct() ? "DISTINCT " : "") + join(selected, ", "), label(m, "Pluck")),
           [&](const storage::Row& row) {
             std::vector<Value> values;
             for (int i = 0; i < row.size(); ++i)
               values.push_back(cast_from_database(types[static_cast<size_t>(i)], row[i]));
             each_row(std::move(values));
           });
}

}  // namespace fw::model

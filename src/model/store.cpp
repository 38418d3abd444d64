// Reading and writing records: queries, saves, destroys with their cascade.
#include "model/store.hpp"

#include <fmt/format.h>

#include "base/clock.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"

namespace fw::model {

using storage::quote_identifier;

namespace {
std::string label(const ModelClass& m, const char* what) { return m.name + " " + what; }

// What an attribute cannot take, named for its error; empty for one value or a record.
std::string many_kind(const Input& value) {
  switch (value.kind) {
    case Input::Kind::List: return "a list";
    case Input::Kind::Range: return "a range";
    case Input::Kind::Subquery: return "a relation";
    case Input::Kind::Hash: return "a hash";
    default: return "";
  }
}
}  // namespace

// ---- Reading ----

// A row of `model`'s table, by column name: a select list may hold fewer columns.
RecordPtr Store::load_row(const ModelClass& model, const storage::Row& row) {
  std::vector<Value> values(model.columns.size());
  for (int i = 0; i < row.size(); ++i) {
    int column = model.column_index(row.name(i));
    if (column >= 0) values[static_cast<size_t>(column)] = row[i];
  }
  auto record = std::make_shared<Record>(model);
  record->load(std::move(values));
  return record;
}

void Store::stream(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  const ModelClass& m = relation.model();
  db_.each(relation.select(relation.projection(), label(m, "Load")),
           [&](const storage::Row& row) { each_record(load_row(m, row)); });
}

void Store::each(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  if (!loaded(relation) && relation.preload_values().empty()) return stream(relation, each_record);
  for (const auto& record : to_a(relation)) each_record(record);
}

std::vector<RecordPtr> Store::to_a(const Relation& relation) {
  if (const auto* records = loaded(relation)) return *records;
  std::vector<RecordPtr> out;
  stream(relation, [&](const RecordPtr& r) { out.push_back(r); });
  preload(out, relation.preload_values());
  return out;
}

RecordPtr Store::first(const Relation& relation) {
  if (const auto* records = loaded(relation)) return records->empty() ? nullptr : records->front();
  auto rows = to_a(relation.ordered_for_first(false).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

RecordPtr Store::last(const Relation& relation) {
  if (const auto* records = loaded(relation)) return records->empty() ? nullptr : records->back();
  auto rows = to_a(relation.ordered_for_first(true).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

// Batches by primary key: ORDER BY "users"."id" ASC LIMIT ?, then WHERE
// "users"."id" > ? (the last one's); a short batch is the last.
void Store::find_in_batches(const Relation& relation, std::int64_t batch_size,
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

void Store::find_each(const Relation& relation, std::int64_t batch_size,
                      const std::function<void(const RecordPtr&)>& each_record) {
  find_in_batches(relation, batch_size, [&](const std::vector<RecordPtr>& batch) {
    for (const auto& record : batch) each_record(record);
  });
}

RecordPtr Store::find(const Relation& relation, const Value& id) {
  const ModelClass& m = relation.model();
  auto rows = to_a(relation.where({{m.primary_key, id}}).limit(1));
  if (rows.empty()) throw RecordNotFound::by(m.name, m.primary_key, id);
  return rows.front();
}

RecordPtr Store::find_by(const Relation& relation, const Attributes& conditions) {
  auto rows = to_a(relation.where(conditions).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

std::int64_t Store::count(const Relation& relation) {
  return std::get<std::int64_t>(calculate(relation, Aggregate::Count));
}

std::int64_t Store::size(const Relation& relation) {
  if (const auto* records = loaded(relation)) return static_cast<std::int64_t>(records->size());
  return count(relation);
}

bool Store::exists(const Relation& relation) {
  return !is_null(db_.scalar(relation.limit(1).select("1 AS one", label(relation.model(), "Exists?"))));
}

bool Store::exists(const Relation& relation, const Value& id) {
  return exists(relation.where({{relation.model().primary_key, id}}));
}

bool Store::exists(const Relation& relation, const Attributes& conditions) {
  return exists(relation.where(conditions));
}

void Store::pluck(const Relation& relation, const std::vector<std::string>& columns,
                  const std::function<void(std::vector<Value>&&)>& each_row) {
  const ModelClass& m = relation.model();
  std::vector<std::string> selected;
  std::vector<ColumnType> types;
  for (const auto& c : columns) {
    ColumnRef ref = relation.column_ref(c, "pluck");
    selected.push_back(ref.sql);
    types.push_back(ref.type);
  }
  db_.each(relation.select((relation.is_distinct() ? "DISTINCT " : "") + join(selected, ", "), label(m, "Pluck")),
           [&](const storage::Row& row) {
             std::vector<Value> values;
             for (int i = 0; i < row.size(); ++i)
               values.push_back(cast_from_database(types[static_cast<size_t>(i)], row[i]));
             each_row(std::move(values));
           });
}

// ---- Rollbacks ----

class Store::KeepOrRollBack {
 public:
  explicit KeepOrRollBack(Store& store) : store_(store), mark_(store.change_mark()) {}
  ~KeepOrRollBack() {
    if (!kept_) store_.roll_back_to(mark_);
  }
  KeepOrRollBack(const KeepOrRollBack&) = delete;
  KeepOrRollBack& operator=(const KeepOrRollBack&) = delete;
  void keep() { kept_ = true; }

 private:
  Store& store_;
  size_t mark_;
  bool kept_ = false;
};

void Store::remember(Record& record) {
  if (db_.transaction_depth() == 0) return;  // nothing can roll it back
  journal_.emplace_back(record.weak_from_this(), record.database_state());
}

// Newest first, so each record ends as it was at the mark.
void Store::roll_back_to(size_t mark) {
  while (journal_.size() > mark) {
    auto& [weak, state] = journal_.back();
    if (auto record = weak.lock()) record->restore(state);
    journal_.pop_back();
  }
}

// ---- The one place rows change ----

int Store::write(Change::Kind kind, const std::string& table, const storage::Query& query, const Relation* affected) {
  if (listener_) {
    Change change{kind, table, &query, {}};
    if (want_images_ && affected) {
      db_.each(affected->select(quote_identifier(table) + ".*", ""), [&](const storage::Row& row) {
        std::vector<std::pair<std::string, Value>> image;
        for (int i = 0; i < row.size(); ++i) image.push_back({row.name(i), row[i]});
        change.before.push_back(std::move(image));
      });
    }
    listener_(change);
  }
  try {
    return db_.changes(query);
  } catch (const storage::DbError& e) {
    if (e.is_unavailable()) throw;
    throw StatementInvalid::from(e);
  }
}

// ---- Records ----

RecordPtr Store::build(const ModelClass& model, const Attributes& attributes) {
  auto record = std::make_shared<Record>(model);
  for (const auto& [name, value] : attributes) assign(*record, name, value);
  return record;
}

void Store::assign(Record& record, const std::string& name, const Input& value) {
  const ModelClass& m = record.model();
  if (record.destroyed()) throw ModelError("can't modify frozen " + m.name);
  int column = m.column_index(name);
  if (column >= 0) {
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one value, not {}", m.name, name, many_kind(value)));
    Value v = value.kind == Input::Kind::Record ? (value.record ? value.record->id() : Value{}) : value.value;
    record.set(static_cast<size_t>(column), v);
    return;
  }
  const Reflection* r = m.reflection(name);
  if (r && r->is_belongs_to()) {
    if (value.kind == Input::Kind::Record && value.record) {
      if (&value.record->model() != r->klass)
        throw ModelError(fmt::format("{}({}) expected, got {} which is an instance of {}", r->klass->name,
                                     r->klass->name, value.record->model().name, value.record->model().name));
      record.targets()[name] = value.record;
      record.set(r->foreign_key, value.record->get(r->primary_key));
    } else if (!many_kind(value).empty()) {
      throw ModelError(fmt::format("{}.{} takes one {}, not {}", m.name, name, r->klass->name, many_kind(value)));
    } else {
      record.targets().erase(name);
      record.set(r->foreign_key, value.kind == Input::Kind::Record ? Value{} : value.value);
    }
    return;
  }
  if (r) throw ModelError(fmt::format("{} is a {} association of {}; add records with {}.{} << record", name,
                                      macro_name(r->macro), m.name, inflector::underscore(m.name), name));
  std::vector<std::string> names = m.column_names();
  for (const auto& refl : m.reflections)
    if (refl->is_belongs_to()) names.push_back(refl->name);
  throw UnknownAttributeError(m.name, name, names);
}

void Store::insert(Record& record) {
  const ModelClass& m = record.model();
  remember(record);
  std::string now = utc_timestamp();
  for (const char* stamp : {"created_at", "updated_at"}) {
    int i = m.column_index(stamp);
    if (i >= 0 && is_null(record.at(static_cast<size_t>(i)))) record.set(static_cast<size_t>(i), now);
  }
  storage::Query q{label(m, "Create"), "", {}};
  std::vector<std::string> names, marks;
  for (size_t i = 0; i < m.columns.size(); ++i) {
    if (is_null(record.at(i))) continue;  // left to the column's default
    names.push_back(quote_identifier(m.columns[i].name));
    marks.push_back("?");
    q.binds.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, record.at(i))});
  }
  q.sql = "INSERT INTO " + quote_identifier(m.table) +
          (names.empty() ? " DEFAULT VALUES" : " (" + join(names, ", ") + ") VALUES (" + join(marks, ", ") + ")");
  write(Change::Kind::Insert, m.table, q, nullptr);
  if (is_null(record.id())) record.set(m.primary_key, db_.last_insert_id());
  record.mark_saved();
}

void Store::update_row(Record& record) {
  const ModelClass& m = record.model();
  auto changed = record.changed_columns();
  if (changed.empty()) return;
  remember(record);
  int stamp = m.column_index("updated_at");
  if (stamp >= 0 && std::find(changed.begin(), changed.end(), static_cast<size_t>(stamp)) == changed.end()) {
    record.set(static_cast<size_t>(stamp), utc_timestamp());
    changed.push_back(static_cast<size_t>(stamp));
  }
  std::vector<storage::Bind> sets;
  for (size_t i : changed) sets.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, record.at(i))});
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  write(Change::Kind::Update, m.table, self.update_query(sets, label(m, "Update")), &self);
  record.mark_saved();
}

bool Store::save(Record& record) {
  if (record.destroyed()) throw ModelError("can't modify frozen " + record.model().name);
  return valid(record) && persist(record);
}

// Saves without validating the record itself (update_attribute, toggle!);
// false when a new parent it was given does not save.
bool Store::persist(Record& record) {
  KeepOrRollBack records(*this);
  storage::Transaction tx(db_);
  // A new parent assigned as a record is saved first, as ActiveRecord's autosave does.
  for (auto& [name, parent] : record.targets()) {
    const Reflection* r = record.model().reflection(name);
    if (!parent || !parent->new_record() || !r->is_belongs_to()) continue;
    if (!save(*parent)) return false;
    record.set(r->foreign_key, parent->get(r->primary_key));
  }
  if (record.new_record()) insert(record);
  else update_row(record);
  tx.commit();
  records.keep();
  return true;
}

void Store::save_strict(Record& record) {
  if (!save(record)) throw RecordInvalid(record);
}

bool Store::update(Record& record, const Attributes& attributes) {
  for (const auto& [name, value] : attributes) assign(record, name, value);
  return save(record);
}

void Store::update_strict(Record& record, const Attributes& attributes) {
  if (!update(record, attributes)) throw RecordInvalid(record);
}

void Store::reload(Record& record) {
  const ModelClass& m = record.model();
  auto fresh = to_a(Relation(m).where({{m.primary_key, record.id()}}).limit(1));
  if (fresh.empty()) throw RecordNotFound::by(m.name, m.primary_key, record.id());
  std::vector<Value> values;
  for (size_t i = 0; i < m.columns.size(); ++i) values.push_back(fresh.front()->at(i));
  record.load(std::move(values));
  record.reset_associations();
  record.errors().clear();
}

// ---- Destroying ----

bool Store::run_dependents(Record& record) {
  const ModelClass& m = record.model();
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});  // borrowed for the relations below
  for (const auto& r : m.reflections) {
    if (r->dependent == Dependent::None || r->is_belongs_to()) continue;
    // A through association's dependents are its join records.
    const Reflection& step = r->is_through() ? *r->through_reflection : *r;
    Relation children = Relation::association(owner, step);
    switch (r->dependent) {
      case Dependent::RestrictWithError:
        if (exists(children)) {
          std::string what = inflector::humanize(r->name);
          what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
          record.errors().add("base", r->macro == Macro::HasOne
                                          ? "Cannot delete record because a dependent " + what + " exists"
                                          : "Cannot delete record because dependent " + what + " exist");
          return false;
        }
        break;
      case Dependent::RestrictWithException:
        if (exists(children)) throw DeleteRestrictionError(r->name);
        break;
      case Dependent::Destroy:
        for (const auto& child : to_a(children)) {
          if (!destroy(*child)) {
            for (const auto& message : child->errors().full_messages()) record.errors().add("base", message);
            return false;
          }
        }
        break;
      case Dependent::Delete:
      case Dependent::DeleteAll: delete_all(children); break;
      case Dependent::Nullify: {
        const Reflection& direct = step;
        write(Change::Kind::Update, direct.klass->table,
              children.update_query({{direct.foreign_key, Value{}}}, label(*direct.klass, "Update All")), &children);
        break;
      }
      case Dependent::None: break;
    }
  }
  for (const auto& r : m.reflections) {
    if (r->macro != Macro::HasAndBelongsToMany) continue;
    storage::Query q{r->join_table + " Delete All",
                     "DELETE FROM " + quote_identifier(r->join_table) + " WHERE " +
                         quote_identifier(r->join_table) + "." + quote_identifier(r->foreign_key) + " = ?",
                     {{r->foreign_key, record.get(r->primary_key)}}};
    write(Change::Kind::Delete, r->join_table, q, nullptr);
  }
  return true;
}

bool Store::destroy(Record& record) {
  const ModelClass& m = record.model();
  record.errors().clear();
  if (record.destroyed()) return true;
  if (record.new_record()) {
    record.mark_destroyed();
    return true;
  }
  KeepOrRollBack records(*this);
  storage::Transaction tx(db_);
  if (!run_dependents(record)) return false;  // the transaction rolls back what ran
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  write(Change::Kind::Delete, m.table, self.delete_query(label(m, "Destroy")), &self);
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});
  for (const auto& r : m.reflections) {
    if (!r->is_belongs_to() || r->dependent == Dependent::None) continue;
    Relation parent = Relation::association(owner, *r);
    if (r->dependent == Dependent::Delete) {
      delete_all(parent);
    } else if (auto p = first(parent); p && !destroy(*p)) {
      for (const auto& message : p->errors().full_messages()) record.errors().add("base", message);
      return false;
    }
  }
  tx.commit();
  remember(record);
  record.mark_destroyed();
  records.keep();
  return true;
}

std::vector<RecordPtr> Store::destroy_all(const Relation& relation) {
  KeepOrRollBack undo(*this);
  storage::Transaction tx(db_);
  auto records = to_a(relation);
  for (const auto& r : records) destroy(*r);
  tx.commit();
  undo.keep();
  return records;
}

int Store::delete_all(const Relation& relation) {
  const ModelClass& m = relation.model();
  return write(Change::Kind::Delete, m.table, relation.delete_query(label(m, "Delete All")), &relation);
}

}  // namespace fw::model

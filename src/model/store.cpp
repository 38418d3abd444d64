// Reading and writing records: queries, saves, destroys with their cascade.
#include "model/store.hpp"

#include <fmt/format.h>

#include "base/clock.hpp"
#include "base/password.hpp"
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
// A timestamp is made in a datetime column's own form; a column of another
// type (a date) casts it as any value.
void set_timestamp(Record& record, size_t column, const std::string& now) {
  if (record.model().columns[column].type == ColumnType::DateTime) record.set_cast(column, now);
  else record.set(column, now);
}

}  // namespace

// ---- Reading ----

// A row of `model`'s table, by column name: a select list may hold fewer columns.
RecordPtr Store::load_row(const ModelClass& model, const storage::Row& row, ColumnMap& map) {
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
  return std::make_shared<Record>(model, std::move(values));
}

RecordPtr Store::load_first(const ModelClass& model, const storage::Query& query) {
  RecordPtr found;
  ColumnMap columns;
  db_.each(query, [&](const storage::Row& row) {
    if (!found) found = load_row(model, row, columns);
  });
  return found;
}

void Store::stream(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  const ModelClass& m = relation.model();
  ColumnMap columns;  // the same for every row of the query
  db_.each(relation.select(relation.projection(), label(m, "Load")),
           [&](const storage::Row& row) { each_record(load_row(m, row, columns)); });
}

void Store::each(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record) {
  // An association's records are kept on its owner (to_a), as ActiveRecord keeps them.
  if (!loaded(relation) && relation.preload_values().empty() && !relation.is_association())
    return stream(relation, each_record);
  for (const auto& record : to_a(relation)) each_record(record);
}

std::vector<RecordPtr> Store::to_a(const Relation& relation) {
  if (const auto* records = loaded(relation)) return *records;
  std::vector<RecordPtr> out;
  stream(relation, [&](const RecordPtr& r) { out.push_back(r); });
  preload(out, relation.preload_values());
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
void Store::set_inverse(const Reflection& reflection, const RecordPtr& owner, Record& target) {
  if (!reflection.is_collection() || reflection.is_through() || reflection.inverse_of.empty()) return;
  const Reflection* back = target.model().reflection(reflection.inverse_of);
  if (back && back->is_belongs_to()) target.targets()[back->name] = owner;
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

size_t Store::enroll(Record& record) {
  if (!record.model().has_transaction_callbacks()) return kNotEnrolled;
  for (size_t i = 0; i < enrolled_.size(); ++i)
    if (enrolled_[i].record.get() == &record) return i;
  auto self = record.weak_from_this().lock();
  if (!self) return kNotEnrolled;  // a scratch record nobody holds
  enrolled_.push_back({std::move(self), 0});
  return enrolled_.size() - 1;
}

// Created then updated in one transaction is a create; destroyed is a destroy.
void Store::completed(size_t enrolled, unsigned action) {
  if (enrolled >= enrolled_.size()) return;
  unsigned& done = enrolled_[enrolled].action;
  if (done == 0 || action == OnDestroy) done = action;
}

// Each record once, in the order its first save or destroy began; their
// callbacks may save records again, whose own callbacks follow.
void Store::end_transaction(bool committed, size_t mark) {
  for (int round = 0; enrolled_.size() > mark; ++round) {
    if (round == 100) {
      enrolled_.resize(mark);
      throw ModelError("after_commit callbacks kept saving records with callbacks of their own; stopped after 100 rounds");
    }
    std::vector<Enrolled> ended(enrolled_.begin() + static_cast<std::ptrdiff_t>(mark), enrolled_.end());
    enrolled_.resize(mark);
    for (const auto& e : ended) {
      if (e.action == 0) continue;
      for (const Callback* c : e.record->model().transaction_callbacks(committed, static_cast<TransactionAction>(e.action)))
        c->body(evaluator(), *e.record);  // a throw :abort here halts nothing: the transaction has ended
    }
  }
}

void Store::remember(Record& record) {
  if (db_.transaction_depth() == 0) return;  // nothing can roll it back
  journal_.push_back({changes_remembered_++, record.weak_from_this(), record.database_state()});
  if (journal_.size() < compact_journal_at_) return;
  // A record nothing holds cannot be seen again, so its state need not come back.
  journal_.erase(std::remove_if(journal_.begin(), journal_.end(), [](const JournalEntry& e) { return e.record.expired(); }),
                 journal_.end());
  compact_journal_at_ = std::max<size_t>(1024, 2 * journal_.size());
}

// Newest first, so each record ends as it was at the mark.
void Store::roll_back_to(size_t mark) {
  while (!journal_.empty() && journal_.back().mark >= mark) {
    if (auto record = journal_.back().record.lock()) record->restore(journal_.back().state);
    journal_.pop_back();
  }
}

// ---- The one place rows change ----

int Store::write(Change::Kind, const std::string&, const storage::Query& query, const Relation*) {
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

void Store::assign_nested(Record& record, const ModelClass::NestedAttributes& nested, const Input& value) {
  const Reflection& r = *nested.reflection;
  std::vector<const Input*> items;  // an array of hashes, or a hash of them keyed "0", "1", ... as a form sends them
  bool keyed = value.kind == Input::Kind::Hash && !value.hash.empty() &&
               std::all_of(value.hash.begin(), value.hash.end(), [](const auto& kv) { return kv.second.kind == Input::Kind::Hash; });
  if (value.kind == Input::Kind::List) {
    for (const auto& i : value.list) items.push_back(&i);
  } else if (keyed && r.is_collection()) {
    for (const auto& kv : value.hash) items.push_back(&kv.second);
  } else if (value.kind == Input::Kind::Hash) {
    items.push_back(&value);
  } else if (value.kind != Input::Kind::Scalar || !is_null(value.value)) {
    throw ModelError(fmt::format("{}_attributes takes {}", r.name, r.is_collection() ? "an array of hashes" : "a hash"));
  }
  RecordPtr owner;
  try {
    owner = record.shared_from_this();
  } catch (const std::bad_weak_ptr&) {
    owner = RecordPtr(&record, [](Record*) {});
  }
  for (const Input* item : items) {
    if (item->kind != Input::Kind::Hash) throw ModelError(fmt::format("{}_attributes takes hashes of attributes", r.name));
    Attributes attributes;
    Value id;
    bool destroy = false;
    for (const auto& [key, v] : item->hash) {
      if (key == "id") id = v.value;
      else if (key == "_destroy") destroy = cast_to_column(ColumnType::Boolean, v.value) == Value(true);  // "1", "t", true
      else attributes.push_back({key, v});
    }
    bool blank = std::all_of(attributes.begin(), attributes.end(),
                             [](const auto& kv) { return kv.second.kind == Input::Kind::Scalar && is_blank(kv.second.value); });
    if (nested.reject_all_blank && is_null(id) && blank) continue;
    if (is_null(id)) {
      if (!(destroy && nested.allow_destroy)) record.nested_changes().push_back({&r, build(*r.klass, attributes), false});
      continue;
    }
    RecordPtr child = record.new_record() ? nullptr : find_by(collection(owner, r), {{r.klass->primary_key, id}});
    if (!child)
      throw RecordNotFound(fmt::format("Couldn't find {} with ID={} for {} with ID={}", r.klass->name, value_to_s(id),
                                       record.model().name, value_to_s(record.id())));
    if (destroy && nested.allow_destroy) {
      record.nested_changes().push_back({&r, child, true});
      continue;
    }
    for (const auto& [key, v] : attributes) assign(*child, key, v);
    record.nested_changes().push_back({&r, child, false});
  }
}

bool Store::authenticate(const Record& record, const std::string& attribute, const std::string& password) const {
  const Value& digest = record.get(attribute + "_digest");
  if (is_null(digest)) throw ModelError("invalid hash");  // BCrypt::Errors::InvalidHash, as the gem raises it
  try {
    return bcrypt_matches(password, value_to_s(digest));
  } catch (const fw::Error& e) {
    throw ModelError(e.what());
  }
}

void Store::assign(Record& record, const std::string& name, const Input& value) {
  const ModelClass& m = record.model();
  if (record.destroyed()) throw ModelError("can't modify frozen " + m.name);
  int column = m.column_index(name);
  if (column < 0 && !m.nested_attributes.empty())
    if (const auto* nested = m.nested(name)) return assign_nested(record, *nested, value);
  if (column < 0 && m.is_virtual(name)) {
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one value, not {}", m.name, name, many_kind(value)));
    Value v = value.kind == Input::Kind::Record ? Value{} : value.value;
    if (m.is_secure_password(name)) {  // as ActiveModel::SecurePassword#password=
      if (is_null(v)) {
        record.set(name + "_digest", Value{});
      } else if (!value_to_s(v).empty()) {
        record.set(name + "_digest", bcrypt_digest(value_to_s(v), password_cost_));
      } else {
        return;  // an empty password changes nothing
      }
    }
    record.set_virtual(name, std::move(v));
    return;
  }
  if (column >= 0) {
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one value, not {}", m.name, name, many_kind(value)));
    Value v = value.kind == Input::Kind::Record ? (value.record ? value.record->id() : Value{}) : value.value;
    record.set(static_cast<size_t>(column), v);
    return;
  }
  const Reflection* r = m.reflection(name);
  if (r && r->polymorphic) {  // imageable: product(1) sets imageable_type and imageable_id
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one record, not {}", m.name, name, many_kind(value)));
    if (value.kind != Input::Kind::Record && !is_null(value.value))
      throw ModelError(fmt::format("{}.{} is polymorphic: give it a record (or set {} and {})", m.name, name,
                                   r->foreign_type, r->foreign_key));
    record.targets()[name] = value.record;
    record.set(r->foreign_type, value.record ? Value(value.record->model().name) : Value{});
    record.set(r->foreign_key, value.record ? value.record->id() : Value{});
    if (!value.record) record.targets().erase(name);
    return;
  }
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
    if (i >= 0 && is_null(record.at(static_cast<size_t>(i)))) set_timestamp(record, static_cast<size_t>(i), now);
  }
  storage::Query q{label(m, "Create"), "", {}};
  q.binds.reserve(m.columns.size());
  std::string shape(m.columns.size(), '0');
  for (size_t i = 0; i < m.columns.size(); ++i) {
    if (is_null(record.at(i))) continue;  // left to the column's default
    shape[i] = '1';
    q.binds.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, record.at(i))});
  }
  auto [cached, built] = insert_sql_.try_emplace({&m, shape});
  if (built) {
    std::vector<std::string> names, marks;
    for (size_t i = 0; i < m.columns.size(); ++i)
      if (shape[i] == '1') names.push_back(quote_identifier(m.columns[i].name)), marks.push_back("?");
    cached->second = "INSERT INTO " + quote_identifier(m.table) +
                     (names.empty() ? " DEFAULT VALUES" : " (" + join(names, ", ") + ") VALUES (" + join(marks, ", ") + ")");
  }
  q.sql = cached->second;
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
    set_timestamp(record, static_cast<size_t>(stamp), utc_timestamp());
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
  OutermostEnd ends(*this);
  KeepOrRollBack records(*this);
  storage::Transaction tx(db_);
  size_t enrolled = enroll(record);
  // A new parent assigned as a record is saved first, as ActiveRecord's autosave does.
  for (auto& [name, parent] : record.targets()) {
    const Reflection* r = record.model().reflection(name);
    if (!parent || !parent->new_record() || !r->is_belongs_to()) continue;
    if (!save(*parent)) return false;
    record.set(r->foreign_key, parent->get(r->primary_key));
  }
  bool created = record.new_record();
  if (!run_callbacks(record, CallbackKind::BeforeSave) ||
      !run_callbacks(record, created ? CallbackKind::BeforeCreate : CallbackKind::BeforeUpdate))
    return false;  // throw :abort: nothing saved, the transaction rolls back
  bool changed = created || record.changed();
  std::vector<std::pair<const Reflection*, Value>> old_keys;  // the parents' keys as the database has them
  for (const auto& r : record.model().reflections)
    if (r->is_belongs_to() && !r->polymorphic && (!r->counter_cache.empty() || r->touch))
      old_keys.push_back({r.get(), created ? Value{} : record.saved(static_cast<size_t>(record.model().column_index(r->foreign_key)))});
  if (created) insert(record);
  else update_row(record);
  if (changed) after_write_parents(record, created, false, old_keys);
  if (!save_nested(record)) return false;
  run_callbacks(record, created ? CallbackKind::AfterCreate : CallbackKind::AfterUpdate);
  run_callbacks(record, CallbackKind::AfterSave);
  completed(enrolled, created ? OnCreate : OnUpdate);
  tx.commit();
  records.keep();
  ends.committed();
  return true;
}

// The records accepts_nested_attributes_for gave `record`, saved (or
// destroyed) after it, with its key; false, and all rolled back, when one is not.
bool Store::save_nested(Record& record) {
  auto changes = std::move(record.nested_changes());
  record.nested_changes().clear();
  for (auto& change : changes) {
    const Reflection& r = *change.reflection;
    if (change.destroy) {
      if (!destroy(*change.record)) return false;
      continue;
    }
    change.record->set(r.foreign_key, record.get(r.primary_key));
    if (!r.as.empty()) change.record->set(r.foreign_type, Value(record.model().name));
    if (!save(*change.record)) {
      record.nested_changes() = std::move(changes);  // kept, so the errors can be read and fixed
      return false;
    }
  }
  return true;
}

// Each callback of the kind in declaration order; the first to throw :abort stops the rest.
bool Store::run_callbacks(Record& record, CallbackKind kind) {
  for (const Callback* c : record.model().callbacks_of(kind))
    if (!c->body(evaluator(), record)) return false;
  return true;
}

// belongs_to counter_cache: and touch: after a record was created, updated
// (its parent changed: the old one's count goes down, the new one's up) or destroyed.
void Store::after_write_parents(Record& record, bool created, bool destroyed,
                                const std::vector<std::pair<const Reflection*, Value>>& old_keys) {
  for (const auto& [r, old_key] : old_keys) {
    Value key = record.get(r->foreign_key);
    bool moved = !created && !destroyed && !values_equal(old_key, key);
    if (!r->counter_cache.empty()) {
      if (destroyed) {
        if (!is_null(old_key)) update_counter(*r, old_key, -1);
      } else if (created || moved) {
        if (moved && !is_null(old_key)) update_counter(*r, old_key, -1);
        if (!is_null(key)) update_counter(*r, key, +1);
      }
      // A loaded parent's count follows, as increment! keeps it.
      const RecordPtr* cached = record.cached_target(r->name);
      if (cached && *cached && (created || moved || destroyed)) {
        Record& parent = **cached;
        int by = values_equal(parent.get(r->primary_key), key) ? (destroyed ? -1 : +1)
                 : values_equal(parent.get(r->primary_key), old_key) && (moved || destroyed) ? -1 : 0;
        int column = r->klass->column_index(r->counter_cache);
        if (by != 0 && column >= 0) {
          const Value& count = parent.at(static_cast<size_t>(column));
          auto n = std::get_if<std::int64_t>(&count);
          parent.set(static_cast<size_t>(column), std::int64_t{(n ? *n : 0) + by});
          parent.clear_change(static_cast<size_t>(column));
        }
      }
    }
    if (r->touch) {
      std::string now = utc_timestamp();
      for (const Value& k : moved ? std::vector<Value>{old_key, key} : std::vector<Value>{destroyed ? old_key : key}) {
        if (is_null(k) || !r->klass->column("updated_at")) continue;
        Relation parent = Relation(*r->klass).where({{r->primary_key, k}});
        write(Change::Kind::Update, r->klass->table,
              parent.update_query({{"updated_at", now}}, label(*r->klass, "Update All")), &parent);
        if (const RecordPtr* cached = record.cached_target(r->name); cached && *cached && values_equal((*cached)->get(r->primary_key), k)) {
          (*cached)->set("updated_at", now);
          (*cached)->clear_change(static_cast<size_t>(r->klass->column_index("updated_at")));
        }
      }
    }
  }
}

// UPDATE "authors" SET "books_count" = COALESCE("books_count", 0) + ? WHERE "authors"."id" = ?, as
// ActiveRecord's update_counters; a loaded parent's attribute follows.
void Store::update_counter(const Reflection& r, const Value& parent_key, int by) {
  const ModelClass& parent = *r.klass;
  Relation row = Relation(parent).where({{r.primary_key, parent_key}});
  std::string column = quote_identifier(r.counter_cache);
  write(Change::Kind::Update, parent.table,
        row.update_query(column + " = COALESCE(" + column + ", 0) + ?", {{r.counter_cache, std::int64_t{by}}},
                         label(parent, "Update All")),
        &row);
}

void Store::save_strict(Record& record) {
  if (record.destroyed()) throw ModelError("can't modify frozen " + record.model().name);
  if (!valid(record)) throw RecordInvalid(record);  // a before_validation's throw :abort too: "Validation failed: "
  if (persist(record)) return;
  if (record.errors().empty()) throw RecordNotSaved("Failed to save the record");  // a before_save's throw :abort
  throw RecordInvalid(record);
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

// A has_* dependent: is a before_destroy callback of its own, declared with
// the association: callbacks and cascades run in the order they were
// declared, those with prepend: true first.
bool Store::run_before_destroy(Record& record) {
  const ModelClass& m = record.model();
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto cascades_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next)
      if (!run_dependent(record, *m.reflections[next])) return false;
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::BeforeDestroy)) {
    if (!c->prepend && !cascades_until(c->after_associations)) return false;
    if (!c->body(evaluator(), record)) return false;  // throw :abort: nothing destroyed
  }
  if (!cascades_until(m.reflections.size())) return false;
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

bool Store::run_dependent(Record& record, const Reflection& reflection) {
  const Reflection* r = &reflection;
  if (r->dependent == Dependent::None || r->is_belongs_to()) return true;
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});  // borrowed for the relations below
  {
    followed(*r);
    // A through association's dependents are its join records.
    const Reflection& step = r->is_through() ? *r->through_reflection : *r;
    Relation children = Relation::association(owner, step, evaluator());
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
        std::vector<storage::Bind> sets = {{direct.foreign_key, Value{}}};
        if (!direct.as.empty()) sets.push_back({direct.foreign_type, Value{}});
        write(Change::Kind::Update, direct.klass->table,
              children.update_query(sets, label(*direct.klass, "Update All")), &children);
        break;
      }
      case Dependent::None: break;
    }
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
  OutermostEnd ends(*this);
  KeepOrRollBack records(*this);
  storage::Transaction tx(db_);
  size_t enrolled = enroll(record);
  if (!run_before_destroy(record)) return false;  // the transaction rolls back what ran
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  int deleted = write(Change::Kind::Delete, m.table, self.delete_query(label(m, "Destroy")), &self);
  std::vector<std::pair<const Reflection*, Value>> parents;
  for (const auto& r : m.reflections)
    if (r->is_belongs_to() && !r->polymorphic && (!r->counter_cache.empty() || r->touch))
      parents.push_back({r.get(), record.saved(static_cast<size_t>(m.column_index(r->foreign_key)))});
  if (deleted > 0) after_write_parents(record, false, true, parents);
  // A belongs_to's dependent: is an after_destroy callback of its own: they run as declared.
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto parents_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next) {
      const Reflection& r = *m.reflections[next];
      if (!r.is_belongs_to() || r.dependent == Dependent::None) continue;
      followed(r);
      Relation parent = Relation::association(owner, r, evaluator());
      if (r.dependent == Dependent::Delete) {
        delete_all(parent);
      } else if (auto p = first(parent); p && !destroy(*p)) {
        for (const auto& message : p->errors().full_messages()) record.errors().add("base", message);
        return false;
      }
    }
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::AfterDestroy)) {
    if (!parents_until(c->after_associations)) return false;
    c->body(evaluator(), record);
  }
  if (!parents_until(m.reflections.size())) return false;
  completed(enrolled, OnDestroy);
  tx.commit();
  remember(record);
  record.mark_destroyed();
  records.keep();
  ends.committed();
  return true;
}

std::vector<RecordPtr> Store::destroy_all(const Relation& relation) {
  OutermostEnd ends(*this);
  KeepOrRollBack undo(*this);
  storage::Transaction tx(db_);
  auto records = to_a(relation);
  for (const auto& r : records) destroy(*r);
  // ActiveRecord marks the association loaded and empty: u.tweets.size is 0 now
  if (relation.is_association()) relation.owner()->keep({});
  tx.commit();
  undo.keep();
  ends.committed();
  return records;
}

int Store::delete_all(const Relation& relation) {
  const ModelClass& m = relation.model();
  int deleted = write(Change::Kind::Delete, m.table, relation.delete_query(label(m, "Delete All")), &relation);
  if (relation.is_association()) relation.owner()->keep({});
  return deleted;
}

}  // namespace fw::model

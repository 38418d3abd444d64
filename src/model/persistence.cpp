// Saving records: save and save! (validations, then in one transaction a new
// parent saved first, the callbacks, the INSERT or UPDATE, and the records
// accepts_nested_attributes_for gave it), update and update!, and reload.
#include "model/store.hpp"

#include "base/clock.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

namespace {

// A timestamp is made in a datetime column's own form; a column of another
// type (a date) casts it as any value.
void set_timestamp(Record& record, size_t column, const std::string& now) {
  if (record.model().columns[column].type == ColumnType::DateTime) record.set_cast(column, now);
  else record.set(column, now);
}

bool is_timestamp(const ModelClass& m, size_t column) {
  const std::string& name = m.columns[column].name;
  return name == "created_at" || name == "updated_at";
}

// What set_timestamp leaves in the column.
Value timestamp_value(ColumnType type, const std::string& now) {
  return type == ColumnType::DateTime ? Value(now) : cast_to_column(type, Value(now));
}

}  // namespace

// The INSERT that saves the new record, its timestamps (created_at and
// updated_at, where unset) made `now` (unless "": left unset); the record
// itself is left as it is.
storage::Query Persistence::insert_query(const Record& record, const std::string& now) {
  const ModelClass& m = record.model();
  storage::Query q{label(m, "Create"), "", {}};
  q.binds.reserve(m.columns.size());
  std::string shape(m.columns.size(), '0');
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const Value* value = &record.at(i);
    Value stamp;
    if (is_null(*value) && !now.empty() && is_timestamp(m, i)) value = &(stamp = timestamp_value(m.columns[i].type, now));
    if (is_null(*value)) continue;  // left to the column's default
    shape[i] = '1';
    q.binds.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, *value)});
  }
  auto [cached, built] = insert_sql_.try_emplace({&m, shape});
  if (built) {
    std::vector<std::string> names, marks;
    for (size_t i = 0; i < m.columns.size(); ++i)
      if (shape[i] == '1') names.push_back(quote_identifier(m.columns[i].name)), marks.push_back("?");
    cached->second = "INSERT INTO " + quote_identifier(m.table) +
                     (names.empty() ? " DEFAULT VALUES" : " (" + join(names, ", ") + ") VALUES (" + join(marks, ", ") + ")") +
                     (m.column_index(m.primary_key) >= 0 ? store_.db().returning_id(m.primary_key) : "");
  }
  q.sql = cached->second;
  return q;
}

void Persistence::insert(Record& record) {
  const ModelClass& m = record.model();
  store_.remember(record);
  // The time read_ahead sent this INSERT with, if it did: the same query then.
  std::string now = ahead_record_ == &record ? std::move(ahead_now_) : utc_timestamp();
  ahead_record_ = nullptr;
  for (size_t i = 0; i < m.columns.size(); ++i)
    if (is_null(record.at(i)) && is_timestamp(m, i)) set_timestamp(record, i, now);
  storage::Query q = insert_query(record, {});  // (its timestamps are set now)
  store_.write(Change::Kind::Insert, m.table, q, nullptr);
  if (is_null(record.id())) record.set(m.primary_key, store_.db().last_insert_id());
  record.mark_saved();
}

void Persistence::update_row(Record& record) {
  const ModelClass& m = record.model();
  auto changed = record.changed_columns();
  if (changed.empty()) return;
  store_.remember(record);
  int stamp = m.column_index("updated_at");
  if (stamp >= 0 && std::find(changed.begin(), changed.end(), static_cast<size_t>(stamp)) == changed.end()) {
    set_timestamp(record, static_cast<size_t>(stamp), utc_timestamp());
    changed.push_back(static_cast<size_t>(stamp));
  }
  std::vector<storage::Bind> sets;
  for (size_t i : changed) sets.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, record.at(i))});
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  store_.write(Change::Kind::Update, m.table, self.update_query(sets, label(m, "Update")), &self);
  record.mark_saved();
}

bool Persistence::save(Record& record) {
  if (record.destroyed()) throw ModelError("can't modify frozen " + record.model().name);
  return valid(record) && persist(record);
}

// Saves without validating the record itself (update_attribute, toggle!);
// false when a new parent it was given does not save.
bool Persistence::persist(Record& record) {
  Store::OutermostEnd ends(store_);
  Store::KeepOrRollBack records(store_);
  storage::Transaction tx(store_.db());
  size_t enrolled = store_.enroll(record);
  // A new parent assigned as a record is saved first, as ActiveRecord does.
  // One that does not save leaves the owner's key as it was and the owner is
  // saved all the same, as ActiveRecord 6.1's belongs_to does, unless autosave: true.
  for (auto& [name, parent] : record.targets()) {
    const Reflection* r = record.model().reflection(name);
    if (!parent || !parent->new_record() || !r->is_belongs_to()) continue;
    if (!save(*parent)) {
      if (r->autosave) return false;
      continue;
    }
    record.set(r->foreign_key, parent->get(r->primary_key));
  }
  bool created = record.new_record();
  if (!run_callbacks(record, CallbackKind::BeforeSave) ||
      !run_callbacks(record, created ? CallbackKind::BeforeCreate : CallbackKind::BeforeUpdate))
    return false;  // throw :abort: nothing saved, the transaction rolls back
  bool changed = created || record.changed();
  std::vector<std::pair<const Reflection*, Value>> old_keys;  // the parents' keys as the database has them
  for (const auto& r : record.model().reflections)
    if (r->kind().follows_writes(*r))
      old_keys.push_back({r.get(), created ? Value{} : record.saved(static_cast<size_t>(record.model().column_index(r->foreign_key)))});
  if (created) insert(record);
  else update_row(record);
  if (changed)  // a belongs_to's counter_cache: and touch:
    for (const auto& [r, old_key] : old_keys) r->kind().after_write(store_, record, *r, created, false, old_key);
  if (!save_nested(record)) return false;
  run_callbacks(record, created ? CallbackKind::AfterCreate : CallbackKind::AfterUpdate);
  run_callbacks(record, CallbackKind::AfterSave);
  store_.completed(enrolled, created ? OnCreate : OnUpdate);
  tx.commit();
  records.keep();
  ends.committed();
  return true;
}

// The records accepts_nested_attributes_for gave `record`, saved (or
// destroyed) after it, with its key; false, and all rolled back, when one is not.
bool Persistence::save_nested(Record& record) {
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
bool Persistence::run_callbacks(Record& record, CallbackKind kind) {
  for (const Callback* c : record.model().callbacks_of(kind)) {
    if (guards_pass(c->guards, store_.code(), record) && !c->body(store_.code(), record)) return false;
  }
  return true;
}

void Persistence::save_strict(Record& record) {
  if (record.destroyed()) throw ModelError("can't modify frozen " + record.model().name);
  if (!valid(record)) throw RecordInvalid(record);  // a before_validation's throw :abort too: "Validation failed: "
  if (persist(record)) return;
  if (record.errors().empty()) throw RecordNotSaved("Failed to save the record");  // a before_save's throw :abort
  throw RecordInvalid(record);
}

bool Persistence::update(Record& record, const Attributes& attributes) {
  for (const auto& [name, value] : attributes) assign(record, name, value);
  return save(record);
}

void Persistence::update_strict(Record& record, const Attributes& attributes) {
  if (!update(record, attributes)) throw RecordInvalid(record);
}

void Persistence::reload(Record& record) {
  const ModelClass& m = record.model();
  auto fresh = store_.queries().to_a(Relation(m).where({{m.primary_key, record.id()}}).limit(1));
  if (fresh.empty()) throw RecordNotFound::by(m.name, m.primary_key, record.id());
  std::vector<Value> values;
  for (size_t i = 0; i < m.columns.size(); ++i) values.push_back(fresh.front()->at(i));
  record.load(std::move(values));
  record.reset_associations();
  record.errors().clear();
}

}  // namespace fw::model

// Changes that skip validations and callbacks, as ActiveRecord's do:
// update_all, increment!/decrement!, toggle!, touch; and find_or_create_by.
#include <fmt/format.h>

#include "base/clock.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

namespace {

// The row of a saved record, as a relation: what its UPDATE filters on.
Relation row_of(const Record& record) {
  const ModelClass& m = record.model();
  return Relation(m).where({{m.primary_key, record.id()}});
}

size_t column_index(const ModelClass& m, const std::string& column) {
  int i = m.column_index(column);
  if (i < 0) throw UnknownAttributeError(m.name, column, m.column_names());
  return static_cast<size_t>(i);
}

// Ruby's truthiness of an attribute, as `attribute?` reads it.
bool attribute_present(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<std::int64_t>(&v)) return *i != 0;
  if (auto d = std::get_if<double>(&v)) return *d != 0;
  return !is_blank(v);
}

Value add_values(const Value& a, const Value& b) {
  auto ai = std::get_if<std::int64_t>(&a), bi = std::get_if<std::int64_t>(&b);
  if (ai && bi) return *ai + *bi;
  auto as_double = [](const Value& v) -> std::optional<double> {
    if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
  };
  auto x = as_double(a), y = as_double(b);
  if (!x || !y) throw ModelError("increment! and decrement! work on number columns and take a number");
  return *x + *y;
}

Value negated(const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return -*i;
  if (auto d = std::get_if<double>(&v)) return -*d;
  return v;
}

bool is_negative(const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return *i < 0;
  if (auto d = std::get_if<double>(&v)) return *d < 0;
  return false;
}

}  // namespace

int Queries::update_all(const Relation& relation, const Attributes& attributes) {
  const ModelClass& m = relation.model();
  Record scratch(m);  // casts each value by its column, a belongs_to record to its key
  std::vector<storage::Bind> sets;
  for (const auto& [name, value] : attributes) {
    store_.persistence().assign(scratch, name, value);
    const Reflection* r = m.reflection(name);
    size_t i = column_index(m, r && r->is_belongs_to() ? r->foreign_key : name);
    sets.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, scratch.at(i))});
  }
  if (sets.empty()) throw ModelError("update_all needs the columns to set: update_all(column: value)");
  return store_.write(Change::Kind::Update, m.table, relation.update_query(sets, label(m, "Update All")), &relation);
}

RecordPtr Queries::find_or_create_by(const Relation& relation, const Attributes& attributes, bool strict) {
  if (auto found = find_by(relation, attributes)) return found;
  if (relation.owner() && relation.owner()->reflection->is_collection())
    return store_.associations().create_in(relation, attributes, strict);
  auto record = store_.associations().build_in(relation, attributes);
  if (strict) store_.persistence().save_strict(*record);
  else store_.persistence().save(*record);
  return record;
}

RecordPtr Queries::find_or_initialize_by(const Relation& relation, const Attributes& attributes) {
  if (auto found = find_by(relation, attributes)) return found;
  return store_.associations().build_in(relation, attributes);
}

// As ActiveRecord's increment!: the attribute changes in memory, and the row
// by the difference, UPDATE ... SET c = COALESCE(c, 0) + ?, whatever else it holds.
void Persistence::increment(Record& record, const std::string& column, const Value& by) {
  const ModelClass& m = record.model();
  size_t i = column_index(m, column);
  Value before = record.at(i);
  Value after = add_values(is_null(before) ? Value(std::int64_t{0}) : before, by);
  record.set(i, after);
  Value change = add_values(record.at(i), negated(is_null(record.saved(i)) ? Value(std::int64_t{0}) : record.saved(i)));
  std::string lhs = storage::quote_identifier(column);
  std::string set = lhs + " = COALESCE(" + lhs + ", 0)" + (is_negative(change) ? " - ?" : " + ?");
  Relation row = row_of(record);
  auto q = row.update_query(set, {{column, is_negative(change) ? negated(change) : change}}, label(m, "Update All"));
  store_.write(Change::Kind::Update, m.table, q, &row);
  store_.remember(record);
  record.clear_change(i);
}

void Persistence::toggle(Record& record, const std::string& column) {
  size_t i = column_index(record.model(), column);
  record.set(i, !attribute_present(record.at(i)));
  if (record.destroyed()) throw ModelError("can't modify frozen " + record.model().name);
  persist(record);
}

void Persistence::touch(Record& record, const std::vector<std::string>& columns) {
  const ModelClass& m = record.model();
  if (!record.persisted())
    throw ModelError("cannot touch on a new or destroyed record object. Consider using persisted?, new_record?, or "
                     "destroyed? before touching.");
  std::vector<size_t> touched;
  if (int stamp = m.column_index("updated_at"); stamp >= 0) touched.push_back(static_cast<size_t>(stamp));
  for (const auto& c : columns) touched.push_back(column_index(m, c));
  if (touched.empty()) return;
  std::string now = utc_timestamp();
  for (size_t i : touched) record.set(i, now);
  write_columns(record, touched);
}

// update_columns(a: 1), update_column(:a, 1): straight to the row, no
// validations, callbacks or timestamps, as ActiveRecord's.
void Persistence::update_columns(Record& record, const Attributes& attributes) {
  const ModelClass& m = record.model();
  if (record.new_record()) throw ModelError("can't update on a new record object");
  if (record.destroyed()) throw ModelError("can't update on a destroyed record object");
  std::vector<size_t> columns;
  for (const auto& [name, value] : attributes) {
    size_t i = column_index(m, name);
    record.set(i, value.kind == Input::Kind::Record && value.record ? value.record->id() : value.value);
    columns.push_back(i);
  }
  write_columns(record, columns);
}

// One UPDATE of the row with these columns' values; they are saved after it.
void Persistence::write_columns(Record& record, const std::vector<size_t>& columns) {
  const ModelClass& m = record.model();
  if (columns.empty()) return;
  std::vector<storage::Bind> sets;
  for (size_t i : columns) sets.push_back({m.columns[i].name, cast_for_database(m.columns[i].type, record.at(i))});
  Relation row = row_of(record);
  store_.write(Change::Kind::Update, m.table, row.update_query(sets, label(m, "Update")), &row);
  store_.remember(record);
  for (size_t i : columns) record.clear_change(i);
}

}  // namespace fw::model

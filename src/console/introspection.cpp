#include "console/introspection.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "console/printer.hpp"
#include "model/model_class.hpp"

namespace fw::console {

namespace {

std::string default_text(const Value& v) { return is_null(v) ? "" : value_to_s(v); }

std::string index_line(const storage::IndexInfo& index) {
  std::string kind = index.origin == "pk" ? " (primary key)" : index.unique ? " UNIQUE" : "";
  return fmt::format("  {} ({}){}\n", index.name, join(index.columns, ", "), kind);
}

std::string foreign_key_line(const storage::ForeignKeyInfo& fk) {
  std::string to = fk.to_column.empty() ? fk.to_table : fk.to_table + "." + fk.to_column;
  std::string on_delete = fk.on_delete == "NO ACTION" ? "" : " ON DELETE " + fk.on_delete;
  return fmt::format("  {} -> {}{}\n", fk.column, to, on_delete);
}

std::string one_schema(const model::ModelClass& m, storage::Database& db, const Terminal& terminal) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : db.columns(m.table))
    rows.push_back({c.name, c.declared_type, c.not_null ? "NOT NULL" : "null", default_text(c.default_value),
                    c.primary_key ? "primary key" : ""});
  std::string out = fmt::format("{} (table {})\n", m.name, m.table);
  out += text_table({"column", "type", "null", "default", "key"}, rows, terminal);
  auto indexes = db.indexes(m.table);
  out += indexes.empty() ? "Indexes: none\n" : "Indexes:\n";
  for (const auto& i : indexes) out += index_line(i);
  auto fks = db.foreign_keys(m.table);
  out += fks.empty() ? "Foreign keys: none\n" : "Foreign keys:\n";
  for (const auto& fk : fks) out += foreign_key_line(fk);
  return out;
}

// Options beyond the table's columns: habtm's join table, optional belongs_to.
std::string other_options(const model::Reflection& r) {
  std::vector<std::string> out;
  if (!r.join_table.empty()) out.push_back("join_table: " + r.join_table);
  if (!r.association_foreign_key.empty()) out.push_back("association_foreign_key: " + r.association_foreign_key);
  if (r.optional) out.push_back("optional: true");
  return join(out, ", ");
}

}  // namespace

const model::ModelClass& model_named(const model::App& app, const std::string& name) {
  if (const auto* m = app.find(name)) return *m;
  throw fw::Error(fmt::format("no model named '{}'.{}", name, suggestion_suffix(name, app.model_names())));
}

// As ActiveRecord finds an inverse by itself: on the target model, the
// association back to this one over the same foreign key (or join table).
const model::Reflection* inverse_of(const model::Reflection& r) {
  if (r.is_through() || !r.klass) return nullptr;
  for (const auto& other : r.klass->reflections) {
    if (other->is_through() || other->klass != r.owner || other.get() == &r) continue;
    bool habtm = r.macro == model::Macro::HasAndBelongsToMany;
    if (habtm && other->macro == model::Macro::HasAndBelongsToMany && other->join_table == r.join_table) return other.get();
    if (!habtm && r.is_belongs_to() != other->is_belongs_to() && other->macro != model::Macro::HasAndBelongsToMany &&
        other->foreign_key == r.foreign_key)
      return other.get();
  }
  return nullptr;
}

std::string models_text(const model::App& app, storage::Database& db, const Terminal& terminal) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : app.models()) {
    Value count = db.scalar({"SCHEMA", "SELECT COUNT(*) FROM " + storage::quote_identifier(m->table), {}});
    rows.push_back({m->name, m->table, value_to_s(count)});
  }
  return text_table({"model", "table", "rows"}, rows, terminal);
}

std::string schema_text(const model::App& app, storage::Database& db, const std::string& name, const Terminal& terminal) {
  if (!name.empty()) return one_schema(model_named(app, name), db, terminal);
  std::string out;
  for (const auto& m : app.models()) out += (out.empty() ? "" : "\n") + one_schema(*m, db, terminal);
  return out;
}

// One model's associations (`associations User`), or every model's, a
// model column first (`associations`).
std::string associations_text(const model::App& app, const std::string& name, const Terminal& terminal) {
  std::vector<const model::ModelClass*> models;
  if (name.empty()) {
    for (const auto& model_name : app.model_names()) models.push_back(&model_named(app, model_name));
  } else {
    models.push_back(&model_named(app, name));
    if (models.front()->reflections.empty()) return models.front()->name + " has no associations\n";
  }
  std::vector<std::vector<std::string>> rows;
  bool options = false;
  for (const auto* m : models) {
    for (const auto& r : m->reflections) {
      const auto* inverse = inverse_of(*r);
      rows.push_back({m->name, r->name, model::macro_name(r->macro), r->class_name,
                      r->is_through() ? "" : r->foreign_key, r->through, r->source, model::dependent_name(r->dependent),
                      inverse ? r->class_name + "#" + inverse->name : "", other_options(*r)});
      options |= !rows.back().back().empty();
    }
  }
  if (rows.empty()) return "No model has associations\n";
  std::vector<std::string> header = {"model", "name", "macro", "class", "foreign key", "through", "source", "dependent", "inverse", "options"};
  if (!options) {  // the rarer options (join_table:, optional:) get a column only when one is set
    header.pop_back();
    for (auto& r : rows) r.pop_back();
  }
  if (!name.empty()) {  // one model's: its name is in the command
    header.erase(header.begin());
    for (auto& r : rows) r.erase(r.begin());
  }
  return text_table(header, rows, terminal);
}

}  // namespace fw::console

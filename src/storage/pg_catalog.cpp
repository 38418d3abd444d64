#include "storage/pg_catalog.hpp"

#include <utility>

namespace fw::storage::pg_catalog {
namespace {

// `'text'::character varying` -> `'text'`, as SQLite shows a default;
// a sequence's nextval() is no default a new record shows.
Value literal_default(const Value& expression) {
  if (is_null(expression)) return expression;
  std::string s = value_to_s(expression);
  if (s.rfind("nextval(", 0) == 0) return Value{};
  if (!s.empty() && s[0] == '\'') {
    auto cast = s.rfind("'::");
    if (cast != std::string::npos) s.resize(cast + 1);
  } else if (auto cast = s.find("::"); cast != std::string::npos && s[0] != '(') {
    s.resize(cast);
  }
  return s;
}

// {a,"b c"} -> a, b c
std::vector<std::string> text_array(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  bool quoted = false;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '"') quoted = !quoted;
    else if (c == '\\' && i + 2 < s.size()) item += s[++i];
    else if (c == ',' && !quoted) out.push_back(std::exchange(item, ""));
    else item += c;
  }
  if (s.size() > 2) out.push_back(item);
  return out;
}

}  // namespace

bool table_exists(const Ask& schema, const std::string& table) {
  bool found = false;
  schema("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?", table,
         [&](const Row&) { found = true; });
  return found;
}

std::vector<std::string> tables(const Ask& schema) {
  std::vector<std::string> out;
  schema("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ? ORDER BY tablename",
         "", [&](const Row& row) { out.push_back(value_to_s(row[0])); });
  return out;
}

std::vector<ColumnInfo> columns(const Ask& schema, const std::string& table) {
  std::vector<ColumnInfo> out;
  schema("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), "
         "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) "
         "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
         "WHERE a.attrelid = (SELECT c.oid FROM pg_class c WHERE c.relname = ? AND c.relnamespace = "
         "current_schema()::regnamespace) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
         table, [&](const Row& row) {
           ColumnInfo c;
           c.name = value_to_s(row[0]);
           c.declared_type = value_to_s(row[1]);
           c.not_null = row[2] == Value(true);
           c.default_value = literal_default(row[3]);
           c.primary_key = row[4] == Value(true);
           out.push_back(std::move(c));
         });
  return out;
}

std::vector<IndexInfo> indexes(const Ask& schema, const std::string& table) {
  std::vector<IndexInfo> out;
  schema("SELECT ic.relname, ix.indisunique, ix.indisprimary, "
         "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND k.contype = 'u'), "
         "ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k) "
         "FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
         "WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace ORDER BY ic.relname",
         table, [&](const Row& row) {
           IndexInfo i{value_to_s(row[0]), {}, row[1] == Value(true),
                       row[2] == Value(true) ? "pk" : row[3] == Value(true) ? "u" : "c"};
           i.columns = text_array(value_to_s(row[4]));
           out.push_back(std::move(i));
         });
  return out;
}

std::vector<ForeignKeyInfo> foreign_keys(const Ask& schema, const std::string& table) {
  std::vector<ForeignKeyInfo> out;
  schema("SELECT a.attname, f.relname, fa.attname, k.confdeltype FROM pg_constraint k "
         "JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid "
         "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
         "JOIN pg_attribute fa ON fa.attrelid = k.confrelid AND fa.attnum = k.confkey[1] "
         "WHERE k.contype = 'f' AND t.relname = ? AND t.relnamespace = current_schema()::regnamespace "
         "ORDER BY k.conname",
         table, [&](const Row& row) {
           std::string action = value_to_s(row[3]);
           const char* on_delete = action == "c" ? "CASCADE" : action == "n" ? "SET NULL" : action == "r" ? "RESTRICT"
                                   : action == "d" ? "SET DEFAULT" : "NO ACTION";
           out.push_back({value_to_s(row[0]), value_to_s(row[1]), value_to_s(row[2]), on_delete});
         });
  return out;
}

}  // namespace fw::storage::pg_catalog

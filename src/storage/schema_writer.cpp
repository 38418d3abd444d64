#include "storage/schema_writer.hpp"
#include "storage/dialect.hpp"

#include <fmt/format.h>
#include <sha2.h>

#include <algorithm>
#include <map>

namespace fw::storage {

namespace {

std::string join_quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    // "title DESC": the name quoted, the order kept
    auto space = n.find(' ');
    out += space == std::string::npos ? quote_identifier(n) : quote_identifier(n.substr(0, space)) + n.substr(space);
  }
  return out;
}

// A boolean's default as PostgreSQL takes it: SQLite's 1 and 0 are TRUE and FALSE.
std::string postgres_default(const ColumnDef& c) {
  if (c.type == "boolean" && (*c.default_sql == "1" || *c.default_sql == "0")) return *c.default_sql == "1" ? "TRUE" : "FALSE";
  return *c.default_sql;
}

// A column as ActiveRecord's adapter for the engine writes it.
std::string column_sql(const ColumnDef& c, Engine engine) {
  bool pg = engine == Engine::PostgreSQL;
  if (pg && c.primary_key && c.auto_increment) return quote_identifier(c.name) + " bigserial primary key";
  std::string sql = quote_identifier(c.name) + " " + (pg ? postgres_type(c.type) : c.type);
  if (c.primary_key && c.auto_increment) return sql + " PRIMARY KEY AUTOINCREMENT NOT NULL";
  if (c.primary_key) return sql + " NOT NULL PRIMARY KEY";
  if (c.default_sql) sql += " DEFAULT " + (pg ? postgres_default(c) : *c.default_sql);
  if (!c.null) sql += " NOT NULL";
  return sql;
}

std::string index_sql(const std::string& table, const IndexDef& index) {
  return fmt::format("CREATE {}INDEX {} ON {} ({})", index.unique ? "UNIQUE " : "", quote_identifier(index.name),
                     quote_identifier(table), join_quoted(index.columns));
}

std::string plain_name(const std::string& column) { return column.substr(0, column.find(' ')); }

// Each column's own name: a copy that keeps every column fills each from itself.
std::vector<std::string> names_of(const TableDef& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name);
  return out;
}

std::vector<std::string> plain_names(const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(plain_name(c));
  return out;
}

}  // namespace

std::optional<std::string> sql_type(const std::string& type, std::optional<int> limit, std::optional<int> precision,
                                    std::optional<int> scale) {
  static const std::map<std::string, std::string> native = {
      {"string", "varchar"},   {"text", "text"},         {"integer", "integer"}, {"bigint", "bigint"},
      {"float", "float"},      {"decimal", "decimal"},   {"numeric", "decimal"}, {"datetime", "datetime"},
      {"timestamp", "datetime"}, {"time", "time"},       {"date", "date"},       {"binary", "blob"},
      {"blob", "blob"},        {"boolean", "boolean"},   {"json", "json"},       {"primary_key", "integer"}};
  auto it = native.find(type);
  if (it == native.end()) return std::nullopt;
  std::string sql = it->second;
  if (sql == "decimal" && precision) return fmt::format("decimal({})", scale ? fmt::format("{},{}", *precision, *scale) : std::to_string(*precision));
  if ((sql == "datetime" || sql == "time") && precision) return fmt::format("{}({})", sql, *precision);
  if (limit) return fmt::format("{}({})", sql, *limit);
  return sql;
}

std::string default_literal(const Value& value) {
  if (is_null(value)) return "NULL";
  if (auto b = std::get_if<bool>(&value)) return *b ? "1" : "0";
  if (auto s = std::get_if<std::string>(&value)) {
    std::string out = "'";
    for (char c : *s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  return value_to_s(value);
}

std::string index_name(const std::string& table, const std::vector<std::string>& columns) {
  std::string names;
  for (const auto& c : plain_names(columns)) names += (names.empty() ? "" : "_and_") + c;
  return "index_" + table + "_on_" + names;
}

std::string foreign_key_name(const std::string& table, const std::string& column) {
  std::string text = table + "_" + column + "_fk";
  char hex[SHA256_DIGEST_STRING_LENGTH];
  SHA256Data(reinterpret_cast<const uint8_t*>(text.data()), text.size(), hex);
  return "fk_rails_" + std::string(hex, 10);
}

void SchemaWriter::create_table(const TableDef& t) {
  if (t.force) drop_table(t.name, true);
  std::vector<std::string> parts;
  for (const auto& c : t.columns) parts.push_back(column_sql(c, db_.engine()));
  if (!t.primary_keys.empty()) parts.push_back("PRIMARY KEY (" + join_quoted(t.primary_keys) + ")");
  for (const auto& fk : t.foreign_keys) {
    std::string part = fmt::format("CONSTRAINT {}\nFOREIGN KEY ({})\n  REFERENCES {} ({})\n",
                                   quote_identifier(fk.name.empty() ? foreign_key_name(t.name, fk.column) : fk.name),
                                   quote_identifier(fk.column), quote_identifier(fk.to_table), quote_identifier(fk.to_column));
    if (!fk.on_delete.empty()) part += " ON DELETE " + fk.on_delete + "\n";
    parts.push_back(part);
  }
  std::string sql = fmt::format("CREATE TABLE {}{} (", t.if_not_exists ? "IF NOT EXISTS " : "", quote_identifier(t.name));
  for (size_t i = 0; i < parts.size(); ++i) sql += (i ? ", " : "") + parts[i];
  db_.exec_script(sql + ")");
  for (const auto& index : t.indexes) add_index(t.name, index);
}

void SchemaWriter::drop_table(const std::string& table, bool if_exists) {
  db_.exec_script(fmt::format("DROP TABLE {}{}", if_exists ? "IF EXISTS " : "", quote_identifier(table)));
}

void SchemaWriter::rename_table(const std::string& from, const std::string& to) {
  auto before = indexes(from);
  db_.exec_script(fmt::format("ALTER TABLE {} RENAME TO {}", quote_identifier(from), quote_identifier(to)));
  if (db_.engine() == Engine::PostgreSQL)  // the id's sequence and the primary key's index, as ActiveRecord renames them
    db_.exec_script(fmt::format("ALTER SEQUENCE IF EXISTS {} RENAME TO {}; ALTER INDEX IF EXISTS {} RENAME TO {}",
                                quote_identifier(from + "_id_seq"), quote_identifier(to + "_id_seq"),
                                quote_identifier(from + "_pkey"), quote_identifier(to + "_pkey")));
  for (const auto& index : before)
    if (index.name == index_name(from, index.columns)) rename_index(to, index.name, index_name(to, index.columns));
}

void SchemaWriter::add_column(const std::string& table, const ColumnDef& column) {
  check_table(table);
  bool sqlite = db_.engine() == Engine::SQLite;
  if (sqlite && !column.null && !column.default_sql) {  // ALTER TABLE cannot add it: a copy, which fails if there are rows
    TableDef to = current(table);
    std::vector<std::string> from = names_of(to);
    to.columns.push_back(column);
    from.push_back("");
    rebuild(table, to, from);
    return;
  }
  db_.exec_script(fmt::format("ALTER TABLE {} ADD {}", quote_identifier(table), column_sql(column, db_.engine())));
}

void SchemaWriter::remove_column(const std::string& table, const std::string& column) {
  check_table(table);
  if (db_.engine() == Engine::PostgreSQL) {  // its indexes and foreign keys go with it
    alter(table, "DROP COLUMN " + quote_identifier(column));
    return;
  }
  TableDef to = current(table);
  std::vector<std::string> from;
  to.columns.erase(std::remove_if(to.columns.begin(), to.columns.end(), [&](const ColumnDef& c) { return c.name == column; }),
                   to.columns.end());
  from = names_of(to);
  to.foreign_keys.erase(std::remove_if(to.foreign_keys.begin(), to.foreign_keys.end(),
                                       [&](const ForeignKeyDef& fk) { return fk.column == column; }),
                        to.foreign_keys.end());
  // An index keeps its other columns, under its old name; one left with none goes.
  for (auto& index : to.indexes)
    index.columns.erase(std::remove_if(index.columns.begin(), index.columns.end(),
                                       [&](const std::string& c) { return plain_name(c) == column; }),
                        index.columns.end());
  to.indexes.erase(std::remove_if(to.indexes.begin(), to.indexes.end(), [](const IndexDef& i) { return i.columns.empty(); }),
                   to.indexes.end());
  rebuild(table, to, from);
}

void SchemaWriter::rename_column(const std::string& table, const std::string& from_name, const std::string& to_name) {
  check_table(table);
  if (!column_exists(table, from_name)) throw fw::Error(fmt::format("Missing column {}.{}", table, from_name));
  if (db_.engine() == Engine::PostgreSQL) {
    auto before = indexes(table);
    alter(table, fmt::format("RENAME COLUMN {} TO {}", quote_identifier(from_name), quote_identifier(to_name)));
    for (const auto& index : before) {
      auto columns = index.columns;
      for (auto& c : columns)
        if (plain_name(c) == from_name) c = to_name + c.substr(from_name.size());
      if (index.name == index_name(table, index.columns) && columns != index.columns)
        rename_index(table, index.name, index_name(table, columns));
    }
    return;
  }
  TableDef to = current(table);
  std::vector<std::string> from;
  for (auto& c : to.columns) {
    from.push_back(c.name);
    if (c.name == from_name) c.name = to_name;
  }
  for (auto& fk : to.foreign_keys)
    if (fk.column == from_name) fk.column = to_name;
  for (auto& index : to.indexes) {
    bool default_name = index.name == index_name(table, index.columns);
    for (auto& c : index.columns)
      if (plain_name(c) == from_name) c = to_name + c.substr(from_name.size());
    if (default_name) index.name = index_name(table, index.columns);
  }
  rebuild(table, to, from);
}

void SchemaWriter::change_column(const std::string& table, const ColumnDef& column) {
  check_table(table);
  TableDef to = current(table);
  std::vector<std::string> from;
  bool found = false;
  for (auto& c : to.columns) {
    from.push_back(c.name);
    if (c.name == column.name) c = column, found = true;
  }
  if (!found) throw fw::Error(fmt::format("Missing column {}.{}", table, column.name));
  if (db_.engine() == Engine::PostgreSQL) {  // as ActiveRecord's PostgreSQL adapter: the type, then what was given
    std::string c = quote_identifier(column.name), type = postgres_type(column.type);
    alter(table, fmt::format("ALTER COLUMN {} TYPE {} USING CAST({} AS {})", c, type, c, type));
    alter(table, column.default_sql && *column.default_sql != "NULL"
                     ? fmt::format("ALTER COLUMN {} SET DEFAULT {}", c, postgres_default(column))
                     : fmt::format("ALTER COLUMN {} DROP DEFAULT", c));
    alter(table, fmt::format("ALTER COLUMN {} {} NOT NULL", c, column.null ? "DROP" : "SET"));
    return;
  }
  rebuild(table, to, from);
}

void SchemaWriter::change_column_default(const std::string& table, const std::string& column,
                                         std::optional<std::string> default_sql) {
  check_table(table);
  TableDef to = current(table);
  for (auto& c : to.columns)
    if (c.name == column) {
      ColumnDef changed = c;
      changed.default_sql = default_sql;
      if (!default_sql && changed.null) changed.default_sql = "NULL";
      change_column(table, changed);
      return;
    }
  throw fw::Error(fmt::format("Missing column {}.{}", table, column));
}

void SchemaWriter::change_column_null(const std::string& table, const std::string& column, bool null,
                                      std::optional<std::string> fill) {
  check_table(table);
  if (!null && fill)
    db_.exec_script(fmt::format("UPDATE {} SET {} = {} WHERE {} IS NULL", quote_identifier(table), quote_identifier(column),
                                *fill, quote_identifier(column)));
  TableDef to = current(table);
  for (auto& c : to.columns)
    if (c.name == column) {
      ColumnDef changed = c;
      changed.null = null;
      if (!null && changed.default_sql == std::optional<std::string>("NULL")) changed.default_sql.reset();
      if (null && !changed.default_sql) changed.default_sql = "NULL";
      change_column(table, changed);
      return;
    }
  throw fw::Error(fmt::format("Missing column {}.{}", table, column));
}

void SchemaWriter::add_index(const std::string& table, const IndexDef& index) {
  db_.exec_script(index_sql(table, index));
}

void SchemaWriter::remove_index(const std::string&, const std::string& name) {
  db_.exec_script("DROP INDEX " + quote_identifier(name));
}

void SchemaWriter::rename_index(const std::string& table, const std::string& from, const std::string& to) {
  for (const auto& index : indexes(table))
    if (index.name == from && db_.engine() == Engine::PostgreSQL) {
      db_.exec_script(fmt::format("ALTER INDEX {} RENAME TO {}", quote_identifier(from), quote_identifier(to)));
      return;
    } else if (index.name == from) {
      add_index(table, {to, index.columns, index.unique});
      remove_index(table, from);
      return;
    }
  throw fw::Error(fmt::format("No indexes found on {} named {}", table, from));
}

void SchemaWriter::add_foreign_key(const std::string& table, const ForeignKeyDef& key) {
  check_table(table);
  if (db_.engine() == Engine::PostgreSQL) {
    alter(table, fmt::format("ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}){}",
                             quote_identifier(key.name.empty() ? foreign_key_name(table, key.column) : key.name),
                             quote_identifier(key.column), quote_identifier(key.to_table), quote_identifier(key.to_column),
                             key.on_delete.empty() ? "" : " ON DELETE " + key.on_delete));
    return;
  }
  TableDef to = current(table);
  std::vector<std::string> from = names_of(to);
  to.foreign_keys.push_back(key);
  rebuild(table, to, from);
}

void SchemaWriter::remove_foreign_key(const std::string& table, const std::string& to_table, const std::string& column) {
  check_table(table);
  TableDef to = current(table);
  std::vector<std::string> from = names_of(to);
  auto it = std::find_if(to.foreign_keys.begin(), to.foreign_keys.end(), [&](const ForeignKeyDef& fk) {
    return column.empty() ? fk.to_table == to_table : fk.column == column;
  });
  if (it == to.foreign_keys.end())
    throw fw::Error(fmt::format("Table '{}' has no foreign key for {}", table, column.empty() ? to_table : column));
  if (db_.engine() == Engine::PostgreSQL) {
    alter(table, "DROP CONSTRAINT " + quote_identifier(foreign_key_name(table, it->column)));
    return;
  }
  to.foreign_keys.erase(it);
  rebuild(table, to, from);
}

bool SchemaWriter::column_exists(const std::string& table, const std::string& column) {
  auto columns = db_.columns(table);
  return std::any_of(columns.begin(), columns.end(), [&](const ColumnInfo& c) { return c.name == column; });
}

ColumnDef SchemaWriter::column(const std::string& table, const std::string& name) {
  check_table(table);
  for (auto& c : current(table).columns)
    if (c.name == name) return c;
  throw fw::Error(fmt::format("Missing column {}.{}", table, name));
}

std::vector<IndexInfo> SchemaWriter::indexes(const std::string& table) {
  auto all = db_.indexes(table);
  all.erase(std::remove_if(all.begin(), all.end(), [](const IndexInfo& i) { return i.origin != "c"; }), all.end());
  return all;
}

void SchemaWriter::alter(const std::string& table, const std::string& change) {
  db_.exec_script(fmt::format("ALTER TABLE {} {}", quote_identifier(table), change));
}

void SchemaWriter::check_table(const std::string& table) {
  if (!db_.table_exists(table)) throw fw::Error("no such table: " + table);
}

TableDef SchemaWriter::current(const std::string& table) {
  TableDef t;
  t.name = table;
  auto columns = db_.columns(table);
  size_t keys = static_cast<size_t>(std::count_if(columns.begin(), columns.end(), [](const ColumnInfo& c) { return c.primary_key; }));
  for (const auto& info : columns) {
    ColumnDef c;
    c.name = info.name;
    c.type = info.declared_type;
    std::transform(c.type.begin(), c.type.end(), c.type.begin(), [](unsigned char ch) { return std::tolower(ch); });
    c.null = !info.not_null;
    c.primary_key = info.primary_key && keys == 1;
    if (info.primary_key && keys > 1) t.primary_keys.push_back(info.name);
    if (!is_null(info.default_value)) c.default_sql = value_to_s(info.default_value);
    else if (c.null && !c.primary_key) c.default_sql = "NULL";  // as ActiveRecord's copy writes it
    if (c.primary_key) c.null = false;
    t.columns.push_back(std::move(c));
  }
  for (const auto& fk : db_.foreign_keys(table))
    t.foreign_keys.push_back({fk.column, fk.to_table, fk.to_column.empty() ? "id" : fk.to_column, "",
                              fk.on_delete == "NO ACTION" ? "" : fk.on_delete});
  for (const auto& index : indexes(table)) t.indexes.push_back({index.name, index.columns, index.unique});
  return t;
}

void SchemaWriter::rebuild(const std::string& table, const TableDef& to, const std::vector<std::string>& from_columns) {
  // As ActiveRecord's alter_table: the rows wait in a temporary copy while
  // the table is made again; foreign keys are checked at commit, by when
  // the rows that other tables point at are back.
  std::string temp = quote_identifier("a" + table), name = quote_identifier(table);
  db_.exec_script("PRAGMA defer_foreign_keys = ON");
  db_.exec_script(fmt::format("CREATE TEMPORARY TABLE {} AS SELECT * FROM {}", temp, name));
  db_.exec_script("DROP TABLE " + name);
  create_table(to);
  std::vector<std::string> into, from;
  for (size_t i = 0; i < to.columns.size() && i < from_columns.size(); ++i)
    if (!from_columns[i].empty()) into.push_back(to.columns[i].name), from.push_back(from_columns[i]);
  db_.exec_script(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", name, join_quoted(into), join_quoted(from), temp));
  db_.exec_script("DROP TABLE " + temp);
}

}  // namespace fw::storage

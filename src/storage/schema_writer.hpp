#pragma once
// Changes to an app's schema as ActiveRecord 6.1's SQLite adapter makes them,
// statement for statement: what a Ruby migration's create_table, add_column,
// rename_column, ... become. Where SQLite's ALTER TABLE cannot do a change,
// the table is rebuilt as ActiveRecord rebuilds it (its primary key loses
// AUTOINCREMENT, a nullable column without a default gets DEFAULT NULL), so
// a database migrated here has the columns ActiveRecord's has.
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage {

// A column as a migration declares it.
struct ColumnDef {
  std::string name;
  std::string type;               // as ActiveRecord writes it for SQLite: "varchar", "integer", "datetime(6)"
  bool null = true;
  std::optional<std::string> default_sql;  // after DEFAULT: 'hello', 42, 1, NULL, CURRENT_TIMESTAMP
  bool primary_key = false;
  bool auto_increment = false;    // the default id: integer PRIMARY KEY AUTOINCREMENT NOT NULL
};

struct IndexDef {
  std::string name;
  std::vector<std::string> columns;  // each may end in " DESC"
  bool unique = false;
};

struct ForeignKeyDef {
  std::string column;
  std::string to_table;
  std::string to_column = "id";
  std::string name;       // empty: fk_rails_ and a hash, as ActiveRecord names it
  std::string on_delete;  // "", "CASCADE", "SET NULL", "RESTRICT"
};

struct TableDef {
  std::string name;
  std::vector<ColumnDef> columns;
  std::vector<std::string> primary_keys;  // a composite primary key, when given
  std::vector<ForeignKeyDef> foreign_keys;
  std::vector<IndexDef> indexes;           // made right after the table
  bool force = false;                      // drop it first if it exists
  bool if_not_exists = false;
};

// The SQL type ActiveRecord writes for a migration's type (:string ->
// "varchar", :binary -> "blob"), with limit, precision and scale. Nothing for
// a type it does not know.
std::optional<std::string> sql_type(const std::string& type, std::optional<int> limit = {},
                                    std::optional<int> precision = {}, std::optional<int> scale = {});
// A value as a DEFAULT literal: 'text' with quotes doubled, numbers as written, true/false as 1/0.
std::string default_literal(const Value& value);
// ActiveRecord's index name: index_users_on_email, index_hearts_on_user_id_and_tweet_id.
std::string index_name(const std::string& table, const std::vector<std::string>& columns);
// ActiveRecord's foreign key name: fk_rails_ and the first 10 hex digits of SHA-256("table_column_fk").
std::string foreign_key_name(const std::string& table, const std::string& column);

class SchemaWriter {
 public:
  explicit SchemaWriter(Database& db) : db_(db) {}

  void create_table(const TableDef& table);
  void drop_table(const std::string& table, bool if_exists = false);
  // Renames the table and the indexes that carry its default names.
  void rename_table(const std::string& from, const std::string& to);
  void add_column(const std::string& table, const ColumnDef& column);
  void remove_column(const std::string& table, const std::string& column);
  // Renames the column and the indexes that carry its default names.
  void rename_column(const std::string& table, const std::string& from, const std::string& to);
  void change_column(const std::string& table, const ColumnDef& column);
  void change_column_default(const std::string& table, const std::string& column, std::optional<std::string> default_sql);
  // `fill`: the value existing NULLs take first (change_column_null's fourth argument).
  void change_column_null(const std::string& table, const std::string& column, bool null,
                          std::optional<std::string> fill = {});
  void add_index(const std::string& table, const IndexDef& index);
  void remove_index(const std::string& table, const std::string& name);
  void rename_index(const std::string& table, const std::string& from, const std::string& to);
  void add_foreign_key(const std::string& table, const ForeignKeyDef& key);
  // The foreign key on `column` (or, when it is empty, the first to `to_table`).
  void remove_foreign_key(const std::string& table, const std::string& to_table, const std::string& column);
  void execute(const std::string& sql) { db_.exec_script(sql); }

  bool table_exists(const std::string& table) { return db_.table_exists(table); }
  bool column_exists(const std::string& table, const std::string& column);
  // A column as the table has it now; throws when there is none.
  ColumnDef column(const std::string& table, const std::string& name);
  std::vector<IndexInfo> indexes(const std::string& table);  // those CREATE INDEX made, not constraints'

 private:
  // The table as it is now, in the form ActiveRecord's copy writes it.
  TableDef current(const std::string& table);
  // Rebuilds `table` as `to` (a changed copy of current()), copying its rows
  // by column: `from_columns[i]` fills to.columns[i] (empty: nothing, so its default).
  void rebuild(const std::string& table, const TableDef& to, const std::vector<std::string>& from_columns);
  void check_table(const std::string& table);
  void alter(const std::string& table, const std::string& change);  // ALTER TABLE table change

  Database& db_;
};

}  // namespace fw::storage

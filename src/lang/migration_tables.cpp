// What a migration's table, column, index and reference commands make:
// create_table with its t.* lines, change_table, add_column, add_index,
// add_reference, add_timestamps, create_join_table and the rest, as
// ActiveRecord 6.1 makes them for the migration's version (the commands are
// read and run in migration_file.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "base/text.hpp"
#include "lang/migration_runner.hpp"
#include "model/inflector.hpp"

namespace fw::lang::migration {

namespace {

std::optional<int> integer_option(const Command& c, const std::string& key) {
  const Arg* a = c.option(key);
  if (!a || a->kind != Arg::Kind::Integer) return std::nullopt;
  return static_cast<int>(std::get<std::int64_t>(a->scalar));
}

// Names given as :name, "name" or [:a, :b].
std::vector<std::string> names_of(const Arg& a) {
  if (a.kind == Arg::Kind::Array) {
    std::vector<std::string> out;
    for (const auto& item : a.items) out.push_back(item.text);
    return out;
  }
  return {a.text};
}

const std::vector<std::string>& column_types() {
  static const std::vector<std::string> types = {"string", "text", "integer", "bigint", "float", "decimal", "numeric",
                                                 "datetime", "timestamp", "time", "date", "binary", "blob", "boolean",
                                                 "json", "primary_key"};
  return types;
}
bool is_column_type(const std::string& name) {
  return std::find(column_types().begin(), column_types().end(), name) != column_types().end();
}

}  // namespace

// Each group's commands; false when `c` is none of them.
bool Runner::table_command(const Command& c) {
  const std::string& n = c.name;
  if (n == "create_table") {
    create_table(c);
  } else if (n == "change_table") {
    change_table(c);
  } else if (n == "create_join_table") {
    create_join_table(c);
  } else if (n == "drop_join_table") {
    need(c, 2, "two table names");
    writer_.drop_table(join_table_name(c), false);
  } else if (n == "drop_table") {
    need(c, 1, "a table name");
    for (const auto& name : names_of(c.args[0])) writer_.drop_table(name, is_true(c.option("if_exists")));
  } else if (n == "rename_table") {
    need(c, 2, "two table names");
    writer_.rename_table(c.text(0), c.text(1));
  } else {
    return false;
  }
  return true;
}

bool Runner::column_command(const Command& c) {
  const std::string& n = c.name;
  if (n == "add_column") {
    need(c, 3, "a table, a column name and a type");
    writer_.add_column(c.text(0), column(c.text(1), c.text(2), c));
  } else if (n == "add_columns") {
    need(c, 2, "a table and column names");
    const Arg* type = c.option("type");
    for (size_t i = 1; i < c.args.size(); ++i) writer_.add_column(c.text(0), column(c.text(i), type ? type->text : "", c));
  } else if (n == "remove_column") {
    need(c, 2, "a table and a column");
    writer_.remove_column(c.text(0), c.text(1));
  } else if (n == "remove_columns") {
    need(c, 2, "a table and columns");
    for (size_t i = 1; i < c.args.size(); ++i) writer_.remove_column(c.text(0), c.text(i));
  } else if (n == "rename_column") {
    need(c, 3, "a table and two column names");
    writer_.rename_column(c.text(0), c.text(1), c.text(2));
  } else if (n == "change_column") {
    need(c, 3, "a table, a column and a type");
    ColumnDef now = writer_.column(c.text(0), c.text(1));
    ColumnDef changed = column(c.text(1), c.text(2), c);
    if (!c.option("null")) changed.null = now.null;
    if (!c.option("default")) changed.default_sql = now.default_sql == std::optional<std::string>("NULL") && !changed.null ? std::nullopt : now.default_sql;
    writer_.change_column(c.text(0), changed);
  } else if (n == "change_column_default") {
    need(c, 2, "a table and a column");
    const Arg* to = c.option("to");
    const Arg* value = to ? to : c.args.size() >= 3 ? &c.args[2] : nullptr;
    if (!value) fail(c.pos, "change_column_default takes the new default (or from: and to:)");
    writer_.change_column_default(c.text(0), c.text(1), default_sql(*value));
  } else if (n == "change_column_null") {
    need(c, 3, "a table, a column and true or false");
    std::optional<std::string> fill;
    if (c.args.size() >= 4) fill = default_sql(c.args[3]);
    writer_.change_column_null(c.text(0), c.text(1), is_true(&c.args[2]), fill);
  } else {
    return false;
  }
  return true;
}

bool Runner::index_command(const Command& c) {
  const std::string& n = c.name;
  if (n == "add_index") {
    need(c, 2, "a table and its columns");
    writer_.add_index(c.text(0), index(c.text(0), names_of(c.args[1]), c.options));
  } else if (n == "remove_index") {
    need(c, 1, "a table");
    writer_.remove_index(c.text(0), index_to_remove(c));
  } else if (n == "rename_index") {
    need(c, 3, "a table and two index names");
    writer_.rename_index(c.text(0), c.text(1), c.text(2));
  } else {
    return false;
  }
  return true;
}

// References, foreign keys and timestamps.
bool Runner::reference_command(const Command& c) {
  const std::string& n = c.name;
  if (n == "add_reference" || n == "add_belongs_to") {
    need(c, 2, "a table and a name");
    TableDef t;
    t.name = c.text(0);
    reference(t, c.text(1), c);
    for (const auto& col : t.columns) writer_.add_column(t.name, col);
    for (const auto& i : t.indexes) writer_.add_index(t.name, i);
    for (const auto& fk : t.foreign_keys) writer_.add_foreign_key(t.name, fk);
  } else if (n == "remove_reference" || n == "remove_belongs_to") {
    need(c, 2, "a table and a name");
    std::string ref = c.text(1);
    writer_.remove_column(c.text(0), ref + "_id");  // its index and foreign key go with it
    if (is_true(c.option("polymorphic"))) writer_.remove_column(c.text(0), ref + "_type");
  } else if (n == "add_foreign_key") {
    need(c, 2, "two tables");
    writer_.add_foreign_key(c.text(0), foreign_key(c.text(1), c));
  } else if (n == "remove_foreign_key") {
    need(c, 1, "a table");
    const Arg* column = c.option("column");
    writer_.remove_foreign_key(c.text(0), c.text(1), column ? column->text : "");
  } else if (n == "add_timestamps") {
    need(c, 1, "a table");
    TableDef t;
    timestamps(t, c);
    for (const auto& col : t.columns) writer_.add_column(c.text(0), col);
  } else if (n == "remove_timestamps") {
    need(c, 1, "a table");
    writer_.remove_column(c.text(0), "created_at");
    writer_.remove_column(c.text(0), "updated_at");
  } else {
    return false;
  }
  return true;
}

std::optional<std::string> Runner::default_sql(const Arg& a) const {
  if (a.flags == "sql") return a.text;  // -> { "CURRENT_TIMESTAMP" }
  if (a.kind == Arg::Kind::Nil) return std::nullopt;
  return storage::default_literal(a.to_value());
}

ColumnDef Runner::column(const std::string& name, const std::string& type, const Command& c) const {
  auto sql = storage::sql_type(type, integer_option(c, "limit"), integer_option(c, "precision"), integer_option(c, "scale"));
  if (!sql)
    fail(c.pos, fmt::format("unknown column type :{} for {}.{}", type, name,
                            suggestion_suffix(type, column_types()).empty() ? " Known: :" + join(column_types(), ", :")
                                                                              : suggestion_suffix(type, column_types())));
  ColumnDef col;
  col.name = name;
  col.type = *sql;
  if (const Arg* null = c.option("null")) col.null = is_true(null);
  if (const Arg* d = c.option("default")) col.default_sql = d->kind == Arg::Kind::Nil ? "NULL" : *default_sql(*d);
  if (type == "primary_key") col.primary_key = col.auto_increment = true, col.null = false;
  return col;
}

IndexDef Runner::index(const std::string& table, const std::vector<std::string>& columns, const Options& options) const {
  IndexDef i;
  i.columns = columns;
  for (const auto& [key, value] : options) {
    if (key == "unique") i.unique = is_true(&value);
    if (key == "name") i.name = value.text;
    if (key == "order" && value.kind == Arg::Kind::Hash)
      for (auto& col : i.columns)
        for (const auto& [k, v] : value.hash)
          if (k == col && (v.text == "desc" || v.text == "DESC")) col += " DESC";
  }
  if (i.name.empty()) i.name = storage::index_name(table, columns);
  return i;
}

std::string Runner::index_to_remove(const Command& c) {
  if (const Arg* name = c.option("name")) return name->text;
  std::vector<std::string> columns;
  if (const Arg* column = c.option("column")) columns = names_of(*column);
  else if (c.args.size() >= 2) columns = names_of(c.args[1]);
  for (const auto& i : writer_.indexes(c.text(0)))
    if (i.columns == columns) return i.name;
  fail(c.pos, fmt::format("No indexes found on {} with the options provided.", c.text(0)));
}

storage::ForeignKeyDef Runner::foreign_key(const std::string& to_table, const Command& c) const {
  storage::ForeignKeyDef fk;
  fk.to_table = to_table;
  fk.column = model::inflector::singularize(to_table) + "_id";
  for (const auto& [key, value] : c.options) {
    if (key == "column") fk.column = value.text;
    if (key == "primary_key") fk.to_column = value.text;
    if (key == "name") fk.name = value.text;
    if (key == "to_table") fk.to_table = value.text;
    if (key == "on_delete") fk.on_delete = value.text == "cascade" ? "CASCADE" : value.text == "nullify" ? "SET NULL" : "RESTRICT";
  }
  return fk;
}

// t.references :user (t.belongs_to): user_id, an index from [5.0] on, a
// foreign key when asked; polymorphic: also user_type.
void Runner::reference(TableDef& t, const std::string& name, const Command& c) const {
  bool polymorphic = is_true(c.option("polymorphic"));
  Command column_options = c;
  column_options.options.clear();
  std::string type = "integer";
  for (const auto& [key, value] : c.options) {
    if (key == "null" || key == "default") column_options.options.push_back({key, value});
    if (key == "type") type = value.text;
  }
  if (polymorphic) {
    Command type_options = column_options;
    type_options.options.erase(std::remove_if(type_options.options.begin(), type_options.options.end(),
                                              [](const auto& kv) { return kv.first == "default"; }),
                               type_options.options.end());
    t.columns.push_back(column(name + "_type", "string", type_options));
  }
  t.columns.push_back(column(name + "_id", type, column_options));
  const Arg* index_option = c.option("index");
  bool indexed = index_option ? is_true(index_option) : version_ >= 50 && !(polymorphic && version_ < 50);
  if (indexed) {
    std::vector<std::string> columns = polymorphic ? std::vector<std::string>{name + "_type", name + "_id"}
                                                   : std::vector<std::string>{name + "_id"};
    Options options = index_option && index_option->kind == Arg::Kind::Hash ? index_option->hash : Options{};
    IndexDef i = index(t.name, columns, options);
    if (polymorphic && version_ >= 61 && !index_option_named(options)) i.name = "index_" + t.name + "_on_" + name;
    t.indexes.push_back(i);
  }
  if (const Arg* fk = c.option("foreign_key"); is_true(fk)) {
    Command fk_options = c;
    fk_options.options = fk->kind == Arg::Kind::Hash ? fk->hash : Options{};
    fk_options.options.push_back({"column", Arg::string(name + "_id")});
    t.foreign_keys.push_back(foreign_key(model::inflector::pluralize(name), fk_options));
  }
}

bool Runner::index_option_named(const Options& options) {
  return std::any_of(options.begin(), options.end(), [](const auto& kv) { return kv.first == "name"; });
}

// created_at and updated_at: nullable in [4.2], NOT NULL from [5.0], with
// microseconds (datetime(6)) from [6.0], unless the options say otherwise.
void Runner::timestamps(TableDef& t, const Command& c) const {
  Command options = c;
  options.options.clear();
  if (!c.option("null")) options.options.push_back({"null", Arg::boolean(version_ < 50)});
  if (!c.option("precision") && version_ >= 60) options.options.push_back({"precision", Arg::integer(6)});
  for (const auto& kv : c.options) options.options.push_back(kv);
  t.columns.push_back(column("created_at", "datetime", options));
  t.columns.push_back(column("updated_at", "datetime", options));
}

// A t.* statement inside create_table's (or change_table's) block.
void Runner::table_statement(TableDef& t, const Node& s) const {
  if (s.kind != Node::Kind::Call || !s.receiver || s.receiver->kind != Node::Kind::Variable)
    fail(s.pos, "inside create_table, each line declares a column: t.string :name, t.references :user, t.timestamps");
  Command c = command_of_call(s);
  const std::string& n = c.name;
  if (n == "timestamps") return timestamps(t, c);
  if (n == "references" || n == "belongs_to") {
    need(c, 1, "a name");
    for (const auto& a : c.args) reference(t, a.text, c);
    return;
  }
  if (n == "index") {
    need(c, 1, "its columns");
    t.indexes.push_back(index(t.name, names_of(c.args[0]), c.options));
    return;
  }
  std::string type = n;
  if (n == "column") {
    need(c, 2, "a name and a type");
    type = c.text(1);
    c.args.resize(1);
  } else if (!is_column_type(n)) {
    fail(s.pos, fmt::format("undefined method `{}' for a table definition (t).{}", n,
                            suggestion_suffix(n, column_types())));
  }
  need(c, 1, "a column name");
  for (size_t i = 0; i < c.args.size(); ++i) {
    ColumnDef col = column(c.args[i].text, type, c);
    if (type == "primary_key") t.columns.insert(t.columns.begin(), col);
    else t.columns.push_back(col);
    if (const Arg* idx = c.option("index"); is_true(idx))
      t.indexes.push_back(index(t.name, {col.name}, idx->kind == Arg::Kind::Hash ? idx->hash : Options{}));
  }
}

void Runner::create_table(const Command& c) {
  need(c, 1, "a table name");
  TableDef t;
  t.name = c.text(0);
  t.force = is_true(c.option("force"));
  t.if_not_exists = is_true(c.option("if_not_exists"));
  const Arg* id = c.option("id");
  const Arg* primary_key = c.option("primary_key");
  bool with_id = !(id && id->kind == Arg::Kind::Bool && !is_true(id));
  if (primary_key && primary_key->kind == Arg::Kind::Array) {
    t.primary_keys = names_of(*primary_key);
    with_id = false;
  }
  if (with_id) {
    ColumnDef key;
    key.name = primary_key ? primary_key->text : "id";
    std::string type = id && id->is_name() ? id->text : "integer";
    key.primary_key = true;
    key.null = false;
    key.auto_increment = type == "integer" || type == "bigint" || type == "primary_key";
    key.type = key.auto_increment ? "integer" : storage::sql_type(type).value_or(type);
    t.columns.push_back(key);
  }
  if (c.block)
    for (const auto& s : c.block->items[0]->items) table_statement(t, *s);
  writer_.create_table(t);
}

// change_table :users do |t| ... end: each line a change of its own.
void Runner::change_table(const Command& c) {
  for (const auto& line : change_table_commands(c)) apply(line);
}

std::vector<Command> Runner::change_table_commands(const Command& c) {
  need(c, 1, "a table name");
  if (!c.block) fail(c.pos, "change_table takes a block: change_table :users do |t| ... end");
  std::string table = c.text(0);
  std::vector<Command> out;
  for (const auto& s : c.block->items[0]->items) {
    if (s->kind != Node::Kind::Call || !s->receiver)
      fail(s->pos, "inside change_table, each line changes the table: t.string :name, t.remove :name, ...");
    Command line = command_of_call(*s);
    std::vector<Arg> args{Arg::string(table)};
    for (const auto& a : line.args) args.push_back(a);
    const std::string& n = line.name;
    static const std::vector<std::pair<std::string, std::string>> verbs = {
        {"remove", "remove_columns"}, {"rename", "rename_column"}, {"change", "change_column"},
        {"change_default", "change_column_default"}, {"change_null", "change_column_null"},
        {"remove_index", "remove_index"}, {"remove_references", "remove_reference"},
        {"remove_belongs_to", "remove_reference"}, {"remove_timestamps", "remove_timestamps"},
        {"rename_index", "rename_index"}, {"timestamps", "add_timestamps"}, {"index", "add_index"},
        {"references", "add_reference"}, {"belongs_to", "add_reference"}};
    auto verb = std::find_if(verbs.begin(), verbs.end(), [&](const auto& v) { return v.first == n; });
    if (verb != verbs.end()) {
      out.push_back(line.with(verb->second, args));
    } else if (is_column_type(n) || n == "column") {
      std::string type = n == "column" ? line.text(1) : n;
      size_t last = n == "column" ? 2 : line.args.size() + 1;
      for (size_t i = 1; i < last && i < args.size(); ++i) out.push_back(line.with("add_column", {args[0], args[i], Arg::symbol(type)}));
    } else {
      fail(s->pos, fmt::format("undefined method `{}' for a table change (t)", n));
    }
  }
  return out;
}

// As ActiveRecord derives it: the two names in order, a prefix they share
// once (catalog_categories + catalog_products: catalog_categories_products).
std::string Runner::join_table_name(const Command& c) const {
  if (const Arg* name = c.option("table_name")) return name->text;
  std::string a = c.text(0), b = c.text(1);
  if (b < a) std::swap(a, b);
  static const std::regex shared(R"(^(.*_)(.+) \1(.+)$)");  // ActiveRecord's, with a space for its "\0"
  std::smatch m;
  std::string joined = a + " " + b;
  if (std::regex_match(joined, m, shared)) return m[1].str() + m[2].str() + "_" + m[3].str();
  return a + "_" + b;
}

void Runner::create_join_table(const Command& c) {
  need(c, 2, "two table names");
  TableDef t;
  t.name = join_table_name(c);
  Command column_options = c;
  column_options.options = {{"null", Arg::boolean(false)}};
  if (const Arg* extra = c.option("column_options"); extra && extra->kind == Arg::Kind::Hash)
    for (const auto& kv : extra->hash) column_options.options.insert(column_options.options.begin(), kv);
  for (size_t i = 0; i < 2; ++i)
    t.columns.push_back(column(model::inflector::singularize(c.text(i)) + "_id", "integer", column_options));
  if (c.block)
    for (const auto& s : c.block->items[0]->items) table_statement(t, *s);
  writer_.create_table(t);
}

}  // namespace fw::lang::migration

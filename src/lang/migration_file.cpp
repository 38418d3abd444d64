#include "lang/migration_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <regex>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/forbidden.hpp"
#include "lang/model_file.hpp"
#include "lang/parser.hpp"
#include "model/inflector.hpp"
#include "storage/schema_writer.hpp"

namespace fw::lang {

namespace {

using model::Arg;
using model::Options;
using storage::ColumnDef;
using storage::IndexDef;
using storage::TableDef;

// The migration versions ActiveRecord 6.1 knows, as 42 for [4.2].
constexpr int kOldest = 42, kNewest = 61;

// A migration's version: unversioned (ActiveRecord::Migration, as most labs
// were written for Rails 4) runs as [4.2]; a newer one than 6.1 as 6.1.
int version_of(const std::string& written) {
  if (written.empty()) return kOldest;
  auto dot = written.find('.');
  int major = std::atoi(written.substr(0, dot).c_str());
  int minor = dot == std::string::npos ? 0 : std::atoi(written.substr(dot + 1).c_str());
  return std::clamp(major * 10 + minor, kOldest, kNewest);
}

// A call of the migration language: add_column :users, :bio, :text, null: false.
struct Command {
  std::string name;
  std::vector<Arg> args;
  Options options;
  const Node* block = nullptr;  // a Block node (create_table's t.*, reversible's up and down)
  SourcePos pos;

  const Arg* option(const std::string& key) const {
    for (const auto& [k, v] : options)
      if (k == key) return &v;
    return nullptr;
  }
  std::string text(size_t i) const { return i < args.size() ? args[i].text : ""; }
  Command with(std::string other, std::vector<Arg> new_args) const {
    Command c = *this;
    c.name = std::move(other);
    c.args = std::move(new_args);
    return c;
  }
};

bool is_true(const Arg* a) { return a && a->kind != Arg::Kind::Nil && !(a->kind == Arg::Kind::Bool && a->to_value() == Value(false)); }
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

// An argument, with a default given as a lambda (-> { "CURRENT_TIMESTAMP" })
// kept as SQL: a String Arg flagged "sql".
Arg argument(const Node& n) {
  if (n.kind == Node::Kind::Lambda && n.items[0]->items.size() == 1 && n.items[0]->items[0]->kind == Node::Kind::String) {
    Arg a = Arg::string(n.items[0]->items[0]->text);
    a.flags = "sql";
    return a;
  }
  if (n.kind == Node::Kind::Hash) {
    std::vector<std::pair<std::string, Arg>> items;
    for (size_t i = 0; i + 1 < n.items.size(); i += 2) items.push_back({literal(*n.items[i]).text, argument(*n.items[i + 1])});
    return Arg::hash_of(std::move(items));
  }
  return literal(n);
}

class Runner {
 public:
  Runner(storage::Database& db, std::string path, int version) : writer_(db), path_(std::move(path)), version_(version) {}

  void run(const Node& cls, bool up) {
    const Node *change = nullptr, *up_def = nullptr, *down_def = nullptr;
    for (const auto& item : cls.items) {
      if (item->kind != Node::Kind::Def || item->receiver) continue;
      if (item->name == "change") change = item.get();
      if (item->name == "up") up_def = item.get();
      if (item->name == "down") down_def = item.get();
    }
    if (up_def || down_def) {
      if (!up ? !down_def : !up_def)
        fail(cls.pos, fmt::format("{} has no `def {}`, so it cannot be {}", cls.name, up ? "up" : "down",
                                  up ? "migrated" : "rolled back"));
      going_up_ = up;
      run_body(*(up ? up_def : down_def)->items[0]);
      return;
    }
    if (!change) return;  // a class with none of them runs as nothing, and is recorded, as in ActiveRecord
    going_up_ = up;
    if (up) return run_body(*change->items[0]);
    // Rolled back as ActiveRecord does: every command inverted first (an
    // irreversible one stops it before anything runs), then run last to first.
    std::vector<Command> inverse;
    for (const auto& s : change->items[0]->items) {
      Command c = command(*s);
      if (c.name != "change_table") inverse.push_back(invert(c));
      else  // its lines recorded one by one, as ActiveRecord's recorder does
        for (const auto& line : change_table_commands(c)) inverse.push_back(invert(line));
    }
    for (auto it = inverse.rbegin(); it != inverse.rend(); ++it) apply(*it);
  }

  // A body's commands, in order.
  void run_body(const Node& body) {
    for (const auto& s : body.items) apply(command(*s));
  }

 private:
  [[noreturn]] void fail(SourcePos pos, const std::string& message) const {
    throw fw::Error(diagnostic(path_, pos, message));
  }

  // A statement of the migration's body: a command with no receiver.
  Command command(const Node& s) const {
    if ((s.kind != Node::Kind::Call && s.kind != Node::Kind::Variable) || s.receiver)
      fail(s.pos, "a migration here holds the migration language's commands (create_table, add_column, "
                  "add_index, ...); fwitter does not run other Ruby in a migration");
    Command c = command_of_call(s);
    if (s.block) {
      if (s.block->kind != Node::Kind::Block) fail(s.pos, c.name + " takes a do ... end block, not &");
      c.block = s.block.get();
    }
    return c;
  }

  // A call's name and literal arguments (t.string :name, null: false: the receiver aside).
  Command command_of_call(const Node& s) const {
    Command c;
    c.name = s.name;
    c.pos = s.pos;
    try {
      for (size_t i = 0; i < s.items.size(); ++i) {
        Arg a = argument(*s.items[i]);
        if (a.kind == Arg::Kind::Hash && i + 1 == s.items.size()) c.options = a.hash;
        else c.args.push_back(std::move(a));
      }
    } catch (const SyntaxError& e) {
      fail(e.pos, e.what());
    }
    return c;
  }

  void need(const Command& c, size_t args, const char* usage) const {
    if (c.args.size() < args) fail(c.pos, fmt::format("{} takes {}", c.name, usage));
  }

  [[noreturn]] void irreversible(const Command& c, const std::string& why) const {
    fail(c.pos, "ActiveRecord::IrreversibleMigration: " + why);
  }

  Command invert(const Command& c) const {
    const std::string& n = c.name;
    auto swap = [&](const char* other) { return c.with(other, c.args); };
    if (n == "create_table") return swap("drop_table");
    if (n == "drop_table") {
      if (c.options.empty() && !c.block)
        irreversible(c, "To avoid mistakes, drop_table is only reversible if given options or a block (can be empty).");
      return swap("create_table");
    }
    if (n == "create_join_table") return swap("drop_join_table");
    if (n == "drop_join_table") return swap("create_join_table");
    if (n == "add_column") return swap("remove_column");
    if (n == "remove_column") {
      if (c.args.size() < 3) irreversible(c, "remove_column is only reversible if given a type.");
      return swap("add_column");
    }
    if (n == "remove_columns") {
      if (!c.option("type")) irreversible(c, "remove_columns is only reversible if given a type.");
      return swap("add_columns");
    }
    if (n == "add_timestamps") return swap("remove_timestamps");
    if (n == "remove_timestamps") return swap("add_timestamps");
    if (n == "add_reference" || n == "add_belongs_to") return swap("remove_reference");
    if (n == "remove_reference" || n == "remove_belongs_to") return swap("add_reference");
    if (n == "rename_column" || n == "rename_index") {
      need(c, 3, "a table and two names");
      return c.with(n, {c.args[0], c.args[2], c.args[1]});
    }
    if (n == "rename_table") {
      need(c, 2, "two table names");
      return c.with(n, {c.args[1], c.args[0]});
    }
    if (n == "add_index") {
      need(c, 2, "a table and its columns");
      Command r = c.with("remove_index", {c.args[0]});
      r.options = {{"column", c.args[1]}};
      if (const Arg* name = c.option("name")) r.options.push_back({"name", *name});
      return r;
    }
    if (n == "remove_index") {
      const Arg* column = c.option("column");
      if (c.args.size() < 2 && !column) irreversible(c, "remove_index is only reversible if given a :column option.");
      Command r = c.with("add_index", {c.args.at(0), c.args.size() >= 2 ? c.args[1] : *column});
      r.options.erase(std::remove_if(r.options.begin(), r.options.end(), [](const auto& kv) { return kv.first == "column"; }),
                      r.options.end());
      return r;
    }
    if (n == "change_column_default") {
      const Arg *from = c.option("from"), *to = c.option("to");
      if (!from || !to) irreversible(c, "change_column_default is only reversible if given a :from and :to option.");
      Command r = c;
      r.options = {{"from", *to}, {"to", *from}};
      return r;
    }
    if (n == "change_column_null") {
      need(c, 3, "a table, a column and true or false");
      Command r = c;
      r.args[2] = Arg::boolean(!is_true(&c.args[2]));
      return r;
    }
    if (n == "add_foreign_key") return swap("remove_foreign_key");
    if (n == "remove_foreign_key") {
      if (c.args.size() < 2) irreversible(c, "remove_foreign_key is only reversible if given a second table");
      return swap("add_foreign_key");
    }
    if (n == "reversible" || n == "say" || n == "say_with_time" || n == "puts") return c;
    if (n == "change_column" || n == "execute")
      irreversible(c, fmt::format("This migration uses {}, which is not automatically reversible.\n"
                                  "To make the migration reversible you can either:\n"
                                  "1. Define #up and #down methods in place of the #change method.\n"
                                  "2. Use the #reversible method to define reversible behavior.",
                                  n));
    fail(c.pos, unknown(n));
  }

  static std::string unknown(const std::string& name) {
    static const std::vector<std::string> known = {
        "create_table", "drop_table", "change_table", "create_join_table", "drop_join_table", "rename_table",
        "add_column", "remove_column", "remove_columns", "rename_column", "change_column", "change_column_default",
        "change_column_null", "add_index", "remove_index", "rename_index", "add_reference", "add_belongs_to",
        "remove_reference", "remove_belongs_to", "add_foreign_key", "remove_foreign_key", "add_timestamps",
        "remove_timestamps", "execute", "reversible"};
    if (auto refused = refused_call(name)) return *refused;
    return fmt::format("undefined method `{}' in a migration.{}", name, suggestion_suffix(name, known));
  }

  // ---- running a command ----

  void apply(const Command& c) {
    try {
      run_command(c);
    } catch (const storage::DbError& e) {
      if (e.is_unavailable()) throw;
      fail(c.pos, fmt::format("{}: {}", c.name, e.what()));
    } catch (const SyntaxError& e) {
      fail(e.pos, e.what());
    } catch (const fw::Error& e) {
      std::string message = e.what();
      if (message.rfind(path_ + ":", 0) == 0) throw;  // placed already
      fail(c.pos, message);
    }
  }

  void run_command(const Command& c) {
    const std::string& n = c.name;
    if (n == "say" || n == "puts") return;
    if (n == "say_with_time" || n == "reversible") {
      if (!c.block) fail(c.pos, n + " takes a block");
      run_block(*c.block, n == "reversible");
      return;
    }
    if (n == "execute") {
      need(c, 1, "the SQL to run");
      return writer_.execute(c.text(0));
    }
    if (table_command(c) || column_command(c) || index_command(c) || reference_command(c)) return;
    fail(c.pos, unknown(n));
  }

  // Each group's commands; false when `c` is none of them.
  bool table_command(const Command& c) {
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

  bool column_command(const Command& c) {
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

  bool index_command(const Command& c) {
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
  bool reference_command(const Command& c) {
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

  // reversible's |dir|: dir.up { ... } runs going up, dir.down { ... } going down.
  void run_block(const Node& block, bool reversible) {
    for (const auto& s : block.items[0]->items) {
      if (reversible) {
        bool direction = s->kind == Node::Kind::Call && s->receiver && (s->name == "up" || s->name == "down");
        if (!direction || !s->block) fail(s->pos, "inside reversible, write dir.up { ... } and dir.down { ... }");
        if ((s->name == "up") == going_up_) run_block(*s->block, false);
        continue;
      }
      apply(command(*s));
    }
  }

  // ---- columns, indexes, references ----

  std::optional<std::string> default_sql(const Arg& a) const {
    if (a.flags == "sql") return a.text;  // -> { "CURRENT_TIMESTAMP" }
    if (a.kind == Arg::Kind::Nil) return std::nullopt;
    return storage::default_literal(a.to_value());
  }

  ColumnDef column(const std::string& name, const std::string& type, const Command& c) const {
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

  IndexDef index(const std::string& table, const std::vector<std::string>& columns, const Options& options) const {
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

  std::string index_to_remove(const Command& c) {
    if (const Arg* name = c.option("name")) return name->text;
    std::vector<std::string> columns;
    if (const Arg* column = c.option("column")) columns = names_of(*column);
    else if (c.args.size() >= 2) columns = names_of(c.args[1]);
    for (const auto& i : writer_.indexes(c.text(0)))
      if (i.columns == columns) return i.name;
    fail(c.pos, fmt::format("No indexes found on {} with the options provided.", c.text(0)));
  }

  storage::ForeignKeyDef foreign_key(const std::string& to_table, const Command& c) const {
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
  void reference(TableDef& t, const std::string& name, const Command& c) const {
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

  static bool index_option_named(const Options& options) {
    return std::any_of(options.begin(), options.end(), [](const auto& kv) { return kv.first == "name"; });
  }

  // created_at and updated_at: nullable in [4.2], NOT NULL from [5.0], with
  // microseconds (datetime(6)) from [6.0], unless the options say otherwise.
  void timestamps(TableDef& t, const Command& c) const {
    Command options = c;
    options.options.clear();
    if (!c.option("null")) options.options.push_back({"null", Arg::boolean(version_ < 50)});
    if (!c.option("precision") && version_ >= 60) options.options.push_back({"precision", Arg::integer(6)});
    for (const auto& kv : c.options) options.options.push_back(kv);
    t.columns.push_back(column("created_at", "datetime", options));
    t.columns.push_back(column("updated_at", "datetime", options));
  }

  // A t.* statement inside create_table's (or change_table's) block.
  void table_statement(TableDef& t, const Node& s) const {
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

  void create_table(const Command& c) {
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
  void change_table(const Command& c) {
    for (const auto& line : change_table_commands(c)) apply(line);
  }

  std::vector<Command> change_table_commands(const Command& c) {
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
  std::string join_table_name(const Command& c) const {
    if (const Arg* name = c.option("table_name")) return name->text;
    std::string a = c.text(0), b = c.text(1);
    if (b < a) std::swap(a, b);
    static const std::regex shared(R"(^(.*_)(.+) \1(.+)$)");  // ActiveRecord's, with a space for its "\0"
    std::smatch m;
    std::string joined = a + " " + b;
    if (std::regex_match(joined, m, shared)) return m[1].str() + m[2].str() + "_" + m[3].str();
    return a + "_" + b;
  }

  void create_join_table(const Command& c) {
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

  storage::SchemaWriter writer_;
  std::string path_;
  int version_;
  bool going_up_ = true;
};

// The migration class of a file: the one that inherits from ActiveRecord::Migration.
const Node* migration_class(const std::vector<NodePtr>& statements) {
  for (const auto& s : statements)
    if (s->kind == Node::Kind::ClassDef && s->text.rfind("ActiveRecord::Migration", 0) == 0) return s.get();
  return nullptr;
}

}  // namespace

void compile_migrations(std::vector<storage::Migration>& migrations) {
  for (auto& m : migrations) {
    if (m.ruby.empty() && m.path.size() > 3 && m.path.compare(m.path.size() - 3, 3, ".rb") != 0) continue;
    auto statements = std::make_shared<std::vector<NodePtr>>();
    std::string problem;
    try {
      Parser parser(m.ruby);
      while (NodePtr s = parser.next_statement()) statements->push_back(std::move(s));
    } catch (const SyntaxError& e) {
      problem = diagnostic(m.path, e.pos, e.what());
    }
    const Node* cls = problem.empty() ? migration_class(*statements) : nullptr;
    if (problem.empty() && !cls)
      problem = diagnostic(m.path, {1, 1}, "no migration class here (class CreateUsers < ActiveRecord::Migration[6.1])");
    int version = cls ? version_of(cls->flags) : kNewest;
    m.program = [statements, cls, problem, path = m.path, version](storage::Database& db, bool up) {
      if (!problem.empty()) throw fw::Error(problem);
      Runner(db, path, version).run(*cls, up);
    };
  }
}

long long load_schema(const std::string& path, const std::string& text, storage::Database& db) {
  Parser parser(text);
  std::vector<NodePtr> statements;
  try {
    while (NodePtr s = parser.next_statement()) statements.push_back(std::move(s));
  } catch (const SyntaxError& e) {
    throw fw::Error(diagnostic(path, e.pos, e.what()));
  }
  for (const auto& s : statements) {
    if (s->kind != Node::Kind::Call || s->name != "define" || !s->receiver || !s->block) continue;
    long long version = 0;
    if (!s->items.empty() && s->items.back()->kind == Node::Kind::Hash)
      for (size_t i = 0; i + 1 < s->items.back()->items.size(); i += 2)
        if (s->items.back()->items[i]->text == "version")
          version = std::atoll(s->items.back()->items[i + 1]->text.c_str());
    // schema.rb's columns say their own null: and precision:, as the newest version writes them.
    Runner(db, path, kNewest).run_body(*s->block->items[0]);
    return version;
  }
  throw fw::Error(diagnostic(path, {1, 1}, "no ActiveRecord::Schema.define(version: ...) do ... end here"));
}

}  // namespace fw::lang

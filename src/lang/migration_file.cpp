#include "lang/migration_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/forbidden.hpp"
#include "lang/migration_runner.hpp"
#include "lang/model_file.hpp"
#include "lang/parser.hpp"

namespace fw::lang {

namespace migration {

namespace {

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

}  // namespace

bool is_true(const Arg* a) { return a && a->kind != Arg::Kind::Nil && !(a->kind == Arg::Kind::Bool && a->to_value() == Value(false)); }

void Runner::run(const Node& cls, bool up) {
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
void Runner::run_body(const Node& body) {
  for (const auto& s : body.items) apply(command(*s));
}

[[noreturn]] void Runner::fail(SourcePos pos, const std::string& message) const {
  throw fw::Error(diagnostic(path_, pos, message));
}

// A statement of the migration's body: a command with no receiver.
Command Runner::command(const Node& s) const {
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
Command Runner::command_of_call(const Node& s) const {
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

void Runner::need(const Command& c, size_t args, const char* usage) const {
  if (c.args.size() < args) fail(c.pos, fmt::format("{} takes {}", c.name, usage));
}

[[noreturn]] void Runner::irreversible(const Command& c, const std::string& why) const {
  fail(c.pos, "ActiveRecord::IrreversibleMigration: " + why);
}

Command Runner::invert(const Command& c) const {
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

std::string Runner::unknown(const std::string& name) {
  static const std::vector<std::string> known = {
      "create_table", "drop_table", "change_table", "create_join_table", "drop_join_table", "rename_table",
      "add_column", "remove_column", "remove_columns", "rename_column", "change_column", "change_column_default",
      "change_column_null", "add_index", "remove_index", "rename_index", "add_reference", "add_belongs_to",
      "remove_reference", "remove_belongs_to", "add_foreign_key", "remove_foreign_key", "add_timestamps",
      "remove_timestamps", "execute", "reversible"};
  if (auto refused = refused_call(name)) return *refused;
  return fmt::format("undefined method `{}' in a migration.{}", name, suggestion_suffix(name, known));
}

void Runner::apply(const Command& c) {
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

void Runner::run_command(const Command& c) {
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

// reversible's |dir|: dir.up { ... } runs going up, dir.down { ... } going down.
void Runner::run_block(const Node& block, bool reversible) {
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

}  // namespace migration

namespace {

using migration::Runner;

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

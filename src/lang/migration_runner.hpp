#pragma once
// What runs a migration's commands, shared by the two files that hold it:
// migration_file.cpp reads the commands, inverts them for a rollback and runs
// them; migration_tables.cpp holds what the table, column, index and
// reference commands make. Only those two include it: migration_file.hpp is
// the lang layer's door to migrations.
#include <optional>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "model/declaration.hpp"
#include "storage/schema_writer.hpp"

namespace fw::lang::migration {

using model::Arg;
using model::Options;
using storage::ColumnDef;
using storage::IndexDef;
using storage::TableDef;

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

// Whether an option's value is given and neither nil nor false.
bool is_true(const Arg* a);

class Runner {
 public:
  Runner(storage::Database& db, std::string path, int version) : writer_(db), path_(std::move(path)), version_(version) {}

  void run(const Node& cls, bool up);
  void run_body(const Node& body);

 private:
  [[noreturn]] void fail(SourcePos pos, const std::string& message) const;
  Command command(const Node& s) const;
  Command command_of_call(const Node& s) const;
  void need(const Command& c, size_t args, const char* usage) const;
  [[noreturn]] void irreversible(const Command& c, const std::string& why) const;
  Command invert(const Command& c) const;
  static std::string unknown(const std::string& name);
  void apply(const Command& c);
  void run_command(const Command& c);
  void run_block(const Node& block, bool reversible);

  // ---- the commands' effects (migration_tables.cpp) ----
  bool table_command(const Command& c);
  bool column_command(const Command& c);
  bool index_command(const Command& c);
  bool reference_command(const Command& c);
  std::optional<std::string> default_sql(const Arg& a) const;
  ColumnDef column(const std::string& name, const std::string& type, const Command& c) const;
  IndexDef index(const std::string& table, const std::vector<std::string>& columns, const Options& options) const;
  std::string index_to_remove(const Command& c);
  storage::ForeignKeyDef foreign_key(const std::string& to_table, const Command& c) const;
  void reference(TableDef& t, const std::string& name, const Command& c) const;
  static bool index_option_named(const Options& options);
  void timestamps(TableDef& t, const Command& c) const;
  void table_statement(TableDef& t, const Node& s) const;
  void create_table(const Command& c);
  void change_table(const Command& c);
  std::vector<Command> change_table_commands(const Command& c);
  std::string join_table_name(const Command& c) const;
  void create_join_table(const Command& c);

  storage::SchemaWriter writer_;
  std::string path_;
  int version_;
  bool going_up_ = true;
};

}  // namespace fw::lang::migration

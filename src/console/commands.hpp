#pragma once
// The console's commands (help, sql, undo, ...): one table, read by the
// parser (which words are commands), by dispatch, and by help and completion.
#include <string>
#include <vector>

#include "lang/parser.hpp"

namespace fw::console {

class Session;

// What a command needs of the statement loop (console/statement_runner.hpp):
// flags on its row, or-ed together.
enum CommandNeeds : unsigned {
  kNeedsNothing = 0,
  kTakesStatement = 1u << 0,      // explain STATEMENT: `;` belongs to the argument
  kChangesData = 1u << 1,         // runs statements whose changes undo reverts (load); other commands' are not kept
  kOutsideTransaction = 1u << 2,  // refused while begin's transaction is open (reload!)
  kNotRecorded = 1u << 3,         // left out of the transcript record writes (record itself)
};

// What Tab completes after the command's name (console/completion.cpp).
enum class Completes {
  Nothing,
  HelpTopics,  // help's topics and every method of the language's tables
  ModelNames,
  Formats,     // the printers' names (console/printer.hpp)
  OnOff,
  Files,       // a script's path, in quotes
};

struct Command {
  const char* name;
  const char* usage;    // "sql on|off"
  const char* summary;  // one line for help
  unsigned needs;       // CommandNeeds
  Completes completes;
  // Runs the command with the rest of the line (console/commands/NAME.cpp).
  void (*run)(Session& session, const std::string& args);
};

// Each command, a function in console/commands/ (exit and quit share one;
// transaction, begin, commit and rollback are in transaction.cpp).
void command_help(Session& s, const std::string& args);
void command_models(Session& s, const std::string& args);
void command_schema(Session& s, const std::string& args);
void command_associations(Session& s, const std::string& args);
void command_sql(Session& s, const std::string& args);
void command_timer(Session& s, const std::string& args);
void command_format(Session& s, const std::string& args);
void command_load(Session& s, const std::string& args);
void command_begin(Session& s, const std::string& args);
void command_commit(Session& s, const std::string& args);
void command_rollback(Session& s, const std::string& args);
void command_undo(Session& s, const std::string& args);
void command_explain(Session& s, const std::string& args);
void command_diagram(Session& s, const std::string& args);
void command_record(Session& s, const std::string& args);
void command_reload(Session& s, const std::string& args);
void command_status(Session& s, const std::string& args);
void command_ls(Session& s, const std::string& args);
void command_web(Session& s, const std::string& args);
void command_exit(Session& s, const std::string& args);

// `"file"` or `'file'` as the file name.
std::string unquoted(const std::string& s);

const std::vector<Command>& commands();
const Command* find_command(const std::string& name);
// The words the parser treats as commands at the start of a statement.
std::vector<lang::CommandWord> command_words();

}  // namespace fw::console

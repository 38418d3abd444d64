#pragma once
// The console's commands (help, sql, undo, ...): one table, read by the
// parser (which words are commands), by dispatch, and by help and completion.
#include <string>
#include <vector>

#include "lang/parser.hpp"

namespace fw::console {

class Session;

struct Command {
  const char* name;
  const char* usage;    // "sql on|off"
  const char* summary;  // one line for help
  bool takes_statement; // explain STATEMENT: ';' belongs to the argument
  // Runs the command with the rest of the line; null while not built.
  void (Session::*run)(const std::string& args);
};

const std::vector<Command>& commands();
const Command* find_command(const std::string& name);
// The words the parser treats as commands at the start of a statement.
std::vector<lang::CommandWord> command_words();

}  // namespace fw::console

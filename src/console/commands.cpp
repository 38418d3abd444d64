#include "console/commands.hpp"

#include "console/session.hpp"

namespace fw::console {

const std::vector<Command>& commands() {
  using C = Completes;
  static const std::vector<Command> table = {
      {"help", "help [topic]", "an overview, or a topic or method explained with examples", kNeedsNothing,
       C::HelpTopics, &command_help},
      {"models", "models", "the app's models and their tables", kNeedsNothing, C::Nothing, &command_models},
      {"schema", "schema [Model]", "columns, types, indexes and foreign keys", kNeedsNothing, C::ModelNames,
       &command_schema},
      {"associations", "associations [Model]", "a model's associations with their options (every model's without one)",
       kNeedsNothing, C::ModelNames, &command_associations},
      {"sql", "sql on|off", "print each SQL statement as Rails logs it", kNeedsNothing, C::OnOff, &command_sql},
      {"timer", "timer on|off", "each statement's time and number of queries", kNeedsNothing, C::OnOff, &command_timer},
      {"format", "format table|inspect|json|csv", "how results are printed (`format table --all`: every row)",
       kNeedsNothing, C::Formats, &command_format},
      {"load", "load \"file\"", "run a script inside this session", kChangesData, C::Files, &command_load},
      {"transaction", "transaction", "start a transaction that spans statements (also `begin` alone on a line)",
       kNeedsNothing, C::Nothing, &command_begin},
      {"begin", "begin", "alone on a line: start a transaction (followed by Ruby: Ruby's begin ... rescue ... end)",
       kNeedsNothing, C::Nothing, &command_begin},
      {"commit", "commit", "keep what the open transaction did", kNeedsNothing, C::Nothing, &command_commit},
      {"rollback", "rollback", "undo what the open transaction did", kNeedsNothing, C::Nothing, &command_rollback},
      {"undo", "undo", "revert everything the last statement changed (again: the one before)", kNeedsNothing,
       C::Nothing, &command_undo},
      {"explain", "explain STATEMENT", "the association path, SQL, plan and changes of a statement, changing nothing",
       kTakesStatement, C::Nothing, &command_explain},
      {"diagram", "diagram [mermaid|dot]", "the models and their associations as a Mermaid or Graphviz diagram",
       kNeedsNothing, C::Nothing, &command_diagram},
      {"record", "record \"file\"|off", "write a transcript of the session from now on, as --echo prints it",
       kNotRecorded, C::Files, &command_record},
      {"reload!", "reload!", "read the app's model files again, as rails console's reload!", kOutsideTransaction,
       C::Nothing, &command_reload},
      {"status", "status", "the app, database, environment and settings this console runs with", kNeedsNothing,
       C::Nothing, &command_status},
      {"ls", "ls", "this session's variables (with their classes) and the methods defined with def, as irb's ls",
       kNeedsNothing, C::Nothing, &command_ls},
      {"web", "web [PORT|share [PORT]]",
       "a live view of this session in the browser: statements, SQL, changed rows, records and the diagram",
       kNotRecorded, C::Nothing, &command_web},
      {"exit", "exit", "leave the console", kNeedsNothing, C::Nothing, &command_exit},
      {"quit", "quit", "leave the console", kNeedsNothing, C::Nothing, &command_exit},
  };
  return table;
}

std::string unquoted(const std::string& s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) return s.substr(1, s.size() - 2);
  return s;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

std::vector<lang::CommandWord> command_words() {
  std::vector<lang::CommandWord> words;
  for (const auto& c : commands()) words.push_back({c.name, (c.needs & kTakesStatement) != 0});
  return words;
}

}  // namespace fw::console

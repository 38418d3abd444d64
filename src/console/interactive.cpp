// The console on a terminal: the prompt, the line editor's loop, leaving,
// and the looks completion takes at a receiver's value (peek).
#include <filesystem>
#include <sstream>

#include "console/commands.hpp"
#include "console/completion.hpp"
#include "console/interrupt.hpp"
#include "console/line_editor.hpp"
#include "console/session.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"

namespace fs = std::filesystem;

namespace fw::console {

std::string Session::prompt(bool continuing) const {
  // The app's folder name: `--app ../clinic/` prompts `clinic> `.
  fs::path folder = fs::path(env_.app().name).lexically_normal();
  std::string name = folder.has_filename() ? folder.filename().string() : folder.parent_path().filename().string();
  if (settings_.sandbox) name += "(sandbox)";
  if (runner_.in_user_transaction()) name += "(transaction)";
  return name + (continuing ? "*> " : "> ");
}

namespace {
// True when the parser ran out of input inside a statement (an open do,
// bracket or string): the console then reads another line.
bool is_unfinished(const std::string& text) {
  try {
    lang::Parser probe(text, command_words());
    while (probe.next_statement()) {}
  } catch (const lang::SyntaxError& e) {
    return e.incomplete;
  }
  return false;
}

bool is_blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }
}  // namespace

void Session::start_interactive() {
  settings_.keep_going = settings_.no_transaction = true;  // each statement stands alone
  runner_.set_interactive();
}

int Session::run_interactive() {
  start_interactive();
  Completer completer(*this);
  LineEditor editor(HistoryFile(HistoryFile::default_path()),
                    [&](const std::string& before) {
                      ConnectionTurn::TakenBack back(turn_);  // completion may read: the console's turn again
                      return completer.complete(before);
                    });
  // Between statements the terminal is briefly in its own mode, where Ctrl-C
  // is a signal: caught here too, so a Ctrl-C typed ahead never ends the console.
  InterruptGuard between_statements;
  out_ << "Type help for the commands and topics, exit or Ctrl-D to leave.\n";
  std::string buffer, line;
  int status = 0;
  while (!runner_.exit_requested()) {
    out_.flush();
    std::string prompt_text = prompt(!buffer.empty());
    auto read = [&] {
      ConnectionTurn::Lent lent(turn_);  // the view's pages may read while the console waits
      return editor.read(prompt_text, line);
    }();
    if (read == LineEditor::Read::End) break;
    if (read == LineEditor::Read::Cancelled) {
      buffer.clear();  // Ctrl-C: the half-typed statement is dropped
      continue;
    }
    take_line(buffer, line, editor, status);
  }
  return leave_console(status);
}

bool Session::take_line(std::string& buffer, const std::string& line, LineEditor& editor, int& status) {
  buffer += line + "\n";
  if (is_blank(buffer)) buffer.clear();
  if (buffer.empty() || is_unfinished(buffer)) return false;
  editor.remember(buffer.substr(0, buffer.size() - 1));
  InterruptGuard ctrl_c;  // Ctrl-C stops the statement, not the console
  status = run_script("(console)", buffer);
  buffer.clear();
  return true;
}

// Ctrl-D or exit: a transaction still open is rolled back, and says so.
int Session::leave_console(int status) {
  if (!runner_.exit_requested()) out_ << '\n';
  if (runner_.drop_user_transaction()) err_ << "fwitter: the open transaction was rolled back\n";
  return status;
}

// On the runtime's own interpreter (its models' methods, constants and
// scopes as the statements see them); what a look changes in memory is put
// back as the rolled-back transaction puts back the database.
void Session::peek(const std::function<void(lang::Interpreter&)>& look) {
  QuietLog quiet(*this);  // a look is not the user's query
  lang::Interpreter& interpreter = runtime_->interpreter();
  model::Store& store = runtime_->store();
  std::ostringstream nowhere;
  struct Restore {
    lang::Interpreter& interpreter;
    std::ostream& output;
    model::Store& store;
    size_t changes, enrolled;
    ~Restore() {
      interpreter.set_output(output);
      store.roll_back_to(changes);
      store.forget_transaction(enrolled);  // nothing is committed: no after_commit runs for it
    }
  } restore{interpreter, interpreter.output(), store, store.change_mark(), store.transaction_mark()};
  interpreter.set_output(nowhere);
  try {
    storage::Transaction never_committed(env_.db(), storage::TransactionLog::Quiet);
    look(interpreter);
  } catch (const std::exception&) {
    // a receiver that cannot be evaluated completes nothing
  }
}

}  // namespace fw::console

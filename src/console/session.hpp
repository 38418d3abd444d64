#pragma once
// A session: an app's models loaded over an open database, an interpreter,
// and the rules scripts run by (the README's Running a seed script).
#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "console/environment.hpp"
#include "console/printer.hpp"
#include "console/sql_log.hpp"
#include "console/undo.hpp"
#include "storage/changeset.hpp"
#include "lang/runtime.hpp"

namespace fw::console {

class Recorder;    // console/recorder.hpp
class LineEditor;  // console/line_editor.hpp

struct Settings {
  std::string format = "table";  // table, inspect, json or csv
  Terminal terminal;             // what standard output is
  bool sql = false;
  bool timer = false;  // each statement's time and number of queries, after its result
  bool hints = false;  // the N+1 hint even with the timer off (on a terminal)
  bool keep_going = false;
  bool no_transaction = false;
  bool echo = false;
  bool sandbox = false;
  bool quiet = false;  // print no values (seed scripts)
  int timeout = 0;     // --timeout: seconds a statement may run before it is stopped; 0 for no limit
};

class Session {
 public:
  // Loads the app's models; throws fw::Error listing every problem in them.
  Session(Environment& env, Settings settings, std::ostream& out, std::ostream& err);
  ~Session();

  // Runs a script (a file, -e statements, piped input) as one transaction,
  // or as --keep-going and --no-transaction say (fwitter --help).
  // Returns 0, or 1 when a statement failed.
  int run_script(const std::string& name, const std::string& text);

  // The console on a terminal (console/interactive.cpp): reads a statement
  // with the line editor (more lines while it is unfinished), runs it in its
  // own transaction, prints its value. Returns 1 when the last statement
  // failed, as irb does, else 0.
  int run_interactive();

  // A lesson live on a terminal (console/lesson.cpp): each step shown, run
  // on Enter; statements typed between steps run in the lesson's world;
  // `back` undoes the last step, `skip` passes one, Ctrl-D leaves.
  int run_lesson(const std::string& name, const std::string& text);

  // Runs `look` on the runtime's interpreter with the SQL log off and its
  // output going nowhere, inside a transaction that is always rolled back;
  // an error in it is swallowed. Completion looks at a receiver's value this
  // way (Interpreter::evaluate and call: `_` and the variables stay as they were).
  void peek(const std::function<void(lang::Interpreter&)>& look);
  // "fwitter> ", "fwitter(sandbox)> "; "fwitter*> " for a statement's next line.
  std::string prompt(bool continuing) const;

  lang::Interpreter& interpreter() { return runtime_->interpreter(); }
  const model::App& app() const { return runtime_->app(); }
  // What the model files had that was passed over ("FILE:LINE: ..." lines).
  std::vector<std::string> model_notes() const { return runtime_->notes(); }
  model::Store& store() { return runtime_->store(); }

  // ---- What the console commands (console/commands/) work with ----
  Environment& env() { return env_; }
  Settings& settings() { return settings_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  // Text shown through the pager when it is longer than the terminal.
  void page(const std::string& text);
  void set_sql_log(bool on);
  // The printer for `format NAME` (`all_rows`: table --all).
  void set_format(const std::string& name, bool all_rows);
  // What a command asks of the statement loop, done once its statement has
  // ended: leave, read the models again, or open or end the user's
  // transaction (begin, commit and rollback run inside their statement's own
  // transaction, so they only ask). Throws fw::Error when it cannot be done.
  enum class Request { Exit, Reload, Begin, Commit, Rollback };
  void request(Request request);
  bool in_user_transaction() const { return user_transaction_.has_value(); }
  UndoHistory& undo_history() { return undo_; }
  // The running statement is undo: its changes are not remembered for undo.
  void mark_undoing() { undoing_ = true; }
  // Records held in variables read again where `tables` changed (and,
  // `with_errors`, those holding errors).
  void reload_variables(const std::vector<storage::TableChanges>& tables, bool with_errors);
  // Keeps the SQL log quiet while it lives (explain lists its queries itself).
  class QuietLog {
   public:
    explicit QuietLog(Session& session);
    ~QuietLog();
    QuietLog(const QuietLog&) = delete;
    QuietLog& operator=(const QuietLog&) = delete;

   private:
    Session& session_;
    bool was_on_;
  };
  // `record "file"`: the transcript being written, or null.
  std::unique_ptr<Recorder>& recorder() { return recorder_; }

 private:
  enum class TransactionRequest { None, Begin, Commit, Rollback };
  // run_statement, and once more if it met another program's write lock
  // before it had written (Database::retake_for_writing): it then waits its turn.
  void run_statement_in_turn(const lang::Node& statement, storage::Undo undo, bool show = true);
  // One statement as the script loop reads it (a line of `a; b; c` runs
  // each); reported and rolled back when it fails, and then false.
  bool run_parsed(const std::string& name, const lang::Node& statement, std::string_view source, size_t statement_end,
                  bool stops_the_script);
  void report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail);
  // A statement's runtime error, at the statement, with a note of the place
  // in a model file it was raised, when it was raised inside the app's code.
  void report_failure(const std::string& name, const std::string& message);
  void run_command(const lang::Node& command);
  void set_puts_stream();
  // `undo`: Undo::WithOuter when the script's transaction is rolled back
  // anyway if the statement fails (see run_script).
  // `show`: print its value (not for the statements before the last of a line).
  void run_statement(const lang::Node& statement, storage::Undo undo, bool show = true);
  void after_statement(std::chrono::microseconds took);
  void apply_requests();
  void check_at_prompt(const char* command) const;
  // Takes `runtime` (at start, and after reload!) with a printer over its store.
  void start_runtime(std::unique_ptr<lang::Runtime> runtime);
  void reload_models();  // console/commands/reload.cpp
  void remember_changes(storage::ChangeRecorder& recorder);
  void record_statement(std::string_view comments, bool after_output, const std::string& text);
  // A line typed at the prompt, added to `buffer`; the statement runs once
  // it is complete. False when it is still unfinished.
  bool take_line(std::string& buffer, const std::string& line, LineEditor& editor, int& status);
  int leave_console(int status);
  void undo_to(std::uint64_t mark);
  TransactionRequest transaction_request_ = TransactionRequest::None;
  bool exit_requested_ = false;
  bool reload_requested_ = false;  // reload! runs once its statement has ended
  std::optional<SourcePos> command_at_;  // where the console command that failed was
  int log_listener_ = 0;      // the SQL log's, when on
  int queries_listener_ = 0;  // counts each statement's queries
  StatementQueries queries_;

  Environment& env_;
  Settings settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<lang::Runtime> runtime_;  // the models, the store and the interpreter
  std::unique_ptr<Printer> printer_;
  std::optional<storage::Transaction> sandbox_;
  std::optional<storage::Transaction> user_transaction_;  // begin ... commit or rollback
  UndoHistory undo_;
  std::uint64_t transaction_mark_ = 0;  // undo_'s mark when the user's transaction began
  std::string statement_text_;          // the statement running now, as written
  bool undoing_ = false;                // the running statement is undo: its changes are not remembered
  std::unique_ptr<Recorder> recorder_;  // record "file"
  bool lost_transaction(const std::string& name);
  void after_rollback(size_t enrolled);  // the after_rollback callbacks of the records enrolled since
  size_t user_transaction_mark_ = 0;                     // the store's change mark when it began
  int script_depth_ = 0;  // scripts running now: load runs one inside another
  bool interactive_ = false;
  // Statements are recorded for undo only where an `undo` can reach them:
  // at the prompt, or in a script that says `undo` itself.
  bool undo_reachable_ = false;
};

// Brings a database up to date before statements run: a new file is
// migrated and seeded (one line says so); pending migrations get a warning.
void prepare_database(Environment& env, std::ostream& err);
// Runs the app's seed script quietly; returns 0 or 1.
int seed(Environment& env, std::ostream& out, std::ostream& err);

// A script's comment lines, as --echo shows them before the statement they
// explain (a lesson run with --echo reads as a handout): `between` is the
// text since the last statement; `after_output` keeps a blank line before them.
void echo_comments(std::string_view between, bool after_output, std::ostream& to);
// A script's text after the statement ending at `last_end` (less the rest of
// its line) up to the next statement, at `next`: the comments that explain it.
std::string_view text_between(std::string_view source, size_t last_end, size_t next);

// A script file's text; throws fw::Error naming why it cannot be one (missing,
// a directory or device, too large, binary).
std::string read_script(const std::string& path);

}  // namespace fw::console

#pragma once
// A session: the console over an app's models loaded on an open database:
// its prompt, its commands (console/commands/) and its printer. Statements
// run through its StatementRunner (console/statement_runner.hpp), which the
// progress line, --echo, the transcript and the timer watch.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "console/connection_turn.hpp"
#include "console/environment.hpp"
#include "console/printer.hpp"
#include "console/progress.hpp"
#include "console/script_text.hpp"
#include "console/settings.hpp"
#include "console/sql_log.hpp"
#include "console/statement_runner.hpp"
#include "console/undo.hpp"
#include "storage/changeset.hpp"
#include "lang/runtime.hpp"

namespace fw::console {

class Recorder;    // console/recorder.hpp
class LineEditor;  // console/line_editor.hpp

// A view of the session that follows its statements elsewhere: the browser
// view (web/view.hpp), which lives above the console and is started through
// the hook the command line sets (Session::set_view_starter).
class SessionView : public StatementObserver {
 public:
  // Where it is: "http://127.0.0.1:8765/".
  virtual std::string address() const = 0;
};

class Session final : private StatementHost {
 public:
  // What starts a view of a session (`web ARGS`, fwitter --web): the command
  // line sets it (cli/main.cpp); without one, `web` says the view is not built in.
  using ViewStarter = std::function<std::unique_ptr<SessionView>(Session& session, const std::string& args)>;
  static void set_view_starter(ViewStarter starter);

  // Loads the app's models; throws fw::Error listing every problem in them.
  Session(Environment& env, Settings settings, std::ostream& out, std::ostream& err);
  ~Session();

  // Runs a script (a file, -e statements, piped input) as one transaction,
  // or as --keep-going and --no-transaction say (fwitter --help).
  // Returns 0, or 1 when a statement failed.
  int run_script(const std::string& name, const std::string& text);
  // The same, as `load` runs a file: one transaction that stops at the first failure.
  int run_loaded(const std::string& name, const std::string& text);

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
  // The statement loop: what a command asks of it (runner().request), the
  // user's transaction, undo's history.
  StatementRunner& runner() { return runner_; }
  bool in_user_transaction() const { return runner_.in_user_transaction(); }
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
  // `record "file"`: the transcript being written, or null; set_recorder
  // ends the one before (null: recording stops).
  Recorder* recorder() { return recorder_.get(); }
  void set_recorder(std::unique_ptr<Recorder> recorder);
  // `web [PORT|share [PORT]]`: starts the view (once) and says where it is;
  // throws fw::Error when it cannot start.
  void start_view(const std::string& args);
  SessionView* view() { return view_.get(); }
  // Whose turn it is on the database connection (connection_turn.hpp): the
  // view's pages borrow it while the console waits at the prompt.
  ConnectionTurn& connection_turn() { return turn_; }

 private:
  // ---- StatementHost: what the runner asks of the console ----
  lang::Runtime& runtime() override { return *runtime_; }
  void show(const lang::Object& value) override;
  void report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail) override;
  void run_command(const Command& command, const std::string& args) override;
  void reload_models() override;  // console/reload_models.cpp
  void database_reopened() override;

  void set_puts_stream();
  // Takes `runtime` (at start, and after reload!) with a printer over its store.
  void start_runtime(std::unique_ptr<lang::Runtime> runtime);
  // At the prompt or in a live lesson: each statement stands alone.
  void start_interactive();
  // A line typed at the prompt, added to `buffer`; the statement runs once
  // it is complete. False when it is still unfinished.
  bool take_line(std::string& buffer, const std::string& line, LineEditor& editor, int& status);
  int leave_console(int status);
  void undo_to(std::uint64_t mark);

  Environment& env_;
  ConnectionTurn turn_;  // the console's but while it waits for a line
  Settings settings_;
  std::ostream& out_;
  std::ostream& err_;
  int log_listener_ = 0;  // the SQL log's, when on
  std::unique_ptr<lang::Runtime> runtime_;  // the models, the store and the interpreter
  std::unique_ptr<Printer> printer_;
  std::optional<storage::Transaction> sandbox_;
  StatementRunner runner_;
  // What watches the runner, in this order: the progress line is erased
  // before --echo prints a statement.
  Progress progress_;
  Echo echo_;
  StatementTimer timer_;
  std::unique_ptr<Recorder> recorder_;  // record "file"
  std::unique_ptr<SessionView> view_;   // web: the browser view, last to hear each statement
};

// Brings a database up to date before statements run: a new file is
// migrated and seeded (one line says so); pending migrations get a warning.
void prepare_database(Environment& env, std::ostream& err);
// Runs the app's seed script quietly; returns 0 or 1.
int seed(Environment& env, std::ostream& out, std::ostream& err);

}  // namespace fw::console

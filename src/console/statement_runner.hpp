#pragma once
// The statement runner: a script's statements read one by one, each run in
// its own transaction (a savepoint inside the script's), once more after
// another program's write lock was waited out, rolled back and reported when
// it fails; the user's transaction (begin ... commit or rollback) and what a
// console command asks of the loop done once its statement has ended. What
// watches a run (progress, --echo, the transcript, the timer) is a
// StatementObserver; the console it runs statements for is its StatementHost.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "console/commands.hpp"
#include "console/settings.hpp"
#include "console/statement_observer.hpp"
#include "console/undo.hpp"
#include "lang/runtime.hpp"
#include "storage/changeset.hpp"

namespace fw::console {

// What the runner runs statements for: the console (console/session.hpp).
class StatementHost {
 public:
  // The models, the store and the interpreter (reload! puts new ones in).
  virtual lang::Runtime& runtime() = 0;
  // A statement's value, printed.
  virtual void show(const lang::Object& value) = 0;
  // A failure at `pos` in the script `name`, with `detail` lines after it.
  virtual void report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail) = 0;
  // A console command, with the rest of its line.
  virtual void run_command(const Command& command, const std::string& args) = 0;
  // reload!, once its statement has ended.
  virtual void reload_models() = 0;
  // The runner opened the database again (console/reconnect.cpp): the
  // sandbox begins again, and a new SQLite file's models are read again.
  virtual void database_reopened() = 0;

 protected:
  ~StatementHost() = default;
};

// How a script runs (fwitter --help's --keep-going and --no-transaction).
struct ScriptPolicy {
  bool keep_going = false;  // a failed statement does not stop the script
  bool transaction = true;  // the script is one transaction: when it stops, none of it is kept
};

// A script Ctrl-C stopped: its exit status, as a shell gives a program SIGINT ended.
constexpr int kInterruptedStatus = 130;

// What a console command asks of the loop, done once its statement has ended:
// leave, read the models again, open or end the user's transaction.
enum class Request { Exit, Reload, Begin, Commit, Rollback };

class StatementRunner {
 public:
  // `settings`: quiet (nothing kept for undo) and timeout are read as each statement runs.
  StatementRunner(storage::Database& db, StatementHost& host, const Settings& settings, std::ostream& err);
  StatementRunner(const StatementRunner&) = delete;
  StatementRunner& operator=(const StatementRunner&) = delete;

  // Runs a script's statements; 0, or 1 when a statement failed. Outside the
  // prompt, Ctrl-C stops the statement running and the script, whose
  // transaction then keeps nothing (kInterruptedStatus), --keep-going or not.
  int run(const std::string& name, const std::string& text, ScriptPolicy policy);

  // At the prompt (or in a live lesson): each statement is kept for undo, a
  // lock held by another session is the statement's error, and begin,
  // commit and rollback work.
  void set_interactive() { interactive_ = true; }
  void add_observer(StatementObserver& observer);
  void remove_observer(StatementObserver& observer);

  // Throws fw::Error when it cannot be done (commit with no transaction open).
  void request(Request request);
  bool exit_requested() const { return (requests_ & bit(Request::Exit)) != 0; }
  bool in_user_transaction() const { return user_transaction_.has_value(); }
  // Leaving the console: the user's transaction, if open, is rolled back. Whether one was.
  bool drop_user_transaction();

  UndoHistory& undo_history() { return undo_; }
  // The running statement is undo: its changes are not remembered for undo.
  void mark_undoing() { undoing_ = true; }

 private:
  static constexpr unsigned bit(Request r) { return 1u << static_cast<unsigned>(r); }
  // One statement the loop read (a line of `a; b; c`: each in turn), rolled
  // back and reported if it fails. False when it failed.
  bool run_parsed(const std::string& name, const lang::Node& statement, std::string_view source, size_t statement_end,
                  bool stops_the_script);
  // run_statement, and once more if it met another program's write lock
  // before it had written (Database::retake_for_writing): it then waits its turn.
  void run_in_turn(const lang::Node& statement, storage::Undo undo, bool show = true);
  // One statement in its own transaction, its value shown (`show`: not for
  // the statements before the last of a line).
  void run_statement(const lang::Node& statement, storage::Undo undo, bool show);
  void run_command(const lang::Node& node);
  // ---- console/reconnect.cpp: a database that is not the one opened ----
  // Before each statement of a script or a prompt line (`number`, from 1, at
  // `line`; `applied` before it): is the database still the one opened?
  // At the prompt a replaced file or a lost connection is opened again, and
  // what went with it said; a script stops (a DbError saying how many of its
  // statements were applied). False: the statement is not run.
  bool check_database(const std::string& name, int number, int line, int applied, bool in_script_transaction);
  // Its tables (PRAGMA schema_version) are looked at before each statement
  // at the prompt, and before a script's first only.
  // At the prompt, a statement that failed because the connection went: says
  // what was lost; the next statement connects again.
  void lost_during_statement(const std::string& name);
  // A script's statement found the connection gone: the DbError that stops it.
  // `what` happened `where` ("before statement 3 (line 5)").
  storage::DbError script_stopped(const std::string& name, const std::string& what, const std::string& where,
                                  int applied, bool in_transaction) const;
  // What went with the old connection or file (the user's begin, the
  // sandbox), dropped from memory and undo; said as a clause.
  std::string drop_lost_work(bool file_replaced);
  // A script's transaction, before it commits: stops it (script_stopped)
  // when its database was replaced, deleted or lost meanwhile.
  void check_before_commit(const std::string& name, int applied);
  // "the connection to the PostgreSQL server was lost (...)", "PATH was replaced (...) since ..."
  std::string what_changed(storage::Change change) const;
  // The user's commit or rollback found the connection gone.
  void lost_at_commit(bool committing);
  // Connects again; false (and says why) when it cannot.
  bool reopen();
  void report_failure(const std::string& name, const std::string& message);
  bool lost_transaction(const std::string& name);
  void after_rollback(size_t enrolled);  // the after_rollback callbacks of the records enrolled since
  void apply_requests();
  void check_at_prompt(const char* command) const;
  template <typename F>
  void tell(F&& f) {
    for (auto* o : observers_) f(*o);
  }

  storage::Database& db_;
  StatementHost& host_;
  const Settings& settings_;
  std::ostream& err_;
  std::vector<StatementObserver*> observers_;
  unsigned requests_ = 0;  // bit(Request) of each asked for
  bool interactive_ = false;
  int depth_ = 0;  // scripts running now: load runs one inside another
  // Statements are recorded for undo only where an `undo` can reach them:
  // at the prompt, or in a script that says `undo` itself.
  bool undo_reachable_ = false;
  bool undoing_ = false;  // the running statement is undo: its changes are not remembered
  bool interrupted_ = false;  // Ctrl-C stopped the statement that failed last
  std::optional<SourcePos> command_at_;  // where the console command that failed was
  std::string statement_text_;           // the statement running now, as written
  UndoHistory undo_;
  std::optional<storage::Transaction> user_transaction_;  // begin ... commit or rollback
  std::uint64_t transaction_mark_ = 0;  // undo_'s mark when the user's transaction began
  size_t user_transaction_mark_ = 0;    // the store's change mark when it began
  int user_statements_ = 0;             // statements run in the user's transaction
  int sandbox_statements_ = 0;          // statements run in the sandbox since it began
  bool reconnect_due_ = false;          // a lost connection was told: the next statement connects quietly
  bool file_gone_ = false;              // the SQLite file was deleted, and that was told
};

}  // namespace fw::console

// What the statement runner does when the database is not the one it
// opened, looked at before each statement (Database::check_still_same): a
// PostgreSQL connection that went (the server restarted, or ended the
// session) is opened again, as ActiveRecord's verify! does at a checkout; an
// SQLite file replaced under the console is opened again, one deleted
// refuses writes until it is back, one migrated in place has its models
// read again. What went with the old connection or file (the user's begin,
// the sandbox) is said in the same line; a script stops, saying how many of
// its statements were applied.
#include <fmt/format.h>

#include "console/statement_runner.hpp"
#include "storage/database_tasks.hpp"
#include "storage/dialect.hpp"

namespace fw::console {

namespace {

std::string count(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

bool StatementRunner::check_database(const std::string& name, int number, int line, int applied,
                                     bool in_script_transaction) {
  storage::Change change = db_.check_still_same(interactive_ || number == 1);
  const std::string path = storage::shown_address(db_.path());
  switch (change) {
    case storage::Change::None: return true;
    case storage::Change::Schema:
      err_ << fmt::format("fwitter: the tables of {} changed since the models were read (another program migrated "
                          "it): reading the models again\n",
                          path);
      host_.reload_models();
      return true;
    case storage::Change::Deleted:
      file_gone_ = true;
      err_ << "fwitter: " << what_changed(change)
           << ": statements read it as it was, and writes are refused until it exists again\n";
      return true;
    case storage::Change::Replaced:
    case storage::Change::Lost: break;
  }
  bool lost = change == storage::Change::Lost;
  std::string what = file_gone_ && !lost ? fmt::format("{} exists again", path) : what_changed(change);
  if (!interactive_)  // what the script did went with the old connection or file
    throw script_stopped(name, what, fmt::format("before statement {} (line {})", number, line), applied,
                         in_script_transaction);
  std::string gone = drop_lost_work(!lost);
  if (!reconnect_due_) {
    if (lost) err_ << "fwitter: " << what << "; " << (gone.empty() ? "nothing was lost" : gone) << "; connecting again\n";
    else err_ << "fwitter: " << what << ": reopening it" << (gone.empty() ? "" : "; " + gone) << '\n';
  }
  bool quietly = reconnect_due_;
  if (!reopen()) return false;
  if (quietly && lost) err_ << "fwitter: connected to the PostgreSQL server again\n";
  return true;
}

std::string StatementRunner::what_changed(storage::Change change) const {
  const std::string path = storage::shown_address(db_.path());
  switch (change) {
    case storage::Change::Lost:
      return fmt::format("the connection to the PostgreSQL server was lost ({})", db_.lost_reason());
    case storage::Change::Deleted:
      return fmt::format("{} was deleted (by rake db:drop or another program) since this console opened it", path);
    default:
      return fmt::format("{} was replaced (by rake db:reset or another program) since this console opened it", path);
  }
}

// A script that runs as one transaction is looked at before its COMMIT (on
// SQLite, not before each statement: a stat a statement costs a bulk script
// 5%): what it wrote to a file that was replaced or deleted meanwhile is not
// committed there.
void StatementRunner::check_before_commit(const std::string& name, int applied) {
  storage::Change change = db_.check_still_same();
  if (change == storage::Change::Replaced || change == storage::Change::Deleted || change == storage::Change::Lost)
    throw script_stopped(name, what_changed(change), "before its COMMIT", applied, true);
}

bool StatementRunner::reopen() {
  try {
    db_.reopen();
  } catch (const fw::Error& e) {
    reconnect_due_ = true;
    if (db_.engine() == storage::Engine::PostgreSQL)
      err_ << fmt::format("fwitter: cannot connect to the PostgreSQL server again ({}): is it running? `{}` says; this "
                          "statement was not run, and the next one tries again\n",
                          first_line(e.what()), storage::server_check_command(db_.path()));
    else
      err_ << fmt::format("fwitter: cannot open {} again ({}); this statement was not run, and the next one tries again\n",
                          storage::shown_address(db_.path()), first_line(e.what()));
    return false;
  }
  reconnect_due_ = file_gone_ = false;
  host_.database_reopened();
  return true;
}

void StatementRunner::lost_during_statement(const std::string& name) {
  bool doubt = db_.commit_in_doubt();
  std::string gone = drop_lost_work(false);
  reconnect_due_ = true;
  report_failure(name, fmt::format("the connection to the PostgreSQL server was lost during this statement ({}): "
                                   "{}{}; the next statement connects again",
                                   db_.lost_reason(),
                                   doubt ? "its COMMIT was on its way, so whether it was applied cannot be known"
                                         : "it was not applied",
                                   gone.empty() ? "" : "; " + gone));
}

void StatementRunner::lost_at_commit(bool committing) {
  bool doubt = committing && db_.commit_in_doubt();
  int statements = user_statements_;
  std::string gone = drop_lost_work(false);
  reconnect_due_ = true;
  if (doubt)
    gone = fmt::format("whether the transaction (begin, {}) was applied cannot be known: COMMIT was on its way",
                       count(statements, "statement"));
  err_ << fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); {}; the next statement connects "
                      "again\n",
                      db_.lost_reason(), gone);
}

storage::DbError StatementRunner::script_stopped(const std::string& name, const std::string& what,
                                                 const std::string& where, int applied, bool in_transaction) const {
  bool lost = db_.engine() == storage::Engine::PostgreSQL;
  std::string kept;
  if (in_transaction && db_.commit_in_doubt())
    kept = fmt::format("whether its {} were applied cannot be known; look once the server is back",
                       count(applied, "statement"));
  else if (in_transaction)
    kept = fmt::format("none of its statements were applied (the script is one transaction, {})",
                       lost ? "which the server rolled back" : "on the old file");
  else if (db_.commit_in_doubt())
    kept = fmt::format("the {} before it were applied; whether this one was cannot be known (its COMMIT was on "
                       "its way)",
                       count(applied, "statement"));
  else
    kept = fmt::format("the {} before it were applied{}, and none after", count(applied, "statement"),
                       lost ? "" : " (to the old file)");
  return storage::DbError(fmt::format("{}: {} stopped {}; {}", what, name, where, kept), 14, 14,
                          lost ? "08006" : "");
}

std::string StatementRunner::drop_lost_work(bool file_replaced) {
  model::Store& store = host_.runtime().store();
  const char* fate = file_replaced ? "went with the old file" : "was rolled back by the server";
  const char* fates = file_replaced ? "went with the old file" : "were rolled back by the server";
  std::string said;
  if (user_transaction_) {
    said = fmt::format("the open transaction (begin, {}) {}", count(user_statements_, "statement"), fate);
    store.roll_back_to(user_transaction_mark_);  // records in memory as the database has them
    undo_.forget(transaction_mark_);
    user_transaction_.reset();
  }
  if (settings_.sandbox && sandbox_statements_ > 0) {
    said += fmt::format("{}the sandbox's changes ({}) {}, and a new sandbox begins", said.empty() ? "" : "; ",
                        count(sandbox_statements_, "statement"), fates);
    store.roll_back_to(0);
    undo_.forget(0);
  }
  sandbox_statements_ = 0;
  if (file_replaced) undo_.forget(0);  // what undo would put back is the old file's
  after_rollback(0);
  if (!settings_.sandbox) store.forget_changes();
  return said;
}

}  // namespace fw::console

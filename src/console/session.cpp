// The statement loop and its transaction policy: a script's statements read
// one by one, each run in its own transaction (a savepoint inside the
// script's), console commands dispatched to console/commands/, what they ask
// done once their statement has ended, failures rolled back and reported.
#include "console/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <set>
#include <utility>

#include "console/commands.hpp"
#include "console/highlight.hpp"
#include "console/interrupt.hpp"
#include "console/progress.hpp"
#include "console/recorder.hpp"
#include "lang/diagnostic.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"


namespace fw::console {

Session::Session(Environment& env, Settings settings, std::ostream& out, std::ostream& err)
    : env_(env), settings_(std::move(settings)), out_(out), err_(err) {
  start_runtime(std::make_unique<lang::Runtime>(env.app(), env.db(), env.environment()));
  set_sql_log(settings_.sql);
  // Counted only where after_statement shows them: with the timer or hints on.
  queries_listener_ = env.db().listen([this](const storage::Query& q, std::chrono::microseconds t) {
    if (!settings_.quiet && (settings_.timer || settings_.hints)) queries_.add(q, t);
  });
  // As rails console --sandbox: what a statement saves shows as a savepoint in the log.
  if (settings_.sandbox) sandbox_.emplace(env.db(), storage::TransactionLog::Savepoints);
}

// The printer over the runtime's store (at start, and after reload!).
void Session::start_runtime(std::unique_ptr<lang::Runtime> runtime) {
  printer_.reset();  // it holds the old store
  runtime_ = std::move(runtime);
  printer_ = settings_.quiet ? std::make_unique<QuietPrinter>()
                             : make_printer(settings_.format, out_, runtime_->store(), settings_.terminal);
  set_puts_stream();
}

void Session::set_sql_log(bool on) {
  settings_.sql = on;
  if (log_listener_) env_.db().unlisten(log_listener_);
  log_listener_ = 0;
  if (!on) return;
  log_listener_ = env_.db().listen([this](const storage::Query& q, std::chrono::microseconds t) {
    out_.flush();  // results so far come before the log line on a shared terminal
    err_ << log_line(q, t, settings_.terminal.err_color) << '\n';
  });
}

void Session::page(const std::string& text) { console::page(out_, text, settings_.terminal); }

void Session::set_format(const std::string& name, bool all_rows) {
  if (!settings_.quiet) printer_ = make_printer(name, out_, runtime_->store(), settings_.terminal, all_rows);
  settings_.format = name;
  set_puts_stream();
}

Session::QuietLog::QuietLog(Session& session) : session_(session), was_on_(session.log_listener_ != 0) {
  if (!was_on_) return;
  session_.env_.db().unlisten(session_.log_listener_);
  session_.log_listener_ = 0;
}

Session::QuietLog::~QuietLog() {
  if (was_on_) session_.set_sql_log(true);
}

// puts and p keep machine-readable output clean: under json and csv they write to standard error.
void Session::set_puts_stream() {
  bool machine = settings_.format == "json" || settings_.format == "csv";
  runtime_->interpreter().set_output(machine ? err_ : out_);
}

// begin, commit and rollback belong to the prompt: inside a script (or a
// loaded one) the transactions above the user's would be ended out of order.
void Session::check_at_prompt(const char* command) const {
  if (!interactive_ || script_depth_ > 1)
    throw fw::Error(std::string(command) + " works at the console's prompt; a script is one transaction already");
}

void Session::request(Request request) {
  switch (request) {
    case Request::Exit: exit_requested_ = true; return;
    case Request::Reload:
      if (user_transaction_) throw fw::Error("reload! works outside a transaction; commit or rollback first");
      reload_requested_ = true;
      return;
    case Request::Begin:
      check_at_prompt("begin");
      if (user_transaction_) throw fw::Error("a transaction is open already; commit or rollback ends it");
      transaction_request_ = TransactionRequest::Begin;
      return;
    case Request::Commit:
    case Request::Rollback:
      check_at_prompt(request == Request::Commit ? "commit" : "rollback");
      if (!user_transaction_) throw fw::Error("no transaction is open; begin starts one");
      transaction_request_ = request == Request::Commit ? TransactionRequest::Commit : TransactionRequest::Rollback;
      return;
  }
}

// Does what the statement's commands asked once it has ended: opens or ends
// the user's transaction (transactions nest as a stack), reads the models again.
void Session::apply_requests() {
  auto request = std::exchange(transaction_request_, TransactionRequest::None);
  if (request == TransactionRequest::Begin) {
    user_transaction_.emplace(env_.db(), storage::TransactionLog::Joinable);
    transaction_mark_ = undo_.mark();
    user_transaction_mark_ = runtime_->store().change_mark();
  }
  if (request == TransactionRequest::Commit) user_transaction_->commit();
  if (request == TransactionRequest::Rollback) {
    user_transaction_->rollback();
    undo_.forget(transaction_mark_);                         // rolled back already
    runtime_->store().roll_back_to(user_transaction_mark_);  // records in memory as the database has them
  }
  if (request == TransactionRequest::Commit || request == TransactionRequest::Rollback) {
    user_transaction_.reset();
    runtime_->store().end_transaction(request == TransactionRequest::Commit);  // after_commit, or after_rollback
  }
  if (std::exchange(reload_requested_, false)) reload_models();
}

Session::~Session() {
  recorder_.reset();
  if (log_listener_) env_.db().unlisten(log_listener_);
  env_.db().unlisten(queries_listener_);
}

void Session::report_failure(const std::string& name, const std::string& message) {
  if (command_at_) return report(name, *command_at_, message, "");
  const auto& raised = runtime_->interpreter().raised_in();
  std::string note =
      raised.file.empty() ? "" : fmt::format("{}:{}:{}: note: raised here\n", raised.file, raised.pos.line, raised.pos.column);
  report(name, runtime_->interpreter().error_pos(), message, note);
}

void Session::report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail) {
  out_.flush();
  std::string line = lang::diagnostic(name, pos, message);
  err_ << (settings_.terminal.err_color ? highlight_error(line) : line) << '\n' << detail;
  err_.flush();
  printer_->error(readable_message(message));
}

namespace {
// Whether a script has the word `undo` anywhere (a comment or a string too:
// recording what need not be costs time only).
bool mentions_undo(std::string_view text) {
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = text.find("undo"); at != std::string_view::npos; at = text.find("undo", at + 1)) {
    if ((at == 0 || !word_char(text[at - 1])) && (at + 4 == text.size() || !word_char(text[at + 4]))) return true;
  }
  return false;
}

// The command form with literal values only: no expression in parentheses,
// no interpolation, so nothing but its own save can write or rescue.
bool plain_command(const lang::Node& statement) {
  if (statement.kind != lang::Node::Kind::Command) return false;
  for (const auto& pair : statement.items) {
    if (pair->items.empty()) return false;
    switch (pair->items[0]->kind) {
      case lang::Node::Kind::String:
      case lang::Node::Kind::Nil:
      case lang::Node::Kind::True:
      case lang::Node::Kind::False: break;
      default: return false;
    }
  }
  return true;
}

}  // namespace

int Session::run_script(const std::string& name, const std::string& text) {
  ++script_depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{script_depth_};
  lang::Parser parser(text, command_words());
  bool outer_reachable = undo_reachable_;
  if (script_depth_ == 1 && !interactive_) undo_reachable_ = mentions_undo(text);
  struct Restore {
    bool& flag;
    bool value;
    ~Restore() { flag = value; }
  } restore{undo_reachable_, outer_reachable};
  std::optional<storage::Transaction> script;
  if (!settings_.no_transaction) script.emplace(env_.db(), storage::TransactionLog::Quiet);
  auto undo_mark = undo_.mark();
  size_t script_mark = runtime_->store().change_mark();  // records in memory follow what a rollback puts back
  bool failed = false, lost = false;
  size_t echoed_to = 0;  // where the last echoed statement ended: comments after it come with the next
  Progress progress(out_, err_, settings_.terminal.err_is_tty && !settings_.quiet && script_depth_ == 1, text.size());
  for (;;) {
    lang::NodePtr statement;
    try {
      statement = parser.next_statement();
    } catch (const lang::SyntaxError& e) {
      progress.erase();
      report(name, e.pos, e.what(), lang::caret_lines(parser.lexer().line_at(e.offset), e.pos));
      failed = true;
      if (settings_.keep_going) continue;
      break;
    } catch (const std::exception& e) {  // out of memory in the parser: its place in the text is lost
      report(name, parser.lexer().position(parser.statement_end()), lang::foreign_error_message(e), "");
      failed = true;
      break;
    }
    if (!statement) break;
    progress.erase();
    auto source = parser.lexer().source();
    statement_text_ = std::string(source.substr(statement->offset, parser.statement_end() - statement->offset));
    auto between = text_between(source, echoed_to, statement->offset);
    bool after_output = echoed_to > 0;
    echoed_to = parser.statement_end();
    if (settings_.echo) {
      echo_comments(between, after_output, out_);
      out_ << "> " << statement_text_ << '\n';
    } else if (recorder_ && !(statement->kind == lang::Node::Kind::ConsoleCommand && statement->name == "record")) {
      record_statement(between, after_output, statement_text_);
    }
    // A failed statement stops the script, whose transaction then undoes
    // everything: a plain command-form statement (`heart user=1 tweet=2`, its
    // one save the first thing it changes, nothing able to catch its failure)
    // needs no savepoint of its own. One bulk statement in ten costs less.
    bool stops_the_script = script && !settings_.keep_going;
    if (!run_parsed(name, *statement, source, parser.statement_end(), stops_the_script)) failed = true;
    if (failed && (lost = lost_transaction(name))) break;
    apply_requests();
    if ((failed && !settings_.keep_going) || exit_requested_) break;
    progress.statement_done(parser.statement_end());
  }
  progress.erase();
  if (script && !lost && (!failed || settings_.keep_going)) {
    script->commit();
  } else if (script) {
    undo_.forget(undo_mark);  // the script's transaction rolled back what they changed
    runtime_->store().roll_back_to(script_mark);
  }
  if (env_.db().transaction_depth() == 0) runtime_->store().forget_changes();
  out_.flush();
  return failed ? 1 : 0;
}

// One statement the script loop read (a line of `a; b; c`: each in turn),
// rolled back and reported if it fails. False when it failed.
bool Session::run_parsed(const std::string& name, const lang::Node& statement, std::string_view source,
                         size_t statement_end, bool stops_the_script) {
  size_t mark = runtime_->store().change_mark();
  size_t enrolled = runtime_->store().transaction_mark();  // records waiting for after_commit
  try {
    if (statement.kind == lang::Node::Kind::Body && statement.flags == "line") {
      // a; b; c: each runs as a statement of its own, and the line shows
      // the last value (as irb); an error stops the rest of the line.
      const auto& items = statement.items;
      for (size_t i = 0; i < items.size(); ++i) {
        bool last = i + 1 == items.size();
        // its own text, for undo's messages: up to the next statement, less the `;` between
        size_t end = last ? statement_end : items[i + 1]->offset;
        std::string_view text = source.substr(items[i]->offset, end - items[i]->offset);
        while (!text.empty() && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back()))))
          text.remove_suffix(1);
        statement_text_ = std::string(text);
        run_statement_in_turn(*items[i], storage::Undo::Own, last);
      }
    } else {
      run_statement_in_turn(statement, stops_the_script && plain_command(statement) ? storage::Undo::WithOuter
                                                                                       : storage::Undo::Own);
    }
  } catch (const fw::Error& e) {
    // A lost database ends the run (exit 3); at the prompt a lock held by
    // another session is this statement's error, and the console stays.
    if (auto db = dynamic_cast<const storage::DbError*>(&e); db && db->is_unavailable() && !(interactive_ && db->is_locked()))
      throw;
    runtime_->store().roll_back_to(mark);
    after_rollback(enrolled);
    report_failure(name, e.what());
    transaction_request_ = TransactionRequest::None;
    return false;
  } catch (const std::exception& e) {  // a library's own (std::regex_error, std::bad_alloc): still this statement's
    runtime_->store().roll_back_to(mark);
    after_rollback(enrolled);
    report_failure(name, lang::foreign_error_message(e));
    transaction_request_ = TransactionRequest::None;
    return false;
  }
  return true;
}

// After a failed statement: did SQLite roll back the transactions around it
// (as it may after a full disk)? Then says so, and the user's is ended too.
bool Session::lost_transaction(const std::string& name) {
  if (!env_.db().transaction_lost()) return false;
  report(name, {}, "the database rolled back the whole transaction after this error; nothing of it was kept", "");
  if (user_transaction_) runtime_->store().roll_back_to(user_transaction_mark_);
  user_transaction_.reset();
  after_rollback(0);
  return true;
}

// A failed statement rolled back what it saved: their after_rollback
// callbacks run (an error of theirs is reported after the statement's).
void Session::after_rollback(size_t enrolled) {
  try {
    runtime_->store().end_transaction(false, enrolled);
  } catch (const fw::Error& e) {
    err_ << "fwitter: after_rollback: " << e.what() << '\n';
  }
}

void Session::run_statement_in_turn(const lang::Node& statement, storage::Undo undo, bool show) {
  size_t mark = runtime_->store().change_mark();
  size_t enrolled = runtime_->store().transaction_mark();
  try {
    run_statement(statement, undo, show);
  } catch (const storage::DbError& e) {
    // Run again: after another program's write lock was waited out, or (on
    // PostgreSQL) with the statements prepared again after another program
    // changed a table. Its transaction level has rolled back.
    if (!(e.is_locked() && env_.db().retake_for_writing()) && !e.is_stale_plan()) throw;
    runtime_->store().roll_back_to(mark);  // the records as before the first try
    after_rollback(enrolled);
    run_statement(statement, undo, show);
  }
}

// A console command: the console's own, not the language's (console/commands/).
void Session::run_command(const lang::Node& command) {
  const Command* c = find_command(command.name);
  if (!c) throw fw::Error("the console command '" + command.name + "' is not built yet");
  try {
    c->run(*this, command.text);
  } catch (const fw::Error&) {
    command_at_ = command.pos;  // reported at the command (a script it loaded has its own places)
    throw;
  }
}

// One statement in its own transaction (a savepoint inside the script's),
// its value printed, then its time and queries when asked for.
void Session::run_statement(const lang::Node& statement, storage::Undo undo, bool show) {
  command_at_.reset();
  queries_.clear();
  auto started = std::chrono::steady_clock::now();
  auto paged_before = paged_time();  // reading in the pager is not the statement's time
  HeldPages pages;                   // shown once the transaction has ended
  storage::Transaction tx(env_.db(), storage::TransactionLog::Quiet, undo);
  // What it changes, for undo: every statement but the console's own commands
  // (load is one: its script's statements are undone together); not a seed
  // script's, which nobody undoes.
  bool command = statement.kind == lang::Node::Kind::ConsoleCommand && statement.name != "load";
  std::optional<storage::ChangeRecorder> changes;
  if ((interactive_ || undo_reachable_) && !settings_.quiet && !command && script_depth_ <= 1) changes.emplace(env_.db());
  undoing_ = false;
  TimeoutGuard deadline(settings_.timeout);
  try {
    if (statement.kind == lang::Node::Kind::ConsoleCommand) {
      run_command(statement);
    } else {
      auto value = runtime_->interpreter().run(statement);
      if (value && show) printer_->value(*value);
    }  // inside the transaction: a relation that fails to load rolls it back
  } catch (const storage::DbError& e) {
    if (e.is_interrupted()) lang::Interpreter::stop_if_asked();  // Ctrl-C or --timeout stopped the query
    throw;
  }
  tx.commit();
  pages.release();
  // The statement is the user's transaction, unless begin opened one: its
  // after_commit callbacks run now (what they print follows the value).
  if (!user_transaction_) runtime_->store().end_transaction(true);
  if (changes) remember_changes(*changes);
  if (statement.kind == lang::Node::Kind::ConsoleCommand || !show) return;  // `timer on` has no time of its own to show
  after_statement(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started) -
                  (paged_time() - paged_before));
}

// The N+1 hint shows with the timer on, or on a terminal's standard error
// (scripts piped to files stay quiet).
void Session::after_statement(std::chrono::microseconds took) {
  if (settings_.quiet || (!settings_.timer && !settings_.hints)) return;
  out_.flush();
  if (settings_.timer) err_ << queries_.summary(took) << '\n';
  if (auto hint = queries_.n_plus_one(runtime_->app())) err_ << *hint << '\n';
  err_.flush();
}

// ---- What undo and record keep of each statement ----

void Session::remember_changes(storage::ChangeRecorder& recorder) {
  if (std::exchange(undoing_, false)) return;  // undo's own changes are not undone by the next undo
  undo_.push({statement_text_, recorder.changeset(), recorder.untracked_tables(), 0});
}

void Session::record_statement(std::string_view comments, bool after_output, const std::string& text) {
  echo_comments(comments, after_output, recorder_->file());
  recorder_->file() << "> " << text << '\n';
}

// Records held in variables show the database as it is now: each of a table
// in `tables` (or marked destroyed, or holding errors when `with_errors`) is
// read again, and one whose row is gone counts as destroyed.
void Session::reload_variables(const std::vector<storage::TableChanges>& tables, bool with_errors) {
  std::set<const model::Record*> seen;
  std::function<void(const lang::Object&, int)> visit = [&](const lang::Object& value, int depth) {
    if (depth > 8) return;
    if (auto* record = value.get<model::RecordPtr>(); record && *record) {
      if ((*record)->new_record() || !seen.insert(record->get()).second) return;
      bool touched = std::any_of(tables.begin(), tables.end(),
                                 [&](const storage::TableChanges& t) { return t.table == (*record)->model().table; });
      if (!touched && !(*record)->destroyed() && !(with_errors && !(*record)->errors().empty())) return;
      try {
        runtime_->store().persistence().reload(**record);
      } catch (const fw::Error&) {
        (*record)->mark_destroyed();  // its row is gone: the statement that created it was undone
      }
    } else if (auto* array = value.get<lang::Ref<lang::Array>>(); array && *array) {
      for (const auto& item : **array) visit(item, depth + 1);
    }
  };
  QuietLog quiet(*this);  // the reloads are not the user's queries
  for (const auto& name : runtime_->interpreter().variable_names())
    if (const auto* value = runtime_->interpreter().variable(name)) visit(*value, 0);
}

}  // namespace fw::console

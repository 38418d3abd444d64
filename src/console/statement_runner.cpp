// The statement loop and its transaction policy: a script's statements read
// one by one, each run in its own transaction (a savepoint inside the
// script's), console commands handed to the console, what they ask done once
// their statement has ended, failures rolled back and reported.
#include "console/statement_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <chrono>
#include <utility>

#include "console/display.hpp"
#include "console/script_text.hpp"
#include "console/interrupt.hpp"
#include "lang/diagnostic.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"

namespace fw::console {

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

// The console command a statement is, or null. The parser makes a command
// node only of a word of the table (command_words()), so one is always found.
const Command* command_of(const lang::Node& statement) {
  if (statement.kind != lang::Node::Kind::ConsoleCommand) return nullptr;
  const Command* command = find_command(statement.name);
  assert(command);
  return command;
}

constexpr unsigned kTransactionRequests = (1u << static_cast<unsigned>(Request::Begin)) |
                                          (1u << static_cast<unsigned>(Request::Commit)) |
                                          (1u << static_cast<unsigned>(Request::Rollback));

}  // namespace

StatementRunner::StatementRunner(storage::Database& db, StatementHost& host, const Settings& settings, std::ostream& err)
    : db_(db), host_(host), settings_(settings), err_(err) {}

void StatementRunner::add_observer(StatementObserver& observer) { observers_.push_back(&observer); }

void StatementRunner::remove_observer(StatementObserver& observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), &observer), observers_.end());
}

// begin, commit and rollback belong to the prompt: inside a script (or a
// loaded one) the transactions above the user's would be ended out of order.
void StatementRunner::check_at_prompt(const char* command) const {
  if (!interactive_ || depth_ > 1)
    throw fw::Error(std::string(command) + " works at the console's prompt; a script is one transaction already");
}

void StatementRunner::request(Request request) {
  switch (request) {
    case Request::Exit:
    case Request::Reload: break;
    case Request::Begin:
      check_at_prompt("begin");
      if (user_transaction_) throw fw::Error("a transaction is open already; commit or rollback ends it");
      break;
    case Request::Commit:
    case Request::Rollback:
      check_at_prompt(request == Request::Commit ? "commit" : "rollback");
      if (!user_transaction_) throw fw::Error("no transaction is open; begin starts one");
      break;
  }
  if (bit(request) & kTransactionRequests) requests_ &= ~kTransactionRequests;  // the last asked for
  requests_ |= bit(request);
}

// Does what the statement's commands asked once it has ended: opens or ends
// the user's transaction (transactions nest as a stack), reads the models again.
void StatementRunner::apply_requests() {
  model::Store& store = host_.runtime().store();
  unsigned asked = requests_ & kTransactionRequests;
  requests_ &= ~kTransactionRequests;
  if (asked & bit(Request::Begin)) {
    user_transaction_.emplace(db_, storage::TransactionLog::Joinable);
    user_statements_ = 0;
    transaction_mark_ = undo_.mark();
    user_transaction_mark_ = store.change_mark();
  }
  try {
    if (asked & bit(Request::Commit)) user_transaction_->commit();
    if (asked & bit(Request::Rollback)) {
      user_transaction_->rollback();
      undo_.forget(transaction_mark_);            // rolled back already
      store.roll_back_to(user_transaction_mark_);  // records in memory as the database has them
    }
  } catch (const fw::Error&) {
    if (!db_.connection_lost()) throw;
    lost_at_commit(asked & bit(Request::Commit));
    asked &= ~(bit(Request::Commit) | bit(Request::Rollback));
  }
  if (asked & (bit(Request::Commit) | bit(Request::Rollback))) {
    user_transaction_.reset();
    store.end_transaction((asked & bit(Request::Commit)) != 0);  // after_commit, or after_rollback
  }
  if (requests_ & bit(Request::Reload)) {
    requests_ &= ~bit(Request::Reload);
    host_.reload_models();
  }
}

bool StatementRunner::drop_user_transaction() {
  if (!user_transaction_) return false;
  user_transaction_.reset();
  undo_.forget(transaction_mark_);
  return true;
}

void StatementRunner::report_failure(const std::string& name, const std::string& message) {
  if (command_at_) return host_.report(name, *command_at_, message, "");
  lang::Interpreter& interpreter = host_.runtime().interpreter();
  const auto& raised = interpreter.raised_in();
  std::string note =
      raised.file.empty() ? "" : fmt::format("{}:{}:{}: note: raised here\n", raised.file, raised.pos.line, raised.pos.column);
  host_.report(name, interpreter.error_pos(), message, note);
}

int StatementRunner::run(const std::string& name, const std::string& text, ScriptPolicy policy) {
  ++depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{depth_};
  lang::Parser parser(text, command_words());
  // A script run from the command line: Ctrl-C stops it, rather than
  // ending the program before its transaction is rolled back and said so.
  std::optional<InterruptGuard> ctrl_c;
  if (depth_ == 1 && !interactive_) ctrl_c.emplace();
  interrupted_ = false;
  bool outer_reachable = undo_reachable_;
  if (depth_ == 1 && !interactive_) undo_reachable_ = mentions_undo(text);
  struct Restore {
    bool& flag;
    bool value;
    ~Restore() { flag = value; }
  } restore{undo_reachable_, outer_reachable};
  std::optional<storage::Transaction> script;  // begun at the first statement, once the database was looked at
  auto undo_mark = undo_.mark();
  size_t script_mark = host_.runtime().store().change_mark();  // records in memory follow what a rollback puts back
  bool failed = false, lost = false;
  int number = 0, applied = 0;  // statements read, and run without failing
  size_t echoed_to = 0;  // where the last statement read ended: comments after it come with the next
  int depth = depth_;
  tell([&](StatementObserver& o) { o.script_started(text.size(), depth); });
  for (;;) {
    lang::NodePtr statement;
    try {
      statement = parser.next_statement();
    } catch (const lang::SyntaxError& e) {
      tell([&](StatementObserver& o) { o.error_read(depth); });
      host_.report(name, e.pos, e.what(), lang::caret_lines(parser.lexer().line_at(e.offset), e.pos));
      failed = true;
      if (policy.keep_going) continue;
      break;
    } catch (const std::exception& e) {  // out of memory in the parser: its place in the text is lost
      host_.report(name, parser.lexer().position(parser.statement_end()), lang::foreign_error_message(e), "");
      failed = true;
      break;
    }
    if (!statement) break;
    auto source = parser.lexer().source();
    statement_text_ = std::string(source.substr(statement->offset, parser.statement_end() - statement->offset));
    ReadStatement read{statement_text_, text_between(source, echoed_to, statement->offset), echoed_to > 0,
                       command_of(*statement), depth};
    echoed_to = parser.statement_end();
    tell([&](StatementObserver& o) { o.statement_read(read); });
    ++number;
    // Before each statement; inside a script's transaction on SQLite, before its COMMIT instead.
    bool look = depth_ == 1 && (!script || db_.engine() == storage::Engine::PostgreSQL);
    if (look && !check_database(name, number, statement->pos.line, applied, script.has_value())) {
      failed = true;
      break;
    }
    if (policy.transaction && !script) script.emplace(db_, storage::TransactionLog::Quiet);
    // A failed statement stops the script, whose transaction then undoes
    // everything: a plain command-form statement (`heart user=1 tweet=2`, its
    // one save the first thing it changes, nothing able to catch its failure)
    // needs no savepoint of its own. One bulk statement in ten costs less.
    bool stops_the_script = script && !policy.keep_going;
    try {
      if (run_parsed(name, *statement, source, parser.statement_end(), stops_the_script)) {
        ++applied;
      } else {
        failed = true;
        tell([&](StatementObserver& o) { o.statement_failed(depth); });
      }
    } catch (const fw::Error&) {
      if (depth_ > 1 || !db_.connection_lost()) throw;
      throw script_stopped(name, what_changed(storage::Change::Lost),
                           fmt::format("during statement {} (line {})", number, statement->pos.line), applied,
                           script.has_value());
    }
    if (failed && (lost = lost_transaction(name))) break;
    apply_requests();
    bool stopped = failed && interrupted_ && !interactive_;
    if ((failed && !policy.keep_going) || stopped || exit_requested()) break;
    tell([&](StatementObserver& o) { o.statement_done(parser.statement_end(), depth); });
  }
  tell([&](StatementObserver& o) { o.script_ended(depth); });
  bool stopped = interrupted_ && !interactive_;
  if (script && !lost && !stopped && (!failed || policy.keep_going)) {
    if (depth_ == 1) check_before_commit(name, applied);
    try {
      script->commit();
    } catch (const fw::Error&) {
      if (depth_ > 1 || !db_.connection_lost()) throw;
      throw script_stopped(name, what_changed(storage::Change::Lost),
                           db_.commit_in_doubt() ? "while its COMMIT was on its way" : "before its COMMIT", applied, true);
    }
  } else if (script) {
    undo_.forget(undo_mark);  // the script's transaction rolled back what they changed
    host_.runtime().store().roll_back_to(script_mark);
  }
  if (db_.transaction_depth() == 0) host_.runtime().store().forget_changes();
  if (stopped && depth_ == 1) {
    err_ << fmt::format("fwitter: {} was stopped (Ctrl-C) at statement {}; {}\n", name, number,
                        script ? "none of it was kept"
                               : fmt::format("the {} statement{} before it {} kept", applied, applied == 1 ? "" : "s",
                                             applied == 1 ? "was" : "were"));
    return kInterruptedStatus;
  }
  return failed ? 1 : 0;
}

bool StatementRunner::run_parsed(const std::string& name, const lang::Node& statement, std::string_view source,
                                 size_t statement_end, bool stops_the_script) {
  model::Store& store = host_.runtime().store();
  size_t mark = store.change_mark();
  size_t enrolled = store.transaction_mark();  // records waiting for after_commit
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
        run_in_turn(*items[i], storage::Undo::Own, last);
      }
    } else {
      run_in_turn(statement, stops_the_script && plain_command(statement) ? storage::Undo::WithOuter : storage::Undo::Own);
    }
  } catch (const fw::Error& e) {
    auto stop = dynamic_cast<const lang::Interrupted*>(&e);
    interrupted_ = stop && stop->by_ctrl_c;
    // A lost connection is told at the prompt, where the next statement
    // connects again; a script stops (run()).
    if (db_.connection_lost()) {
      if (!interactive_ || depth_ > 1) throw;
      host_.runtime().store().roll_back_to(mark);
      after_rollback(enrolled);
      lost_during_statement(name);
      requests_ &= ~kTransactionRequests;
      return false;
    }
    // A lost database ends the run (exit 3); at the prompt a lock held by
    // another session is this statement's error, and the console stays.
    if (auto db = dynamic_cast<const storage::DbError*>(&e); db && db->is_unavailable() && !(interactive_ && db->is_locked()))
      throw;
    host_.runtime().store().roll_back_to(mark);
    after_rollback(enrolled);
    report_failure(name, e.what());
    requests_ &= ~kTransactionRequests;
    return false;
  } catch (const std::exception& e) {  // a library's own (std::regex_error, std::bad_alloc): still this statement's
    host_.runtime().store().roll_back_to(mark);
    after_rollback(enrolled);
    report_failure(name, lang::foreign_error_message(e));
    requests_ &= ~kTransactionRequests;
    return false;
  }
  return true;
}

// After a failed statement: did the database roll back the transactions
// around it (as SQLite may after a full disk)? Then says so, and the user's
// is ended too.
bool StatementRunner::lost_transaction(const std::string& name) {
  if (!db_.transaction_lost()) return false;
  host_.report(name, {}, "the database rolled back the whole transaction after this error; nothing of it was kept", "");
  if (user_transaction_) host_.runtime().store().roll_back_to(user_transaction_mark_);
  user_transaction_.reset();
  after_rollback(0);
  return true;
}

// A failed statement rolled back what it saved: their after_rollback
// callbacks run (an error of theirs is reported after the statement's).
void StatementRunner::after_rollback(size_t enrolled) {
  try {
    host_.runtime().store().end_transaction(false, enrolled);
  } catch (const fw::Error& e) {
    err_ << "fwitter: after_rollback: " << e.what() << '\n';
  }
}

void StatementRunner::run_in_turn(const lang::Node& statement, storage::Undo undo, bool show) {
  model::Store& store = host_.runtime().store();
  size_t mark = store.change_mark();
  size_t enrolled = store.transaction_mark();
  try {
    run_statement(statement, undo, show);
  } catch (const storage::DbError& e) {
    // Run again: after another program's write lock was waited out, or (on
    // PostgreSQL) with the statements prepared again after another program
    // changed a table. Its transaction level has rolled back.
    if (!(e.is_locked() && db_.retake_for_writing()) && !e.is_stale_plan()) throw;
    store.roll_back_to(mark);  // the records as before the first try
    after_rollback(enrolled);
    run_statement(statement, undo, show);
  }
}

// A console command: the console's own, not the language's (console/commands/).
void StatementRunner::run_command(const lang::Node& node) {
  const Command& command = *command_of(node);
  try {
    if ((command.needs & kOutsideTransaction) && user_transaction_)
      throw fw::Error(std::string(command.name) + " works outside a transaction; commit or rollback first");
    host_.run_command(command, node.text);
  } catch (const fw::Error&) {
    command_at_ = node.pos;  // reported at the command (a script it loaded has its own places)
    throw;
  }
}

void StatementRunner::run_statement(const lang::Node& statement, storage::Undo undo, bool show) {
  command_at_.reset();
  tell([](StatementObserver& o) { o.statement_started(); });
  auto started = std::chrono::steady_clock::now();
  auto paged_before = paged_time();  // reading in the pager is not the statement's time
  HeldPages pages;                   // shown once the transaction has ended
  storage::Transaction tx(db_, storage::TransactionLog::Quiet, undo);
  // What it changes, for undo: every statement but the console's own commands
  // (load, whose script changes data, is one: its statements are undone
  // together); not a seed script's, which nobody undoes.
  const Command* command = command_of(statement);
  bool remembered = !command || (command->needs & kChangesData);
  std::optional<storage::ChangeRecorder> changes;
  if ((interactive_ || undo_reachable_) && !settings_.quiet && remembered && depth_ <= 1) changes.emplace(db_);
  undoing_ = false;
  TimeoutGuard deadline(settings_.timeout);
  try {
    if (command) {
      run_command(statement);
    } else {
      auto value = host_.runtime().interpreter().run(statement);
      if (value && show) host_.show(*value);
    }  // inside the transaction: a relation that fails to load rolls it back
  } catch (const storage::DbError& e) {
    if (e.is_interrupted()) lang::Interpreter::stop_if_asked();  // Ctrl-C or --timeout stopped the query
    throw;
  }
  tx.commit();
  pages.release();
  // The statement is the user's transaction, unless begin opened one: its
  // after_commit callbacks run now (what they print follows the value).
  if (!user_transaction_) host_.runtime().store().end_transaction(true);
  if (!command) {  // counted for what a lost connection or file takes with it
    if (user_transaction_) ++user_statements_;
    if (settings_.sandbox) ++sandbox_statements_;
  }
  if (changes && !std::exchange(undoing_, false))  // undo's own changes are not undone by the next undo
    undo_.push({statement_text_, changes->changeset(), changes->untracked_tables(), 0});
  if (command || !show) return;  // `timer on` has no time of its own to show
  auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started) -
              (paged_time() - paged_before);
  tell([&](StatementObserver& o) { o.statement_ended(took); });
}

}  // namespace fw::console

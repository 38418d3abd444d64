#include "console/session.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "console/commands.hpp"
#include "console/completion.hpp"
#include "console/help.hpp"
#include "console/highlight.hpp"
#include "console/interrupt.hpp"
#include "console/introspection.hpp"
#include "console/line_editor.hpp"
#include "console/progress.hpp"
#include "console/recorder.hpp"
#include "lang/app_config.hpp"
#include "lang/diagnostic.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"

namespace fs = std::filesystem;

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
  runtime_->interpreter().set_command_handler([this](const lang::Node& n) { return console_command(n); });
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

std::optional<lang::Object> Session::console_command(const lang::Node& command) {
  const Command* c = find_command(command.name);
  if (!c || !c->run) throw fw::Error("the console command '" + command.name + "' is not built yet");
  (this->*(c->run))(command.text);
  return std::nullopt;
}

void Session::command_exit(const std::string&) { exit_requested_ = true; }

void Session::command_sql(const std::string& args) {
  if (args != "on" && args != "off") throw fw::Error("sql takes on or off");
  set_sql_log(args == "on");
}

void Session::command_timer(const std::string& args) {
  if (args != "on" && args != "off") throw fw::Error("timer takes on or off");
  settings_.timer = args == "on";
}

// `format NAME`; `format table --all` prints every row of a relation, not the first 50.
void Session::command_format(const std::string& args) {
  std::string name = args;
  bool all_rows = name.size() > 6 && name.compare(name.size() - 6, 6, " --all") == 0;
  if (all_rows) name.erase(name.find_last_not_of(' ', name.size() - 7) + 1);
  if (!is_format(name)) throw fw::Error("format takes " + std::string(format_names()) + (args.empty() ? "" : ", not '" + args + "'"));
  if (all_rows && name != "table") throw fw::Error("--all is for the table format (`format table --all`); " + name + " prints every row already");
  if (!settings_.quiet) printer_ = make_printer(name, out_, runtime_->store(), settings_.terminal, all_rows);
  settings_.format = name;
  set_puts_stream();
}

// puts and p keep machine-readable output clean: under json and csv they write to standard error.
void Session::set_puts_stream() {
  bool machine = settings_.format == "json" || settings_.format == "csv";
  runtime_->interpreter().set_output(machine ? err_ : out_);
}

std::string Session::prompt(bool continuing) const {
  // The app's folder name: `--app ../clinic/` prompts `clinic> `.
  fs::path folder = fs::path(env_.app().name).lexically_normal();
  std::string name = folder.has_filename() ? folder.filename().string() : folder.parent_path().filename().string();
  if (settings_.sandbox) name += "(sandbox)";
  if (user_transaction_) name += "(transaction)";
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

int Session::run_interactive() {
  settings_.keep_going = settings_.no_transaction = true;  // each statement stands alone
  interactive_ = true;
  Completer completer(*this);
  LineEditor editor(HistoryFile(HistoryFile::default_path()),
                    [&](const std::string& before) { return completer.complete(before); });
  // Between statements the terminal is briefly in its own mode, where Ctrl-C
  // is a signal: caught here too, so a Ctrl-C typed ahead never ends the console.
  InterruptGuard between_statements;
  out_ << "Type help for the commands and topics, exit or Ctrl-D to leave.\n";
  std::string buffer, line;
  int status = 0;
  while (!exit_requested_) {
    out_.flush();
    auto read = editor.read(prompt(!buffer.empty()), line);
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
  if (!exit_requested_) out_ << '\n';
  if (user_transaction_) {
    user_transaction_.reset();
    undo_.forget(transaction_mark_);
    err_ << "fwitter: the open transaction was rolled back\n";
  }
  return status;
}

void Session::peek(const std::function<void(lang::Interpreter&)>& look) {
  int log = log_listener_;
  if (log) env_.db().unlisten(log);
  try {
    storage::Transaction never_committed(env_.db(), storage::TransactionLog::Quiet);
    lang::Interpreter scratch(runtime_->store());
    std::ostringstream nowhere;
    scratch.set_output(nowhere);
    look(scratch);
  } catch (const std::exception&) {
    // a receiver that cannot be evaluated completes nothing
  }
  if (log) set_sql_log(true);
}

void Session::command_help(const std::string& args) { page(out_, help_text(args), settings_.terminal); }

void Session::command_models(const std::string&) { page(out_, models_text(runtime_->app(), env_.db(), settings_.terminal), settings_.terminal); }

void Session::command_schema(const std::string& args) {
  page(out_, schema_text(runtime_->app(), env_.db(), args, settings_.terminal), settings_.terminal);
}

void Session::command_associations(const std::string& args) {
  page(out_, associations_text(runtime_->app(), args, settings_.terminal), settings_.terminal);
}

// A script file's text. A directory, a device or a pipe (/dev/zero would
// never end), a file too large to parse, or one that holds NUL bytes (a
// binary file) is refused with a message saying which.
std::string read_script(const std::string& path) {
  std::error_code error;
  auto status = fs::status(path, error);
  if (!fs::exists(status)) throw fw::Error("cannot read " + path + ": no such file");
  if (fs::is_directory(status)) throw fw::Error("cannot read " + path + ": it is a directory");
  if (!fs::is_regular_file(status)) throw fw::Error("cannot read " + path + ": not a regular file");
  if (fs::file_size(path, error) > lang::Parser::kMaxSource)
    throw fw::Error(fmt::format("cannot read {}: larger than a script may be ({} bytes)", path, lang::Parser::kMaxSource));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fw::Error("cannot read " + path + ": permission denied");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find('\0') != std::string::npos) throw fw::Error("cannot load " + path + ": it is a binary file, not a script");
  return text.str();
}

// load "file": the file runs as a script of its own (one transaction inside
// this statement's): when one of its statements fails, none of it is kept.
void Session::command_load(const std::string& args) {
  std::string path = args;
  if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'') && path.back() == path.front())
    path = path.substr(1, path.size() - 2);
  if (path.empty()) throw fw::Error("load takes a file: load \"script.fw\"");
  std::string text = read_script(path);
  Settings saved = settings_;
  settings_.keep_going = settings_.no_transaction = false;
  int status = run_script(path, text);
  settings_.keep_going = saved.keep_going;
  settings_.no_transaction = saved.no_transaction;
  if (status != 0) throw fw::Error("load " + path + " stopped; nothing it did was kept");
}

// begin, commit and rollback belong to the prompt: inside a script (or a
// loaded one) the transactions above the user's would be ended out of order.
void Session::check_at_prompt(const char* command) const {
  if (!interactive_ || script_depth_ > 1)
    throw fw::Error(std::string(command) + " works at the console's prompt; a script is one transaction already");
}

void Session::command_begin(const std::string&) {
  check_at_prompt("begin");
  if (user_transaction_) throw fw::Error("a transaction is open already; commit or rollback ends it");
  transaction_request_ = TransactionRequest::Begin;
}

void Session::command_commit(const std::string&) {
  check_at_prompt("commit");
  if (!user_transaction_) throw fw::Error("no transaction is open; begin starts one");
  transaction_request_ = TransactionRequest::Commit;
}

void Session::command_rollback(const std::string&) {
  check_at_prompt("rollback");
  if (!user_transaction_) throw fw::Error("no transaction is open; begin starts one");
  transaction_request_ = TransactionRequest::Rollback;
}

// Opens or ends the user's transaction once the statement that asked has
// ended its own (transactions nest as a stack).
void Session::apply_transaction_request() {
  auto request = std::exchange(transaction_request_, TransactionRequest::None);
  if (request == TransactionRequest::Begin) user_transaction_.emplace(env_.db(), storage::TransactionLog::Joinable);
  if (request == TransactionRequest::Begin) {
    transaction_mark_ = undo_.mark();
    user_transaction_mark_ = runtime_->store().change_mark();
  }
  if (request == TransactionRequest::Commit) user_transaction_->commit();
  if (request == TransactionRequest::Rollback) {
    user_transaction_->rollback();
    undo_.forget(transaction_mark_);                 // rolled back already
    runtime_->store().roll_back_to(user_transaction_mark_);  // records in memory as the database has them
  }
  if (request != TransactionRequest::None && request != TransactionRequest::Begin) {
    user_transaction_.reset();
    runtime_->store().end_transaction(request == TransactionRequest::Commit);  // after_commit, or after_rollback
  }
}

Session::~Session() {
  recorder_.reset();
  if (log_listener_) env_.db().unlisten(log_listener_);
  env_.db().unlisten(queries_listener_);
}

void Session::report_failure(const std::string& name, const std::string& message) {
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

std::string_view text_between(std::string_view source, size_t last_end, size_t next) {
  auto between = source.substr(last_end, next - std::min(last_end, next));
  if (last_end > 0) {  // the rest of the last statement's line (a comment trailing it) belongs to it
    size_t line_end = between.find('\n');
    between.remove_prefix(line_end == std::string_view::npos ? between.size() : line_end + 1);
  }
  return between;
}

void echo_comments(std::string_view between, bool after_output, std::ostream& to) {
  size_t at = 0;
  bool blank = false;  // a blank line in the script before the comments: one in the handout too
  while (at < between.size()) {
    size_t end = between.find('\n', at);
    std::string_view line = between.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
      blank = end != std::string_view::npos;
    } else if (line[first] == '#') {
      if (blank && after_output) to << '\n';
      blank = false;
      after_output = true;  // blank lines between comment blocks stay too
      to << line.substr(first) << '\n';
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
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
    size_t mark = runtime_->store().change_mark();
    size_t enrolled = runtime_->store().transaction_mark();  // records waiting for after_commit
    // A failed statement stops the script, whose transaction then undoes
    // everything: a plain command-form statement (`heart user=1 tweet=2`, its
    // one save the first thing it changes, nothing able to catch its failure)
    // needs no savepoint of its own. One bulk statement in ten costs less.
    bool stops_the_script = script && !settings_.keep_going;
    try {
      if (statement->kind == lang::Node::Kind::Body && statement->flags == "line") {
        // a; b; c: each runs as a statement of its own, and the line shows
        // the last value (as irb); an error stops the rest of the line.
        const auto& items = statement->items;
        for (size_t i = 0; i < items.size(); ++i) {
          bool last = i + 1 == items.size();
          // its own text, for undo's messages: up to the next statement, less the `;` between
          size_t end = last ? parser.statement_end() : items[i + 1]->offset;
          std::string_view text = source.substr(items[i]->offset, end - items[i]->offset);
          while (!text.empty() && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back()))))
            text.remove_suffix(1);
          statement_text_ = std::string(text);
          run_statement_in_turn(*items[i], storage::Undo::Own, last);
        }
      } else {
        run_statement_in_turn(*statement, stops_the_script && plain_command(*statement) ? storage::Undo::WithOuter
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
      failed = true;
      transaction_request_ = TransactionRequest::None;
    } catch (const std::exception& e) {  // a library's own (std::regex_error, std::bad_alloc): still this statement's
      runtime_->store().roll_back_to(mark);
      after_rollback(enrolled);
      report_failure(name, lang::foreign_error_message(e));
      failed = true;
      transaction_request_ = TransactionRequest::None;
    }
    if (failed && (lost = lost_transaction(name))) break;
    apply_transaction_request();
    if (std::exchange(reload_requested_, false)) reload_models();
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
    if (!e.is_locked() || !env_.db().retake_for_writing()) throw;
    runtime_->store().roll_back_to(mark);  // the records as before the first try
    after_rollback(enrolled);
    run_statement(statement, undo, show);
  }
}

// One statement in its own transaction (a savepoint inside the script's),
// its value printed, then its time and queries when asked for.
void Session::run_statement(const lang::Node& statement, storage::Undo undo, bool show) {
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
    auto value = runtime_->interpreter().run(statement);
    if (value && show) printer_->value(*value);  // inside the transaction: a relation that fails to load rolls it back
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

int seed(Environment& env, std::ostream& out, std::ostream& err) {
  if (!env.app().seed) {
    err << "fwitter: " << env.app().name << " has no scripts/seed.fw; nothing to seed\n";
    return 0;
  }
  Settings quiet;
  quiet.quiet = true;
  Session session(env, quiet, out, err);
  return session.run_script(env.app().seed->path, env.app().seed->text);
}

void prepare_database(Environment& env, std::ostream& err) {
  if (env.is_new()) {
    // One transaction: if the seed fails, the file stays empty and the next run tries again.
    storage::Transaction tx(env.db());
    bool from_schema = env.app().migrations.empty() && env.app().schema;  // db/schema.rb stands for the migrations
    if (from_schema) env.load_schema();
    int migrations = env.migrator().migrate();
    bool seeded = env.app().seed.has_value();
    if (seeded && seed(env, err, err) != 0)
      throw fw::Error("the seed script " + env.app().seed->path + " failed, so nothing was created; fix it and run again");
    tx.commit();
    err << fmt::format("fwitter: created {} ({}{})\n", env.db_path(),
                       from_schema ? "from " + env.app().schema->path
                                   : fmt::format("{} migration{}", migrations, migrations == 1 ? "" : "s"),
                       seeded ? ", seeded from " + env.app().seed->path : "");
    return;
  }
  auto pending = env.migrator().pending();
  if (!pending.empty())
    err << fmt::format("fwitter: warning: {} pending migration{} ({}...); run `fwitter db migrate` to apply\n",
                       pending.size(), pending.size() == 1 ? "" : "s", pending.front().version + "_" + pending.front().name);
}

}  // namespace fw::console

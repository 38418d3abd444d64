#include "console/session.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "console/commands.hpp"
#include "console/interrupt.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"

namespace fw::console {

Session::Session(Environment& env, Settings settings, std::ostream& out, std::ostream& err)
    : env_(env), settings_(std::move(settings)), out_(out), err_(err) {
  const auto& models = env.app().models;
  model_file_ = std::make_unique<lang::ModelFile>(models.path, models.text);
  app_ = model::App::load(model_file_->declarations(interpreter_slot_), env.db());
  store_ = std::make_unique<model::Store>(env.db(), app_);
  interpreter_ = std::make_unique<lang::Interpreter>(*store_);
  interpreter_slot_ = interpreter_.get();
  printer_ = settings_.quiet ? std::make_unique<QuietPrinter>() : make_printer(settings_.format, out_, *store_, settings_.terminal);
  set_sql_log(settings_.sql);
  queries_listener_ = env.db().listen([this](const storage::Query& q, std::chrono::microseconds t) { queries_.add(q, t); });
  interpreter_->set_command_handler([this](const lang::Node& n) { return console_command(n); });
  set_puts_stream();
  // As rails console --sandbox: what a statement saves shows as a savepoint in the log.
  if (settings_.sandbox) sandbox_.emplace(env.db(), storage::TransactionLog::Savepoints);
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

void Session::command_format(const std::string& args) {
  if (!is_format(args)) throw fw::Error("format takes " + std::string(format_names()) + (args.empty() ? "" : ", not '" + args + "'"));
  if (!settings_.quiet) printer_ = make_printer(args, out_, *store_, settings_.terminal);
  settings_.format = args;
  set_puts_stream();
}

// puts and p keep machine-readable output clean: under json and csv they write to standard error.
void Session::set_puts_stream() {
  bool machine = settings_.format == "json" || settings_.format == "csv";
  interpreter_->set_output(machine ? err_ : out_);
}

int Session::run_interactive(std::istream& in) {
  settings_.keep_going = settings_.no_transaction = true;  // each statement stands alone
  std::string buffer, line;
  int status = 0;
  while (!exit_requested_) {
    out_ << (buffer.empty() ? "fwitter> " : "fwitter*> ") << std::flush;
    if (!std::getline(in, line)) break;
    buffer += line + "\n";
    bool incomplete = false;
    try {
      lang::Parser probe(buffer, command_words());
      while (probe.next_statement()) {}
    } catch (const lang::SyntaxError& e) {
      incomplete = e.incomplete;
    }
    if (incomplete) continue;
    InterruptGuard ctrl_c;  // Ctrl-C stops the statement, not the console
    status = std::max(status, run_script("(console)", buffer));
    buffer.clear();
  }
  if (!exit_requested_) out_ << '\n';
  return 0;
}

Session::~Session() {
  if (log_listener_) env_.db().unlisten(log_listener_);
  env_.db().unlisten(queries_listener_);
}

void Session::report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail) {
  out_.flush();
  err_ << lang::diagnostic(name, pos, message) << '\n' << detail;
  err_.flush();
  printer_->error(message);
}

// A script's comment lines, as --echo shows them before the statement they
// explain: a lesson run with --echo reads as a handout.
void Session::echo_comments(std::string_view between) {
  size_t at = 0;
  while (at < between.size()) {
    size_t end = between.find('\n', at);
    std::string_view line = between.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] == '#') out_ << line.substr(first) << '\n';
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
}

int Session::run_script(const std::string& name, const std::string& text) {
  lang::Parser parser(text, command_words());
  std::optional<storage::Transaction> script;
  if (!settings_.no_transaction) script.emplace(env_.db(), storage::TransactionLog::Quiet);
  bool failed = false;
  size_t echoed_to = 0;  // where the last echoed statement ended: comments after it come with the next
  for (;;) {
    lang::NodePtr statement;
    try {
      statement = parser.next_statement();
    } catch (const lang::SyntaxError& e) {
      report(name, e.pos, e.what(), lang::caret_lines(parser.lexer().line_at(e.offset), e.pos));
      failed = true;
      if (settings_.keep_going) continue;
      break;
    }
    if (!statement) break;
    if (settings_.echo) {
      auto source = parser.lexer().source();
      auto between = source.substr(echoed_to, statement->offset - std::min(echoed_to, statement->offset));
      if (echoed_to > 0) between.remove_prefix(std::min(between.size(), between.find('\n')));  // skip a comment trailing the last statement
      echo_comments(between);
      out_ << "> " << source.substr(statement->offset, parser.statement_end() - statement->offset) << '\n';
      echoed_to = parser.statement_end();
    }
    try {
      run_statement(*statement);
    } catch (const fw::Error& e) {
      if (auto db = dynamic_cast<const storage::DbError*>(&e); db && db->is_unavailable()) throw;  // exit 3
      report(name, interpreter_->error_pos(), e.what(), "");
      failed = true;
    }
    if ((failed && !settings_.keep_going) || exit_requested_) break;
  }
  if (script && (!failed || settings_.keep_going)) script->commit();
  out_.flush();
  return failed ? 1 : 0;
}

// One statement in its own transaction (a savepoint inside the script's),
// its value printed, then its time and queries when asked for.
void Session::run_statement(const lang::Node& statement) {
  queries_.clear();
  auto started = std::chrono::steady_clock::now();
  storage::Transaction tx(env_.db(), storage::TransactionLog::Quiet);
  auto value = interpreter_->run(statement);
  if (value) printer_->value(*value);
  tx.commit();
  if (statement.kind == lang::Node::Kind::ConsoleCommand) return;  // `timer on` has no time of its own to show
  after_statement(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
}

// The N+1 hint shows with the timer on, or on a terminal's standard error
// (scripts piped to files stay quiet).
void Session::after_statement(std::chrono::microseconds took) {
  if (settings_.quiet || (!settings_.timer && !settings_.hints)) return;
  out_.flush();
  if (settings_.timer) err_ << queries_.summary(took) << '\n';
  if (auto hint = queries_.n_plus_one(app_)) err_ << *hint << '\n';
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
    int migrations = env.migrator().migrate();
    bool seeded = env.app().seed.has_value();
    if (seeded && seed(env, err, err) != 0)
      throw fw::Error("the seed script " + env.app().seed->path + " failed, so nothing was created; fix it and run again");
    tx.commit();
    err << fmt::format("fwitter: created {} ({} migration{}{})\n", env.db_path(), migrations, migrations == 1 ? "" : "s",
                       seeded ? ", seeded from " + env.app().seed->path : "");
    return;
  }
  auto pending = env.migrator().pending();
  if (!pending.empty())
    err << fmt::format("fwitter: warning: {} pending migration{} ({}...); run `fwitter db migrate` to apply\n",
                       pending.size(), pending.size() == 1 ? "" : "s", pending.front().version + "_" + pending.front().name);
}

}  // namespace fw::console

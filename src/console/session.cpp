// The console around the statement runner: the printer, the SQL log, the
// sandbox, what the runner asks of the console (a value shown, a failure
// reported, a command run), and what the commands work with.
#include "console/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "console/commands.hpp"
#include "console/highlight.hpp"
#include "console/recorder.hpp"
#include "lang/diagnostic.hpp"

namespace fw::console {

Session::Session(Environment& env, Settings settings, std::ostream& out, std::ostream& err)
    : env_(env),
      settings_(std::move(settings)),
      out_(out),
      err_(err),
      runner_(env.db(), *this, settings_, err),
      progress_(out, err, settings_.terminal.err_is_tty && !settings_.quiet),
      echo_(out, settings_.echo),
      timer_(env.db(), settings_, out, err, [this]() -> const model::App& { return runtime_->app(); }) {
  start_runtime(std::make_unique<lang::Runtime>(env.app(), env.db(), env.environment()));
  set_sql_log(settings_.sql);
  runner_.add_observer(progress_);
  runner_.add_observer(echo_);
  runner_.add_observer(timer_);
  // As rails console --sandbox: what a statement saves shows as a savepoint in the log.
  if (settings_.sandbox) sandbox_.emplace(env.db(), storage::TransactionLog::Savepoints);
}

namespace {
Session::ViewStarter& view_starter() {
  static Session::ViewStarter starter;
  return starter;
}
}  // namespace

void Session::set_view_starter(ViewStarter starter) { view_starter() = std::move(starter); }

void Session::start_view(const std::string& args) {
  if (!view_) {
    if (!view_starter()) throw fw::Error("this fwitter was built without the browser view");
    view_ = view_starter()(*this, args);
    runner_.add_observer(*view_);
  } else if (!args.empty()) {
    throw fw::Error("the view is running already, at " + view_->address());
  }
  err_ << "The view of this session is at " << view_->address() << '\n';
  err_.flush();
}

Session::~Session() {
  turn_.close();  // a page waiting for the connection gives up
  if (view_) runner_.remove_observer(*view_);
  view_.reset();  // its server stops before the session it shows ends
  set_recorder(nullptr);
  if (log_listener_) env_.db().unlisten(log_listener_);
}

int Session::run_script(const std::string& name, const std::string& text) {
  int status = runner_.run(name, text, {settings_.keep_going, !settings_.no_transaction});
  out_.flush();
  return status;
}

int Session::run_loaded(const std::string& name, const std::string& text) {
  int status = runner_.run(name, text, {/*keep_going=*/false, /*transaction=*/true});
  out_.flush();
  return status;
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

void Session::set_recorder(std::unique_ptr<Recorder> recorder) {
  if (recorder_) runner_.remove_observer(*recorder_);
  recorder_ = std::move(recorder);
  if (recorder_) runner_.add_observer(*recorder_);
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

void Session::show(const lang::Object& value) { printer_->value(value); }

void Session::report(const std::string& name, SourcePos pos, const std::string& message, const std::string& detail) {
  out_.flush();
  std::string line = lang::diagnostic(name, pos, message);
  err_ << (settings_.terminal.err_color ? highlight_error(line) : line) << '\n' << detail;
  err_.flush();
  printer_->error(readable_message(message));
}

void Session::run_command(const Command& command, const std::string& args) { command.run(*this, args); }

// The sandbox's transaction went with the old connection or file: a new one
// begins. A new SQLite file may have other tables: the models are read again.
void Session::database_reopened() {
  if (settings_.sandbox) {
    sandbox_.reset();  // dropped with the old connection: rolls back nothing
    sandbox_.emplace(env_.db(), storage::TransactionLog::Savepoints);
  }
  if (env_.db().engine() == storage::Engine::SQLite) reload_models();
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

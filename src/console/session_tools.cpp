// The session's tools for teaching: undo, explain, diagram and record.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "console/commands.hpp"
#include "console/diagram.hpp"
#include "console/explain.hpp"
#include "console/recorder.hpp"
#include "console/session.hpp"
#include "lang/parser.hpp"
#include "storage/changeset.hpp"
#include "storage/query_plan.hpp"

namespace fw::console {

namespace {

std::string unquote(const std::string& s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) return s.substr(1, s.size() - 2);
  return s;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

// ---- undo ----

void Session::remember_changes(storage::ChangeRecorder& recorder) {
  if (std::exchange(undoing_, false)) return;  // undo's own changes are not undone by the next undo
  undo_.push({statement_text_, recorder.changeset(), recorder.untracked_tables(), 0});
}

void Session::command_undo(const std::string& args) {
  if (!args.empty()) throw fw::Error("undo takes nothing: it reverts the last statement that changed something");
  std::optional<std::string> unchanged;
  auto entry = undo_.pop(unchanged);
  if (unchanged) out_ << fmt::format("`{}` changed nothing", *unchanged) << (entry ? "; undoing the statement before it\n" : "\n");
  if (!entry) {
    out_ << (unchanged ? "Nothing before it to undo.\n" : "Nothing to undo.\n");
    return;
  }
  if (!entry->untracked.empty()) {
    std::string statement = entry->statement;
    auto tables = joined(entry->untracked);
    undo_.put_back(std::move(*entry));
    throw fw::Error(fmt::format(
        "undo cannot revert `{}`: it changed {}, which has no primary key, so SQLite's session extension did not "
        "record it; nothing was reverted",
        statement, tables));
  }
  auto inverse = entry->changes.inverted();
  try {
    inverse.apply(env_.db());
  } catch (const storage::DbError& e) {
    if (e.is_unavailable()) throw;
    std::string statement = entry->statement;
    undo_.put_back(std::move(*entry));
    throw fw::Error(fmt::format("undo cannot revert `{}`: {}", statement, e.what()));
  }
  undoing_ = true;
  auto restored = inverse.summary();
  reload_variables(restored, false);
  out_ << fmt::format("Reverted `{}`:\n", entry->statement) << restored_text(restored);
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
        runtime_->store().reload(**record);
      } catch (const fw::Error&) {
        (*record)->mark_destroyed();  // its row is gone: the statement that created it was undone
      }
    } else if (auto* array = value.get<std::shared_ptr<lang::Array>>(); array && *array) {
      for (const auto& item : **array) visit(item, depth + 1);
    }
  };
  int log = log_listener_;
  if (log) env_.db().unlisten(log);  // the reloads are not the user's queries
  log_listener_ = 0;
  for (const auto& name : runtime_->interpreter().variable_names())
    if (const auto* value = runtime_->interpreter().variable(name)) visit(*value, 0);
  if (log) set_sql_log(true);
}

// ---- explain ----

namespace {

// The statement, run so that what stops it can be told: a call of destroy,
// save or update keeps its receiver, whose errors say why it returned false.
std::string run_and_tell_what_stops(lang::Interpreter& interpreter, const lang::Node& statement) {
  static const std::set<std::string> writers = {"destroy", "save", "update", "destroy!", "save!", "update!"};
  if (statement.kind == lang::Node::Kind::Call && statement.receiver && !statement.block &&
      writers.count(statement.name)) {
    auto receiver = interpreter.run(*statement.receiver);
    std::vector<lang::Object> args;
    for (const auto& item : statement.items) args.push_back(*interpreter.run(*item));
    auto result = interpreter.call(*receiver, statement.name, args);
    auto* record = receiver->get<model::RecordPtr>();
    if (result.is<bool>() && !*result.get<bool>() && record && *record && !(*record)->errors().empty())
      return joined((*record)->errors().full_messages());
    return "";
  }
  auto value = interpreter.run(statement);
  // a relation runs its SQL when printed: load it, as the console would
  if (const auto* relation = value ? value->get<lang::RelationPtr>() : nullptr; relation && *relation)
    interpreter.store().to_a(**relation);
  return "";
}

}  // namespace

void Session::command_explain(const std::string& args) {
  if (args.empty()) throw fw::Error("explain takes a statement: explain user(1).destroy");
  std::vector<lang::NodePtr> statements;
  lang::Parser parser(args, command_words());
  while (auto statement = parser.next_statement()) {
    if (statement->kind == lang::Node::Kind::ConsoleCommand)
      throw fw::Error("explain takes a statement, not the console command " + statement->name);
    statements.push_back(std::move(statement));
  }
  if (statements.empty()) throw fw::Error("explain takes a statement: explain user(1).destroy");

  DryRun run;
  std::vector<storage::Query> queries;
  runtime_->store().set_association_observer([&](const model::Reflection& r) {
    if (std::find(run.associations.begin(), run.associations.end(), &r) == run.associations.end())
      run.associations.push_back(&r);
  });
  int log = log_listener_;
  if (log) env_.db().unlisten(log);  // explain lists the queries itself
  log_listener_ = 0;
  int listener = env_.db().listen([&](const storage::Query& q, std::chrono::microseconds) {
    if (q.label != "TRANSACTION") queries.push_back(q);
  });
  struct Restore {
    Session& s;
    int listener, log;
    ~Restore() {
      s.runtime_->store().set_association_observer(nullptr);
      s.env_.db().unlisten(listener);
      if (log) s.set_sql_log(true);
    }
  } restore{*this, listener, log};
  {
    size_t enrolled = runtime_->store().transaction_mark();
    struct Forget {  // a dry run commits nothing: no after_commit runs for it
      model::Store& store;
      size_t mark;
      ~Forget() { store.forget_transaction(mark); }
    } forget{runtime_->store(), enrolled};
    storage::Transaction dry_run(env_.db(), storage::TransactionLog::Quiet);
    storage::ChangeRecorder recorder(env_.db());
    try {
      for (const auto& statement : statements) {
        run.stopped_by = run_and_tell_what_stops(runtime_->interpreter(), *statement);
        if (!run.stopped_by.empty()) break;
      }
    } catch (const fw::Error& e) {
      if (auto db = dynamic_cast<const storage::DbError*>(&e); db && db->is_unavailable()) throw;
      if (std::string(e.what()) == "Interrupt") throw;  // Ctrl-C stops explain itself
      run.stopped_by = e.what();
    }
    run.changes = recorder.changeset().summary();
    run.untracked = recorder.untracked_tables();
    dry_run.rollback();
  }
  runtime_->store().set_association_observer(nullptr);
  if (!run.stopped_by.empty())
    for (const auto* r : run.associations)
      if (r->dependent == model::Dependent::RestrictWithError || r->dependent == model::Dependent::RestrictWithException)
        run.restriction = r;
  for (const auto& q : queries) {
    auto same = std::find_if(run.statements.begin(), run.statements.end(),
                             [&](const DryRun::Statement& s) { return s.query.sql == q.sql && s.query.label == q.label; });
    if (same != run.statements.end()) {
      ++same->times;
      continue;
    }
    std::vector<storage::PlanStep> plan;
    try {
      plan = storage::query_plan(env_.db(), q);
    } catch (const storage::DbError&) {
      // a statement SQLite cannot plan on its own: shown without a plan
    }
    run.statements.push_back({q, 1, std::move(plan)});
  }
  reload_variables(run.changes, !run.stopped_by.empty());  // a record the dry run destroyed or changed is as the database has it
  page(out_, explain_text(run), settings_.terminal);
}

// ---- diagram ----

void Session::command_diagram(const std::string& args) {
  std::string format = args;
  if (format.rfind("--format", 0) == 0) format = format.substr(8);
  format.erase(0, format.find_first_not_of(" ="));
  page(out_, diagram(runtime_->app(), format), settings_.terminal);
}

// ---- record ----

void Session::record_statement(std::string_view comments, bool after_output, const std::string& text) {
  echo_comments(comments, after_output, recorder_->file());
  recorder_->file() << "> " << text << '\n';
}

void Session::command_record(const std::string& args) {
  std::string path = unquote(args);
  if (path.empty()) {
    out_ << (recorder_ ? "Recording to " + recorder_->path() + " (record off stops).\n"
                       : "Not recording; record \"file\" starts.\n");
    return;
  }
  if (path == "off") {
    if (!recorder_) throw fw::Error("not recording; record \"file\" starts");
    std::string was = recorder_->path();
    recorder_.reset();
    out_ << "Stopped recording; the transcript is in " << was << ".\n";
    return;
  }
  auto recorder = std::make_unique<Recorder>(path, out_, err_);
  recorder_.reset();
  out_ << "Recording to " << path << " (record off stops).\n";
  std::string app = prompt(false);
  recorder->file() << "# fwitter transcript (" << app.substr(0, app.size() - 2) << ")\n";
  recorder->start();
  recorder_ = std::move(recorder);
}

}  // namespace fw::console

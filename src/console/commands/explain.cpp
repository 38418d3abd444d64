// explain STATEMENT: the association path, SQL, plan and changes of a
// statement, run inside a transaction that is rolled back.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "console/commands.hpp"
#include "console/explain.hpp"
#include "console/session.hpp"
#include "lang/parser.hpp"
#include "storage/changeset.hpp"
#include "storage/query_plan.hpp"

namespace fw::console {

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
      return fmt::format("{}", fmt::join((*record)->errors().full_messages(), ", "));
    return "";
  }
  auto value = interpreter.run(statement);
  // a relation runs its SQL when printed: load it, as the console would
  if (const auto* relation = value ? value->get<lang::RelationPtr>() : nullptr; relation && *relation)
    interpreter.store().queries().to_a(**relation);
  return "";
}

std::vector<lang::NodePtr> parsed(const std::string& args) {
  std::vector<lang::NodePtr> statements;
  lang::Parser parser(args, command_words());
  while (auto statement = parser.next_statement()) {
    if (statement->kind == lang::Node::Kind::ConsoleCommand)
      throw fw::Error("explain takes a statement, not the console command " + statement->name);
    statements.push_back(std::move(statement));
  }
  if (statements.empty()) throw fw::Error("explain takes a statement: explain user(1).destroy");
  return statements;
}

// Runs the statements in a transaction that is rolled back, hearing the
// associations they follow and the queries they run.
void dry_run(Session& s, const std::vector<lang::NodePtr>& statements, DryRun& run, std::vector<storage::Query>& queries) {
  model::Store& store = s.store();
  storage::Database& db = s.env().db();
  store.set_association_observer([&](const model::Reflection& r) {
    if (std::find(run.associations.begin(), run.associations.end(), &r) == run.associations.end())
      run.associations.push_back(&r);
  });
  int listener = db.listen([&](const storage::Query& q, std::chrono::microseconds) {
    if (q.label != "TRANSACTION") queries.push_back(q);
  });
  struct Restore {
    model::Store& store;
    storage::Database& db;
    int listener;
    size_t enrolled;
    ~Restore() {
      store.set_association_observer(nullptr);
      db.unlisten(listener);
      store.forget_transaction(enrolled);  // a dry run commits nothing: no after_commit runs for it
    }
  } restore{store, db, listener, store.transaction_mark()};
  storage::Transaction transaction(db, storage::TransactionLog::Quiet);
  storage::ChangeRecorder recorder(db);
  try {
    for (const auto& statement : statements) {
      run.stopped_by = run_and_tell_what_stops(s.interpreter(), *statement);
      if (!run.stopped_by.empty()) break;
    }
  } catch (const fw::Error& e) {
    if (auto error = dynamic_cast<const storage::DbError*>(&e); error && error->is_unavailable()) throw;
    if (std::string(e.what()) == "Interrupt") throw;  // Ctrl-C stops explain itself
    run.stopped_by = e.what();
  }
  run.changes = recorder.changeset().summary();
  run.untracked = recorder.untracked_tables();
  transaction.rollback();
}

}  // namespace

void command_explain(Session& s, const std::string& args) {
  if (args.empty()) throw fw::Error("explain takes a statement: explain user(1).destroy");
  auto statements = parsed(args);
  Session::QuietLog quiet(s);  // explain lists the queries itself
  DryRun run;
  std::vector<storage::Query> queries;
  dry_run(s, statements, run, queries);
  if (!run.stopped_by.empty())
    for (const auto* r : run.associations)
      if (r->dependent == model::Dependent::RestrictWithError || r->dependent == model::Dependent::RestrictWithException)
        run.restriction = r;
  for (const auto& q : queries) {
    auto same = std::find_if(run.statements.begin(), run.statements.end(),
                             [&](const DryRun::Statement& st) { return st.query.sql == q.sql && st.query.label == q.label; });
    if (same != run.statements.end()) {
      ++same->times;
      continue;
    }
    std::vector<storage::PlanStep> plan;
    try {
      plan = storage::query_plan(s.env().db(), q);
    } catch (const storage::DbError&) {
      // a statement the database cannot plan on its own: shown without a plan
    }
    run.statements.push_back({q, 1, std::move(plan)});
  }
  s.reload_variables(run.changes, !run.stopped_by.empty());  // a record the dry run destroyed or changed is as the database has it
  s.page(explain_text(run));
}

}  // namespace fw::console

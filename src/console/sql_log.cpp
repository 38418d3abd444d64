#include "console/sql_log.hpp"

#include <fmt/format.h>

#include <regex>
#include <utility>

namespace fw::console {

namespace {

// More runs of one query than this in a statement is the N+1 pattern.
constexpr int kRepeats = 10;

double ms(std::chrono::microseconds t) { return static_cast<double>(t.count()) / 1000.0; }

// Rails' colours: the name bold cyan, the SQL bold in the colour of its verb.
const char* sql_color(const std::string& sql) {
  auto starts = [&](const char* verb) { return sql.rfind(verb, 0) == 0; };
  if (starts("SELECT")) return "\033[1m\033[34m";
  if (starts("INSERT")) return "\033[1m\033[32m";
  if (starts("UPDATE")) return "\033[1m\033[33m";
  if (starts("DELETE") || starts("ROLLBACK") || starts("rollback")) return "\033[1m\033[31m";
  if (starts("SAVEPOINT") || starts("RELEASE")) return "\033[1m\033[35m";
  return "\033[1m\033[36m";
}

// The association a repeated query loads, from its SQL and the app's reflections:
// `FROM "users" WHERE "users"."id" = ?` is a belongs_to to users,
// `FROM "tweets" WHERE "tweets"."user_id" = ?` a has_many by user_id.
std::optional<std::string> association_of(const std::string& sql, const model::App& app) {
  static const std::regex shape(R"re(FROM "(\w+)" WHERE "(\w+)"\."(\w+)" = \?)re");
  std::smatch m;
  if (!std::regex_search(sql, m, shape) || m[1] != m[2]) return std::nullopt;
  std::string table = m[1], column = m[3];
  for (const auto& model : app.models())
    for (const auto& r : model->reflections) {
      if (!r->klass || r->klass->table != table || r->is_through()) continue;
      bool loads = r->is_belongs_to() ? column == r->primary_key : r->macro != model::Macro::HasAndBelongsToMany && column == r->foreign_key;
      if (loads) return r->name;
    }
  return std::nullopt;
}

}  // namespace

std::string log_line(const storage::Query& q, std::chrono::microseconds took, bool color) {
  std::string binds;
  // a fragment's ? has no column: Rails shows its name as nil
  for (const auto& b : q.binds)
    binds += fmt::format("{}[{}, {}]", binds.empty() ? "" : ", ", b.name.empty() ? "nil" : "\"" + b.name + "\"",
                         inspect_value(b.value));
  std::string label = fmt::format("{} ({:.1f}ms)", q.label, ms(took));
  std::string sql = q.sql;
  if (color) label = "\033[1m\033[36m" + label + "\033[0m", sql = sql_color(sql) + sql + "\033[0m";
  return label + "  " + sql + (binds.empty() ? "" : "  [" + binds + "]");
}

void StatementQueries::clear() {
  count_ = 0;
  sql_time_ = {};
  shapes_.clear();
}

void StatementQueries::add(const storage::Query& q, std::chrono::microseconds took) {
  if (q.label == "TRANSACTION") return;
  ++count_;
  sql_time_ += took;
  ++shapes_[q.sql];
}

std::string StatementQueries::summary(std::chrono::microseconds total) const {
  return fmt::format("Time: {:.1f}ms  Queries: {} (SQL {:.1f}ms)", ms(total), count_, ms(sql_time_));
}

std::optional<std::string> StatementQueries::n_plus_one(const model::App& app) const {
  auto most = std::max_element(shapes_.begin(), shapes_.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (most == shapes_.end() || most->second <= kRepeats) return std::nullopt;
  auto name = association_of(most->first, app);
  return fmt::format("N+1: {} queries like \"{}\" - try includes({})", most->second, most->first,
                     name ? ":" + *name : "...");
}

StatementTimer::StatementTimer(storage::Database& db, const Settings& settings, std::ostream& out, std::ostream& err,
                               std::function<const model::App&()> app)
    : db_(db), settings_(settings), out_(out), err_(err), app_(std::move(app)) {}

StatementTimer::~StatementTimer() {
  if (listener_) db_.unlisten(listener_);
}

// Counted only where statement_ended shows them: with the timer or hints on
// (`timer on` in one statement counts from the next).
void StatementTimer::statement_started() {
  queries_.clear();
  bool counting = !settings_.quiet && (settings_.timer || settings_.hints);
  if (counting && !listener_)
    listener_ = db_.listen([this](const storage::Query& q, std::chrono::microseconds t) { queries_.add(q, t); });
  if (!counting && listener_) db_.unlisten(std::exchange(listener_, 0));
}

// The N+1 hint shows with the timer on, or on a terminal's standard error
// (scripts piped to files stay quiet).
void StatementTimer::statement_ended(std::chrono::microseconds took) {
  if (settings_.quiet || (!settings_.timer && !settings_.hints)) return;
  out_.flush();
  if (settings_.timer) err_ << queries_.summary(took) << '\n';
  if (auto hint = queries_.n_plus_one(app_())) err_ << *hint << '\n';
  err_.flush();
}

}  // namespace fw::console

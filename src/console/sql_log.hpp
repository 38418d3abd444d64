#pragma once
// What a statement's queries tell the user: the SQL log line of each (as
// Rails logs it), and after the statement its time, its number of queries, and
// a hint when it ran the same query over and over (the N+1 pattern).
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "console/settings.hpp"
#include "console/statement_observer.hpp"
#include "model/app.hpp"
#include "storage/database.hpp"

namespace fw::console {

// Rails' log line: `User Load (0.1ms)  SELECT ...  [["id", 1], ["LIMIT", 1]]`,
// coloured as Rails colours it when `color`.
std::string log_line(const storage::Query& q, std::chrono::microseconds took, bool color);

// The queries of one statement.
class StatementQueries {
 public:
  void clear();
  void add(const storage::Query& q, std::chrono::microseconds took);
  int count() const { return count_; }
  // "Time: 12.3ms  Queries: 4 (SQL 3.2ms)"
  std::string summary(std::chrono::microseconds total) const;
  // One line when the same SQL ran more than 10 times, naming the association
  // to `includes` when the SQL shows which it is.
  std::optional<std::string> n_plus_one(const model::App& app) const;

 private:
  int count_ = 0;
  std::chrono::microseconds sql_time_{};
  std::map<std::string, int> shapes_;  // SQL text -> how many times it ran
};

// `timer on` (and the N+1 hint, with --hints): after each statement its
// time and queries on standard error, counted only while one is asked for.
class StatementTimer : public StatementObserver {
 public:
  // `app`: the models now (reload! changes them), for the hint's association.
  StatementTimer(storage::Database& db, const Settings& settings, std::ostream& out, std::ostream& err,
                 std::function<const model::App&()> app);
  ~StatementTimer() override;
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

  void statement_started() override;
  void statement_ended(std::chrono::microseconds took) override;

 private:
  storage::Database& db_;
  const Settings& settings_;
  std::ostream& out_;
  std::ostream& err_;
  std::function<const model::App&()> app_;
  StatementQueries queries_;
  int listener_ = 0;  // listening only while counting: a listener costs every query, and keeps rows from being kept
};

}  // namespace fw::console

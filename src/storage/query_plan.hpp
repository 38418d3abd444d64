#pragma once
// SQLite's query plan for a statement (EXPLAIN QUERY PLAN), as its lines.
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage {

// One line of the plan: SQLite's own words ("SEARCH users USING INTEGER
// PRIMARY KEY (rowid=?)") and how deep it sits under the lines before it.
struct PlanStep {
  std::string detail;
  int depth = 0;
};

// The plan SQLite would use for `query` with its binds. Listeners hear
// nothing of it. A statement with no plan (an INSERT of values) has none.
std::vector<PlanStep> query_plan(Database& db, const Query& query);

}  // namespace fw::storage

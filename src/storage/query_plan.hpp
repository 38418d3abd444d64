#pragma once
// The engine's query plan for a statement, as its lines: SQLite's EXPLAIN
// QUERY PLAN, PostgreSQL's EXPLAIN.
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage {

// One line of the plan: SQLite's own words ("SEARCH users USING INTEGER
// PRIMARY KEY (rowid=?)") and how deep it sits under the lines before it.
struct PlanStep {
  std::string detail;
  int depth = 0;
  // SQLite's lines after a DELETE's or UPDATE's own: its foreign key checks on other tables.
  bool foreign_key_check = false;
};

// The plan SQLite would use for `query` with its binds. Listeners hear
// nothing of it. A statement with no plan (an INSERT of values) has none.
std::vector<PlanStep> query_plan(Database& db, const Query& query);

// ActiveRecord 6.1's Relation#explain of `query`: "EXPLAIN for: SQL [binds]",
// then the engine's rows as its adapter prints them (SQLite's EXPLAIN QUERY
// PLAN as id|parent|notused|detail; PostgreSQL's EXPLAIN as psql's table).
std::string explain_text(Database& db, const Query& query);

}  // namespace fw::storage

#include "storage/query_plan.hpp"

#include <map>

namespace fw::storage {

// PostgreSQL's plan as EXPLAIN writes it, a line a step: a node ("->  Seq
// Scan on tweets") indented six more than its parent, a node's details
// ("Filter: ...") two more than it.
std::vector<PlanStep> postgres_plan(Database& db, const Query& query) {
  std::vector<PlanStep> out;
  db.each({"SCHEMA", "EXPLAIN (COSTS OFF) " + query.sql, query.binds}, [&](const Row& row) {
    std::string line = value_to_s(row[0]);
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) return;
    line.erase(0, indent);
    if (line.rfind("->  ", 0) == 0) line.erase(0, 4);
    out.push_back({line, static_cast<int>((indent + 4) / 6)});
  });
  return out;
}

std::vector<PlanStep> query_plan(Database& db, const Query& query) {
  if (db.engine() == Engine::PostgreSQL) return postgres_plan(db, query);
  std::vector<PlanStep> out;
  std::map<std::int64_t, int> depth_of;  // a line's id -> its depth
  // Labelled as the schema's queries are, so the SQL log does not show it.
  db.each({"SCHEMA", "EXPLAIN QUERY PLAN " + query.sql, query.binds}, [&](const Row& row) {
    auto id = std::get<std::int64_t>(row[0]);
    auto parent = std::get<std::int64_t>(row[1]);
    int depth = parent == 0 || !depth_of.count(parent) ? 0 : depth_of[parent] + 1;
    depth_of[id] = depth;
    bool write = query.sql.rfind("DELETE", 0) == 0 || query.sql.rfind("UPDATE", 0) == 0;
    out.push_back({value_to_s(row[3]), depth, write && !out.empty()});
  });
  return out;
}

}  // namespace fw::storage

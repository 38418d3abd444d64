#include "storage/query_plan.hpp"

#include <map>

namespace fw::storage {

std::vector<PlanStep> query_plan(Database& db, const Query& query) {
  std::vector<PlanStep> out;
  std::map<std::int64_t, int> depth_of;  // a line's id -> its depth
  // Labelled as the schema's queries are, so the SQL log does not show it.
  db.each({"SCHEMA", "EXPLAIN QUERY PLAN " + query.sql, query.binds}, [&](const Row& row) {
    auto id = std::get<std::int64_t>(row[0]);
    auto parent = std::get<std::int64_t>(row[1]);
    int depth = parent == 0 || !depth_of.count(parent) ? 0 : depth_of[parent] + 1;
    depth_of[id] = depth;
    out.push_back({value_to_s(row[3]), depth});
  });
  return out;
}

}  // namespace fw::storage

#include "storage/query_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/text.hpp"
#include "storage/dialect.hpp"

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

std::string explain_text(Database& db, const Query& query) {
  bool postgres = db.engine() == Engine::PostgreSQL;
  std::string out = "EXPLAIN for: " + (postgres ? numbered_marks(query.sql) : query.sql);
  if (!query.binds.empty()) {
    out += " [";
    for (size_t i = 0; i < query.binds.size(); ++i)
      out += (i ? ", [" : "[") + quote_string(query.binds[i].name) + ", " + inspect_value(query.binds[i].value) + "]";
    out += "]";
  }
  out += "\n";
  std::vector<std::string> lines;
  db.each({"SCHEMA", (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + query.sql, query.binds}, [&](const Row& row) {
    std::string line;
    for (int i = 0; i < row.size(); ++i) line += (i ? "|" : "") + value_to_s(row[i]);
    lines.push_back(line);
  });
  if (!postgres) {
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  // As ActiveRecord's PostgreSQL::ExplainPrettyPrinter: the header centred, a rule, the lines, the count.
  std::string header = "QUERY PLAN";
  size_t width = header.size();
  for (const auto& l : lines) width = std::max(width, l.size());
  width += 2;
  std::string centred = std::string((width - header.size()) / 2, ' ') + header;
  out += centred + "\n" + std::string(width, '-') + "\n";
  for (const auto& l : lines) out += " " + l + "\n";
  out += fmt::format("({} {})\n", lines.size(), lines.size() == 1 ? "row" : "rows");
  return out;
}

}  // namespace fw::storage

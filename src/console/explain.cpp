#include "console/explain.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "console/sql_log.hpp"
#include "console/undo.hpp"
#include "model/inflector.hpp"
#include "model/model_class.hpp"

namespace fw::console {

namespace {

// "users USING INDEX x (a=?)" -> table "users", rest "USING INDEX x (a=?)"
std::pair<std::string, std::string> split_word(const std::string& s) {
  auto space = s.find(' ');
  if (space == std::string::npos) return {s, ""};
  return {s.substr(0, space), s.substr(space + 1)};
}

// The log line without its time: `User Load  SELECT ...  [["id", 1]]`.
std::string sql_line(const storage::Query& q) {
  std::string line = log_line(q, {}, false);
  auto time = line.find(" (0.0ms)");
  if (time != std::string::npos) line.erase(time, 8);
  return line;
}

}  // namespace

std::string describe_association(const model::Reflection& r) {
  std::string owner = r.owner ? r.owner->name : "?";
  std::string out = fmt::format("{} {} :{}", owner, model::macro_name(r.macro), r.name);
  bool collection = r.is_collection();
  std::string default_class = model::inflector::camelize(collection ? model::inflector::singularize(r.name) : r.name);
  if (r.is_through()) {
    out += ", through: :" + r.through;
    if (!r.source.empty() && r.source != r.name && r.source != model::inflector::singularize(r.name))
      out += ", source: :" + r.source;
  } else {
    if (r.class_name != default_class) out += fmt::format(", class_name: \"{}\"", r.class_name);
    std::string default_key = r.is_belongs_to() ? r.name + "_id"
                              : r.owner         ? model::inflector::foreign_key(r.owner->name)
                                                : r.foreign_key;
    if (r.macro != model::Macro::HasAndBelongsToMany && r.foreign_key != default_key)
      out += fmt::format(", foreign_key: \"{}\"", r.foreign_key);
    if (r.macro == model::Macro::HasAndBelongsToMany) out += fmt::format(", join_table: \"{}\"", r.join_table);
  }
  if (r.dependent != model::Dependent::None) out += fmt::format(", dependent: :{}", model::dependent_name(r.dependent));
  if (r.optional) out += ", optional: true";
  return out;
}

std::string plan_in_words(const std::string& detail) {
  if (detail == "SCAN CONSTANT ROW") return "reads no table (constant values)";
  if (starts_with(detail, "USE TEMP B-TREE FOR "))
    return "sorts the rows in a temporary b-tree for " + detail.substr(20) + " (no index gives that order)";
  for (const char* verb : {"SCAN ", "SEARCH "}) {
    if (!starts_with(detail, verb)) continue;
    bool scan = verb[1] == 'C';
    auto [table, how] = split_word(detail.substr(std::string(verb).size()));
    if (how.empty()) return scan ? "reads every row of " + table + " (a full scan, no index used)" : "searches " + table;
    if (starts_with(how, "USING INTEGER PRIMARY KEY"))
      return "finds the row" + std::string(scan ? "s" : "") + " of " + table + " by its primary key" + how.substr(25);
    for (const char* kind : {"USING COVERING INDEX ", "USING INDEX ", "USING AUTOMATIC COVERING INDEX ",
                             "USING AUTOMATIC INDEX "}) {
      if (!starts_with(how, kind)) continue;
      auto [index, cols] = split_word(how.substr(std::string(kind).size()));
      bool covering = std::string(kind).find("COVERING") != std::string::npos;
      bool automatic = std::string(kind).find("AUTOMATIC") != std::string::npos;
      std::string which = automatic ? "an index SQLite builds for this query (no index of the schema fits)"
                                    : "the index " + index;
      if (scan) return "reads every row of " + table + " in the order of " + which + (cols.empty() ? "" : " " + cols);
      return "finds the rows of " + table + " through " + which + (cols.empty() ? "" : " " + cols) +
             (covering ? ", reading the index alone" : "");
    }
    return (scan ? "reads " : "searches ") + table + " " + how;
  }
  // PostgreSQL's nodes: "Seq Scan on tweets t", "Index Scan using users_pkey on users u".
  auto on = detail.find(" on ");
  std::string table = on == std::string::npos ? "" : split_word(detail.substr(on + 4)).first;
  if (starts_with(detail, "Seq Scan on ")) return "reads every row of " + table + " (a full scan, no index used)";
  for (const char* kind : {"Index Scan using ", "Index Only Scan using ", "Bitmap Index Scan on "}) {
    if (!starts_with(detail, kind)) continue;
    std::string index = split_word(detail.substr(std::string(kind).size())).first;
    if (kind[0] == 'B') return "marks the rows the index " + index + " finds";
    return "finds the rows of " + table + " through the index " + index +
           (kind[6] == 'O' ? ", reading the index alone" : "");
  }
  if (starts_with(detail, "Bitmap Heap Scan on ")) return "reads the rows of " + table + " the index marked";
  return detail;  // subqueries, co-routines, joins, conditions: the engine's own words
}

std::string explain_text(const DryRun& run) {
  std::string out;
  if (!run.associations.empty()) {
    out += "Associations:\n";
    for (const auto* r : run.associations) out += "  " + describe_association(*r) + "\n";
  }
  out += run.statements.empty() ? "SQL: none\n" : "SQL:\n";
  for (const auto& s : run.statements) {
    out += "  " + sql_line(s.query);
    if (s.times > 1) out += fmt::format("  (ran {} times, with other values)", s.times);
    out += "\n";
    for (const auto& step : s.plan)
      out += std::string(4 + 2 * static_cast<size_t>(step.depth), ' ') +
             (step.foreign_key_check ? "foreign key check: " : "plan: ") + plan_in_words(step.detail) + "\n";
  }
  if (!run.stopped_by.empty()) {
    out += "Would be stopped by: " + run.stopped_by;
    if (run.restriction) out += " (" + describe_association(*run.restriction) + ")";
    out += "\n";
  }
  if (run.changes.empty() && run.untracked.empty()) {
    out += run.stopped_by.empty() ? "Would change: nothing\n" : "Would change: nothing, as it is stopped\n";
  } else {
    out += "Would change:\n" + would_change_text(run.changes);
    for (const auto& t : run.untracked) out += "  " + t + ": changed (no primary key, so not counted)\n";
  }
  out += "Nothing was changed: explain ran it in a savepoint and rolled it back.\n";
  return out;
}

}  // namespace fw::console

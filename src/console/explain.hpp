#pragma once
// The words of `explain STATEMENT`: an association as it is declared, the
// database's query plan (SQLite's or PostgreSQL's) in plain words, and the
// whole report of a dry run.
#include <string>
#include <vector>

#include "model/reflection.hpp"
#include "storage/changeset.hpp"
#include "storage/database.hpp"
#include "storage/query_plan.hpp"

namespace fw::console {

// `User has_many :liked_tweets, through: :hearts, source: :tweet`: the
// options that differ from the naming conventions' defaults, and dependent:.
std::string describe_association(const model::Reflection& reflection);

// One line of the plan in words: SQLite's "SEARCH users USING INTEGER PRIMARY
// KEY (rowid=?)" -> "finds the row of users by its primary key (rowid=?)";
// PostgreSQL's "Seq Scan on tweets" -> "reads every row of tweets (a full scan, ...)".
std::string plan_in_words(const std::string& detail);

// What a dry run saw.
struct DryRun {
  std::vector<const model::Reflection*> associations;  // in the order first followed
  struct Statement {
    storage::Query query;
    int times = 1;  // the same SQL ran this often (binds of the first shown)
    std::vector<storage::PlanStep> plan;
  };
  std::vector<Statement> statements;
  std::vector<storage::TableChanges> changes;
  std::vector<std::string> untracked;  // changed tables without a primary key, not counted
  std::string stopped_by;              // what stopped it: a message, or ""
  const model::Reflection* restriction = nullptr;  // the restrict_with_* association that stopped it
};

std::string explain_text(const DryRun& run);

}  // namespace fw::console

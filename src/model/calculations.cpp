// count, sum, average, minimum, maximum: plain and grouped, with the SQL and
// column aliases ActiveRecord 6.1 writes.
#include <fmt/format.h>

#include <cctype>

#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"

namespace fw::model {

const char* aggregate_name(Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::Count: return "count";
    case Aggregate::Sum: return "sum";
    case Aggregate::Average: return "average";
    case Aggregate::Minimum: return "minimum";
    case Aggregate::Maximum: return "maximum";
  }
  return "";
}

std::optional<Aggregate> aggregate_named(const std::string& method) {
  for (auto a : {Aggregate::Count, Aggregate::Sum, Aggregate::Average, Aggregate::Minimum, Aggregate::Maximum})
    if (method == aggregate_name(a)) return a;
  return std::nullopt;
}

namespace {

const char* sql_function(Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::Count: return "COUNT";
    case Aggregate::Sum: return "SUM";
    case Aggregate::Average: return "AVG";
    case Aggregate::Minimum: return "MIN";
    case Aggregate::Maximum: return "MAX";
  }
  return "";
}

std::string label(const Relation& relation, Aggregate aggregate) {
  std::string what = aggregate_name(aggregate);
  what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
  return relation.model().name + " " + what;
}

bool counts_rows(const std::string& column) { return column.empty() || column == "all" || column == "*"; }

// What an aggregate's value is: a count an integer, an average a double, the
// others the column's type; a sum of no rows 0.
Value typed_result(Aggregate aggregate, ColumnType type, const Value& raw) {
  switch (aggregate) {
    case Aggregate::Count: return is_null(raw) ? Value(std::int64_t{0}) : raw;
    case Aggregate::Average: {
      if (auto i = std::get_if<std::int64_t>(&raw)) return static_cast<double>(*i);
      return raw;
    }
    case Aggregate::Sum:
      if (is_null(raw)) return std::int64_t{0};
      return type == ColumnType::Untyped ? raw : cast_from_database(type, raw);
    default: return cast_from_database(type, raw);
  }
}

// What an aggregate reads: a column (typed), or * for a count of rows (the
// primary key when distinct).
struct Operand {
  std::string sql;
  ColumnType type = ColumnType::Untyped;
};

Operand operand_for(const Relation& relation, Aggregate aggregate, const std::string& column) {
  if (!counts_rows(column)) {
    ColumnRef ref = relation.column_ref(column, aggregate_name(aggregate));
    return {ref.sql, ref.type};
  }
  if (aggregate != Aggregate::Count)
    throw ModelError(fmt::format("{} needs a column: {}(:column)", aggregate_name(aggregate), aggregate_name(aggregate)));
  if (relation.select_values().size() == 1) return {relation.select_values().front()};  // select(:a).count
  return {relation.is_distinct() ? relation.qualified(relation.model().primary_key) : "*"};
}

}  // namespace

// SELECT COUNT(*) / SUM("tweets"."user_id") / COUNT(DISTINCT "users"."id") ...;
// a count of a limited relation counts a subquery, as ActiveRecord does.
storage::Query Queries::aggregate_query(const Relation& relation, Aggregate aggregate, const std::string& column,
                                      ColumnType& type) {
  if (relation.is_grouped())  // one value would be the first group's: the caller wants calculate_grouped
    throw ModelError(fmt::format("{} of a grouped relation is one value per group: use calculate_grouped",
                                 aggregate_name(aggregate)));
  Operand operand = operand_for(relation, aggregate, column);
  type = operand.type;
  std::string distinct = relation.is_distinct() ? "DISTINCT " : "";
  Relation plain = relation.distinct(false);
  bool limited = relation.limit_value() || relation.offset_value();
  if (aggregate != Aggregate::Count || !limited)
    return plain.unordered().select(std::string(sql_function(aggregate)) + "(" + distinct + operand.sql + ")",
                        label(relation, aggregate));
  if (operand.sql == "*") {
    auto inner = plain.select("1 AS one", "");
    return {label(relation, aggregate), "SELECT COUNT(*) FROM (" + inner.sql + ") subquery_for_count", inner.binds};
  }
  auto inner = plain.select(distinct + operand.sql + " AS count_column", "");
  return {label(relation, aggregate), "SELECT COUNT(count_column) FROM (" + inner.sql + ") subquery_for_count",
          inner.binds};
}

Value Queries::calculate(const Relation& relation, Aggregate aggregate, const std::string& column) {
  ColumnType type = ColumnType::Untyped;
  auto query = aggregate_query(relation, aggregate, column, type);
  return typed_result(aggregate, type, store_.db().scalar(query));
}

// SELECT COUNT(*) AS count_all, "hearts"."tweet_id" AS hearts_tweet_id FROM "hearts" GROUP BY "hearts"."tweet_id"
GroupedValues Queries::calculate_grouped(const Relation& relation, Aggregate aggregate, const std::string& column) {
  if (!relation.is_grouped())
    throw ModelError(fmt::format("{} of a relation with no group: call calculate", aggregate_name(aggregate)));
  Operand operand = operand_for(relation, aggregate, column);
  std::string distinct = relation.is_distinct() ? "DISTINCT " : "";
  // count_all; count_id when distinct (what it counts is the primary key); sum_user_id
  std::string counted = !counts_rows(column) ? column : relation.is_distinct() ? relation.model().primary_key : "all";
  std::string alias = column_alias(std::string(aggregate_name(aggregate)) + " " + counted);
  std::string what = std::string(sql_function(aggregate)) + "(" + distinct + operand.sql + ") AS " + alias;
  for (const auto& g : relation.group_values()) what += ", " + g.sql + " AS " + g.alias;
  GroupedValues out;
  const auto& groups = relation.group_values();
  store_.db().each(relation.distinct(false).select(what, label(relation, aggregate)), [&](const storage::Row& row) {
    std::vector<Value> key;
    for (size_t i = 0; i < groups.size(); ++i)
      key.push_back(cast_from_database(groups[i].type, row[static_cast<int>(i) + 1]));
    out.push_back({std::move(key), typed_result(aggregate, operand.type, row[0])});
  });
  return out;
}

}  // namespace fw::model

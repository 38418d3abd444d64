#pragma once
// What a relation does when it runs (ActiveRecord's Relation: its querying,
// calculations and batches, and the changes made to all of its rows at once).
// Defined in:
//   reading.cpp         to_a, each, find, find_by, first, last, exists?, count, size, pluck, batches, explain
//   calculations.cpp    count(column), sum, average, minimum, maximum, plain and grouped
//   record_updates.cpp  update_all, find_or_create_by, find_or_initialize_by
//   destroying.cpp      destroy_all, delete_all
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/record.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

class Store;

// An aggregate of a column: count, sum, average, minimum, maximum.
enum class Aggregate { Count, Sum, Average, Minimum, Maximum };
const char* aggregate_name(Aggregate aggregate);  // "count", "sum", "average", ...
// The aggregate a method name stands for, if any.
std::optional<Aggregate> aggregate_named(const std::string& method);

// A grouped aggregate's rows in the order the engine returns them: each group's
// key (one value per group column; the language shows a one-column key as
// the value itself, as ActiveRecord's Hash does) and its aggregate.
using GroupedValues = std::vector<std::pair<std::vector<Value>, Value>>;

class Queries {
 public:
  explicit Queries(Store& store) : store_(store) {}
  Queries(const Queries&) = delete;
  Queries& operator=(const Queries&) = delete;

  // ---- Reading ----
  // Streams the relation's records: nothing is collected, unless the relation
  // preloads associations (its records load first, then one query per
  // association) or is a collection a preload already holds (Associations::loaded).
  void each(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record);
  std::vector<RecordPtr> to_a(const Relation& relation);
  RecordPtr first(const Relation& relation);  // nullptr when none
  RecordPtr last(const Relation& relation);
  RecordPtr find(const Relation& relation, const Value& id);  // throws RecordNotFound
  RecordPtr find_by(const Relation& relation, const Attributes& conditions);  // nullptr when none
  std::int64_t count(const Relation& relation);
  // size: the loaded records' number when a preload holds them, else COUNT(*).
  std::int64_t size(const Relation& relation);
  bool exists(const Relation& relation);
  bool exists(const Relation& relation, const Value& id);                  // exists?(1)
  bool exists(const Relation& relation, const Attributes& conditions);     // exists?(username: "ann")
  // Streams the values of `columns` (one vector a row).
  void pluck(const Relation& relation, const std::vector<std::string>& columns,
             const std::function<void(std::vector<Value>&&)>& each_row);
  // The first row `query` gives, as a record of `model`; null when none.
  RecordPtr load_first(const ModelClass& model, const storage::Query& query);
  // Relation#explain: the engine's plan for the relation's load, as ActiveRecord 6.1 prints it.
  std::string explain(const Relation& relation);

  // ---- Batches (find_each, find_in_batches) ----
  static constexpr std::int64_t kDefaultBatchSize = 1000;  // ActiveRecord's batch_size default
  // Batches of `batch_size` ordered by primary key, the relation's own order
  // ignored as ActiveRecord does; a limit caps the total.
  void find_in_batches(const Relation& relation, std::int64_t batch_size,
                       const std::function<void(const std::vector<RecordPtr>&)>& each_batch);
  void find_each(const Relation& relation, std::int64_t batch_size,
                 const std::function<void(const RecordPtr&)>& each_record);

  // ---- Calculations ----
  // count(column) (column empty: COUNT(*), or COUNT(DISTINCT id) when
  // distinct), sum (0 when no rows), average (a double, nil when no rows),
  // minimum and maximum (typed by the column, nil when no rows). `column` is
  // the model's or "table.column" of a joined table.
  Value calculate(const Relation& relation, Aggregate aggregate, const std::string& column = "");
  // The same per group of a grouped relation (group(...)): throws when it is not grouped.
  GroupedValues calculate_grouped(const Relation& relation, Aggregate aggregate, const std::string& column = "");

  // ---- Changing all the rows ----
  // update_all(attrs): one UPDATE, no validations or callbacks; the number of rows.
  int update_all(const Relation& relation, const Attributes& attributes);
  // Each record destroyed (with its callbacks and dependents), in one transaction.
  std::vector<RecordPtr> destroy_all(const Relation& relation);
  // One DELETE, no callbacks or dependents; the number of rows.
  int delete_all(const Relation& relation);
  // The record find_by finds, or one created (or built) from the relation's
  // where-hash equalities and `attributes`.
  RecordPtr find_or_create_by(const Relation& relation, const Attributes& attributes, bool strict);
  RecordPtr find_or_initialize_by(const Relation& relation, const Attributes& attributes);

 private:
  // The model's column of each of a query's columns (-1: none), worked out
  // at its first row; `in_order` when they are the model's own, in its order
  // (`SELECT "users".*`, the common case).
  struct ColumnMap {
    std::vector<int> columns;  // when not in order: the model's column of each of the row's, or -1
    bool in_order = false;
    bool decided = false;
  };
  RecordPtr load_row(const ModelClass& model, const storage::Row& row, ColumnMap& map);
  const ModelClass& stored_class(const ModelClass& model, const std::vector<Value>& values) const;
  void stream(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record);
  void set_inverse(const Reflection& reflection, const RecordPtr& owner, Record& target);
  storage::Query aggregate_query(const Relation& relation, Aggregate aggregate, const std::string& column,
                                 ColumnType& type);

  Store& store_;
  // Model.find(id)'s query per model, as the relation builds it, given each id.
  std::map<const ModelClass*, storage::Query> find_queries_;
};

}  // namespace fw::model

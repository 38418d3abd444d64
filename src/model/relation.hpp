#pragma once
// A lazy, chainable query over one model (ActiveRecord::Relation). Building
// one runs nothing; the store runs it as one SQL statement, so its SQL can
// always be shown before it runs.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model_class.hpp"
#include "model/record.hpp"
#include "storage/database.hpp"

namespace fw::model {

// A value a statement hands the model layer: a scalar, a record, or a list.
struct Input {
  enum class Kind { Scalar, Record, List };
  Kind kind = Kind::Scalar;
  Value value;
  RecordPtr record;
  std::vector<Input> list;

  Input() = default;
  Input(Value v) : value(std::move(v)) {}  // NOLINT: a scalar is an input
  Input(RecordPtr r) : kind(Kind::Record), record(std::move(r)) {}  // NOLINT
  static Input list_of(std::vector<Input> items) {
    Input i;
    i.kind = Kind::List;
    i.list = std::move(items);
    return i;
  }
};

using Attributes = std::vector<std::pair<std::string, Input>>;

class Relation {
 public:
  // The collection an association reader returns: its owner and reflection,
  // so `<<`, create and delete know what to link.
  struct Owner {
    RecordPtr record;
    const Reflection* reflection;
  };

  explicit Relation(const ModelClass& model) : model_(&model) {}

  const ModelClass& model() const { return *model_; }
  const Owner* owner() const { return owner_ ? &*owner_ : nullptr; }
  std::optional<std::int64_t> limit_value() const { return limit_; }
  std::optional<std::int64_t> offset_value() const { return offset_; }
  bool is_ordered() const { return !orders_.empty(); }

  // where(k: v, ...): k a column or a belongs_to association; v a value, a
  // record, a list (IN) or nil (IS NULL). Throws on an unknown name.
  Relation where(const Attributes& conditions) const;
  Relation order(const std::string& column, bool descending) const;
  Relation limit(std::int64_t n) const;
  Relation offset(std::int64_t n) const;
  // The same relation, ordered by the primary key if it has no order, with
  // every order reversed when `reverse` (for last).
  Relation ordered_for_first(bool reverse) const;

  // The SQL for `SELECT what ...`, with its binds: one statement.
  storage::Query select(const std::string& what, const std::string& label) const;
  // DELETE / UPDATE of exactly the rows the relation selects: a plain WHERE
  // when it can, a subquery on the primary key when it joins or limits.
  storage::Query delete_query(const std::string& label) const;
  storage::Query update_query(const std::vector<storage::Bind>& sets, const std::string& label) const;
  // "users"."id" for this relation's table.
  std::string qualified(const std::string& column) const;

  // The association `reflection` of `owner`, as a relation: one query, joined
  // through the intermediate tables of a through association.
  static Relation association(const RecordPtr& owner, const Reflection& reflection);

 private:
  struct Condition {
    std::string sql;
    std::vector<storage::Bind> binds;
  };
  Condition condition_for(const std::string& name, const Input& value) const;
  // " WHERE ..." for a DELETE or UPDATE of this relation's rows, with its binds.
  std::string write_filter(std::vector<storage::Bind>& binds) const;

  const ModelClass* model_;
  std::vector<std::string> joins_;
  std::vector<Condition> conditions_;
  std::vector<std::pair<std::string, bool>> orders_;  // qualified column, descending
  std::optional<std::int64_t> limit_, offset_;
  std::optional<Owner> owner_;
};

}  // namespace fw::model

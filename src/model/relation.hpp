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

class Relation;

// A value a statement hands the model layer: a scalar, a record, a list, a
// range, a relation (a subquery), or a hash (a joined table's conditions).
struct Input {
  enum class Kind { Scalar, Record, List, Range, Subquery, Hash };
  Kind kind = Kind::Scalar;
  Value value;             // Scalar; Range: its begin (nil: beginless)
  Value range_end;         // Range: its end (nil: endless)
  bool exclusive = false;  // Range: 1...5 rather than 1..5
  RecordPtr record;
  std::vector<Input> list;
  std::shared_ptr<const Relation> relation;         // Subquery
  std::vector<std::pair<std::string, Input>> hash;  // Hash: where(tweets: { user_id: 1 })

  Input() = default;
  Input(Value v) : value(std::move(v)) {}  // NOLINT: a scalar is an input
  Input(RecordPtr r) : kind(Kind::Record), record(std::move(r)) {}  // NOLINT
  static Input list_of(std::vector<Input> items) {
    Input i;
    i.kind = Kind::List;
    i.list = std::move(items);
    return i;
  }
  static Input range(Value begin, Value end, bool exclusive) {
    Input i;
    i.kind = Kind::Range;
    i.value = std::move(begin);
    i.range_end = std::move(end);
    i.exclusive = exclusive;
    return i;
  }
  // where(id: relation): `IN (SELECT ...)` of the relation's select list, or of its primary key.
  static Input subquery(const Relation& relation);
  static Input hash_of(std::vector<std::pair<std::string, Input>> conditions) {
    Input i;
    i.kind = Kind::Hash;
    i.hash = std::move(conditions);
    return i;
  }
};

using Attributes = std::vector<std::pair<std::string, Input>>;

// Association names to join or preload, each with the associations to follow
// from its targets: joins(:user, tweets: :hearts) is {{"user"}, {"tweets", {{"hearts"}}}}.
struct AssociationTree {
  std::string name;
  std::vector<AssociationTree> nested;
  AssociationTree(std::string association, std::vector<AssociationTree> then = {})  // NOLINT: a name is a tree
      : name(std::move(association)), nested(std::move(then)) {}
};

// Values bound to an SQL fragment: positional (`?`) or named (`:name`). A list
// expands to `?, ?` (where("id IN (?)", [1, 2])).
using PositionalBinds = std::vector<Input>;
using NamedBinds = std::vector<std::pair<std::string, Input>>;

// What a column reference in group, select or an aggregate stands for.
struct ColumnRef {
  std::string sql;    // "tweets"."user_id"
  std::string alias;  // tweets_user_id, as ActiveRecord names the column it selects
  ColumnType type = ColumnType::Untyped;
};

// ActiveRecord's column_alias_for: "sum tweets.id" -> sum_tweets_id, "date(created_at)" -> date_created_at.
std::string column_alias(const std::string& text);

class Relation {
 public:
  // The collection an association reader returns: its owner and reflection,
  // so `<<`, create and delete know what to link.
  struct Owner {
    RecordPtr record;
    const Reflection* reflection;
    // The records the owner holds for this association once loaded
    // (ActiveRecord's target), or null; keep() sets them.
    const std::vector<RecordPtr>* loaded() const;
    void keep(std::vector<RecordPtr> records) const;
  };

  // Throws the model's error when it did not load (ModelClass::broken_class).
  // A subclass of single-table inheritance reads only its own rows (and its subclasses').
  explicit Relation(const ModelClass& model);
  // The model's records as Model.all gives them: from its default_scope, if it has one.
  static Relation all(const ModelClass& model, CodeRunner& code) {
    return model.default_scope ? model.default_scope(code, Relation(model)) : Relation(model);
  }

  const ModelClass& model() const { return *model_; }
  const Owner* owner() const { return owner_ ? &*owner_ : nullptr; }
  // The association reader's relation itself, not chained any further: the
  // one whose records a preload may already hold (Associations::loaded).
  bool is_association() const { return owner_ && unchained_; }
  // The same query, not the association reader's own any more (u.tweets.all):
  // it reads the rows again rather than the records the owner loaded.
  Relation chained() const;
  // The model itself (User, not User.where(...)): nothing added to it.
  bool is_plain() const;
  std::optional<std::int64_t> limit_value() const { return limit_; }
  std::optional<std::int64_t> offset_value() const { return offset_; }
  bool is_distinct() const { return distinct_; }
  bool is_grouped() const { return !groups_.empty(); }
  const std::vector<ColumnRef>& group_values() const { return groups_; }
  const std::vector<std::string>& select_values() const { return selects_; }  // qualified columns
  const std::vector<AssociationTree>& preload_values() const { return preloads_; }

  // where(k: v, ...): k a column or a belongs_to association, or a joined
  // table or association given a hash (where(tweets: { user_id: 1 })); v a
  // value, a record, a list (IN), a range (BETWEEN), a relation (IN (SELECT
  // ...)) or nil (IS NULL). Throws on an unknown name.
  Relation where(const Attributes& conditions) const;
  // where.not(k: v, ...): one condition negated (!=, NOT IN, IS NOT NULL), several as NOT (a AND b).
  Relation where_not(const Attributes& conditions) const;
  // where("content LIKE ?", "%rails%") and where("id > :n", n: 3): values are
  // always bound. Throws when the fragment holds more than one statement or
  // the binds do not match its placeholders.
  Relation where_sql(const std::string& fragment, const PositionalBinds& binds = {}) const;
  Relation where_sql(const std::string& fragment, const NamedBinds& binds) const;
  Relation where_not_sql(const std::string& fragment, const PositionalBinds& binds = {}) const;  // NOT (fragment)
  Relation where_not_sql(const std::string& fragment, const NamedBinds& binds) const;
  // relation.or(other): WHERE (a OR b), the conditions both share kept outside.
  // Throws "Relation passed to #or must be structurally compatible..." when
  // the models, limits, offsets, distinct, select or group differ, or other
  // joins a table this one does not.
  Relation or_(const Relation& other) const;

  Relation order(const std::string& column, bool descending) const;
  // order("created_at DESC"): passed through as ActiveRecord does; refused if it holds a `;`.
  Relation order_sql(const std::string& fragment) const;
  Relation limit(std::int64_t n) const&;
  Relation limit(std::int64_t n) &&;  // a relation about to go: no copy
  Relation offset(std::int64_t n) const;
  Relation distinct(bool on = true) const;
  // Without its ORDER BY: what one value is calculated over (ActiveRecord's
  // unscope(:order), which PostgreSQL needs for an aggregate without GROUP BY).
  Relation unordered() const;
  // select(:id, :username): the columns a load or a subquery selects; a name
  // may be qualified by a joined table ("tweets.content").
  Relation select_columns(const std::vector<std::string>& columns) const;
  // group(:user_id), group("tweets.user_id"), or an expression passed
  // through (group("date(created_at)")): the grouped aggregates of the store use these.
  Relation group(const std::vector<std::string>& columns) const;
  // joins(:tweets, tweets: :hearts): INNER JOIN on the associations' keys,
  // through associations expanded; left_joins: LEFT OUTER JOIN. Throws
  // "Can't join 'User' to association named 'foo'; perhaps you misspelled it?"
  Relation joins(const std::vector<AssociationTree>& associations) const;
  Relation left_joins(const std::vector<AssociationTree>& associations) const;
  // includes / preload: after the records load, one query per association
  // for all of them (Queries::to_a). Throws AssociationNotFoundError's message.
  Relation preload(const std::vector<AssociationTree>& associations) const;
  // The same relation, ordered by the primary key if it has no order, with
  // every order reversed when `reverse` (for last).
  Relation ordered_for_first(bool reverse) const;
  // The same relation with its order replaced by the primary key's, and
  // from after `last_id` when given: find_each's next batch.
  Relation batch_after(const Value& last_id) const;

  // The SQL for `SELECT what ...`, with its binds: one statement.
  storage::Query select(const std::string& what, const std::string& label) const;
  // What a load selects: "users".*, or the select list, after DISTINCT when distinct.
  std::string projection() const;
  // DELETE / UPDATE of exactly the rows the relation selects: a plain WHERE
  // when it can, a subquery on the primary key when it joins or limits.
  storage::Query delete_query(const std::string& label) const;
  storage::Query update_query(const std::vector<storage::Bind>& sets, const std::string& label) const;
  // The same with the SET clause as written (`"c" = COALESCE("c", 0) + ?`) and its binds.
  storage::Query update_query(const std::string& assignments, const std::vector<storage::Bind>& binds,
                              const std::string& label) const;
  // "users"."id" for this relation's table.
  std::string qualified(const std::string& column) const;
  // A column of the model, or "table.column" of a joined table; throws
  // "Tweet has no column foo to <purpose>. Did you mean? ...".
  ColumnRef column_ref(const std::string& name, const std::string& purpose) const;
  // The column = value equalities of its where(hash) conditions on its own
  // table: what find_or_create_by and create on a relation start from.
  std::vector<std::pair<std::string, Value>> scope_attributes() const;

  // The association `reflection` of `owner`, as a relation: one query, joined
  // through the intermediate tables of a through association.
  static Relation association(const RecordPtr& owner, const Reflection& reflection, CodeRunner& code);
  // The query that loads a belongs_to's target, the very one
  // association(owner, reflection).limit(1) selects: built once per
  // association, then given each owner's key (the validations of a bulk
  // script read two parents a row), and lent, not copied: it holds that key
  // until the next call. Null for a scoped or polymorphic one, which goes the
  // general way.
  static const storage::Query* target_query(const RecordPtr& owner, const Reflection& reflection,
                                            const std::string& label);
  // The same for a collection read as it is (`user.tweets`, nothing chained
  // and no scope or default_scope): the query this relation selects, built
  // once per association and lent with this owner's key. Null otherwise.
  const storage::Query* collection_query(const std::string& label) const;

 private:
  static Relation association_shape(const Reflection& reflection);
  // association() without the target's default_scope and the association's own scope.
  static Relation keyed_association(const RecordPtr& owner, const Reflection& reflection);
  struct Condition {
    std::string sql;
    std::vector<storage::Bind> binds;
    std::string negated;  // the condition's NOT, as ActiveRecord inverts it
    std::string or_body;  // an OR of several: its terms without the parentheses, to extend
    std::optional<std::pair<std::string, Value>> scope;  // column = value on the own table
    bool operator==(const Condition& other) const;
  };
  // A table the query joins: named by an association path ("tweets.hearts")
  // or by a through association's step.
  struct Joined {
    std::string path;
    std::string association;  // the last association's name
    const ModelClass* model;
    std::string alias;  // the table's name in the query
  };

  Condition condition_on(const ModelClass& m, const std::string& alias, const std::string& name,
                         const Input& value) const;
  std::vector<Condition> conditions_for(const Attributes& conditions) const;
  static Condition conjunction(const std::vector<Condition>& parts);
  static Condition fragment(const std::string& sql, const PositionalBinds* positional, const NamedBinds* named);
  Relation with_condition(Condition condition, bool negate) const;
  void check_or_compatible(const Relation& other) const;
  static std::string or_side(const std::vector<Condition>& side);
  // The joined table a where-hash or a column names, by table or association name.
  Joined joined_table(const std::string& name) const;
  Relation add_joins(const std::vector<AssociationTree>& associations, bool outer) const;
  void join_tree(const AssociationTree& node, const ModelClass& from, const std::string& from_alias,
                 const std::string& path, bool outer);
  void join_association(const Reflection& reflection, const std::string& from_alias, const std::string& path,
                        bool outer);
  std::string alias_for(const std::string& table, const std::string& candidate) const;
  // " WHERE ..." for a DELETE or UPDATE of this relation's rows, with its binds.
  std::string write_filter(std::vector<storage::Bind>& binds) const;
  std::string where_clause(std::vector<storage::Bind>& binds) const;

  const ModelClass* model_;
  std::vector<std::string> joins_;  // JOIN clauses, in order
  std::vector<Joined> joined_;
  std::vector<Condition> conditions_;
  std::vector<std::string> orders_;  // `"tweets"."id" ASC`, or a fragment as given
  std::optional<std::int64_t> limit_, offset_;
  bool distinct_ = false;
  std::vector<std::string> selects_;
  std::vector<ColumnRef> groups_;
  std::vector<AssociationTree> preloads_;
  std::optional<Owner> owner_;
  bool unchained_ = true;
};

// Checks an association tree against `model`, as includes/preload do:
// "Association named 'foo' was not found on User; perhaps you misspelled it?".
void check_associations(const ModelClass& model, const std::vector<AssociationTree>& associations);
// Throws when an SQL fragment holds more than one statement (a `;` outside quotes).
void check_single_statement(const std::string& fragment);

}  // namespace fw::model

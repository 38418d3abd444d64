#pragma once
// What the model layer does: runs relations, saves and destroys records with
// their validations and dependents, and follows associations. Every change to
// a row passes through write(), which words the engine's errors (SQLite's or
// PostgreSQL's) as ActiveRecord does.
// Its members are defined in files named for what they do:
//   store.cpp                 write(), the rollback journal, after_commit and after_rollback
//   reading.cpp               to_a, each, find, find_by, first, last, exists?, count, size, pluck, batches
//   calculations.cpp          count(column), sum, average, minimum, maximum, plain and grouped
//   record_updates.cpp        update_all, increment!, toggle!, touch, find_or_create_by
//   attribute_assignment.cpp  build, assign, <association>_attributes=, authenticate
//   validations.cpp           valid?
//   persistence.cpp           save, save!, update, reload
//   belongs_to_callbacks.cpp  what counter_cache: and touch: do after a save or a destroy
//   destroying.cpp            destroy (before_destroy, dependent:), destroy_all, delete_all
//   association_reading.cpp   a belongs_to's or has_one's target, a collection, include?
//   preload.cpp               includes and preload, and the collections a preload holds
//   collection_writes.cpp     <<, build, create and delete on a collection
//   store_support.hpp         what these files share (query names, the two transaction guards)
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/app.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

// An aggregate of a column: count, sum, average, minimum, maximum.
enum class Aggregate { Count, Sum, Average, Minimum, Maximum };
const char* aggregate_name(Aggregate aggregate);  // "count", "sum", "average", ...
// The aggregate a method name stands for, if any.
std::optional<Aggregate> aggregate_named(const std::string& method);

// A grouped aggregate's rows in the order the engine returns them: each group's
// key (one value per group column; the language shows a one-column key as
// the value itself, as ActiveRecord's Hash does) and its aggregate.
using GroupedValues = std::vector<std::pair<std::vector<Value>, Value>>;

// An association's targets as a preload loads them: each owner's, and all of
// them once each in the order they loaded (the owners of a nested preload).
struct PreloadedTargets {
  std::vector<std::vector<RecordPtr>> per_owner;
  std::vector<RecordPtr> all;
};

// What a write does to its table's rows (how its SQL error is worded).
// What statements change is recorded below the model layer, by the storage
// layer's ChangeRecorder (SQLite's session extension, or PostgreSQL's RETURNING rows).
struct Change {
  enum class Kind { Insert, Update, Delete };
};

class Store {
 public:
  // `code`: what runs the app's scope and callback bodies (the language's Runtime).
  Store(storage::Database& db, const App& app, CodeRunner& code) : db_(db), app_(app), code_(code) {}

  storage::Database& db() { return db_; }
  const App& app() const { return app_; }

  // What the bodies the store calls run in (each is handed it).
  CodeRunner& code() const { return code_; }

  // Hears each association a statement follows: readers, collections, and
  // the dependents a destroy runs (explain's association path).
  void set_association_observer(std::function<void(const Reflection&)> observer) {
    association_observer_ = std::move(observer);
  }

  // ---- Reading ----
  // Streams the relation's records: nothing is collected, unless the relation
  // preloads associations (its records load first, then one query per
  // association) or is a collection a preload already holds (see loaded()).
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

  // ---- Loaded associations ----
  // Is this collection loaded for its owner? relation.is_association() (the
  // reader's relation, not chained further: chaining queries again, as
  // ActiveRecord does) and a preload cached its records on the owner. Then
  // each, to_a, first, last, size and includes use these records.
  const std::vector<RecordPtr>* loaded(const Relation& relation) const;
  // Loads `associations` for records already loaded, one query per
  // association (and per through step), caching them on each record.
  void preload(const std::vector<RecordPtr>& records, const std::vector<AssociationTree>& associations);

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

  // ---- Changing many, or one with no callbacks ----
  // update_all(attrs): one UPDATE, no validations or callbacks; the number of rows.
  int update_all(const Relation& relation, const Attributes& attributes);
  // The record find_by finds, or one created (or built) from the relation's
  // where-hash equalities and `attributes`.
  RecordPtr find_or_create_by(const Relation& relation, const Attributes& attributes, bool strict);
  RecordPtr find_or_initialize_by(const Relation& relation, const Attributes& attributes);
  // increment!(column, by) (decrement!: a negative `by`): `SET c = COALESCE(c, 0) + ?`, no validations.
  void increment(Record& record, const std::string& column, const Value& by);
  // toggle!(column): flips it and saves without validations.
  void toggle(Record& record, const std::string& column);
  // touch(*columns): updated_at and the columns set to now, nothing else saved.
  void touch(Record& record, const std::vector<std::string>& columns = {});
  // Relation#explain: the engine's plan for the relation's load, as ActiveRecord 6.1 prints it.
  std::string explain(const Relation& relation);
  // update_columns: the values written to the row at once, without validations, callbacks or timestamps.
  void update_columns(Record& record, const Attributes& attributes);
  // update_attribute: saved without validating (callbacks and timestamps run).
  bool save_without_validations(Record& record) { return persist(record); }

  // ---- Records ----
  RecordPtr build(const ModelClass& model, const Attributes& attributes);
  // Sets a column, or a belongs_to association (from a record or an id), or
  // an attribute that is no column (has_secure_password's password sets its digest).
  void assign(Record& record, const std::string& name, const Input& value);
  // accepts_nested_attributes_for's <association>_attributes=: records built,
  // changed or marked for destruction, saved with `record` (see persist).
  void assign_nested(Record& record, const ModelClass::NestedAttributes& nested, const Input& value);
  // has_secure_password's authenticate_<attribute>: whether `password` is the
  // one its digest was made from.
  bool authenticate(const Record& record, const std::string& attribute, const std::string& password) const;
  // bcrypt's cost for new digests: 12, as the bcrypt gem's default; 4 in a
  // test environment, as Rails sets ActiveModel::SecurePassword.min_cost.
  void set_password_cost(int cost) { password_cost_ = cost; }
  bool valid(Record& record);
  bool save(Record& record);
  void save_strict(Record& record);  // save!: throws RecordInvalid
  bool update(Record& record, const Attributes& attributes);
  void update_strict(Record& record, const Attributes& attributes);
  // Destroys the record and runs its dependents, all in one transaction;
  // false (with the record's errors) when a restrict_with_error stops it.
  bool destroy(Record& record);
  void reload(Record& record);
  std::vector<RecordPtr> destroy_all(const Relation& relation);
  int delete_all(const Relation& relation);

  // ---- Associations ----
  // belongs_to and has_one: the associated record or nullptr.
  RecordPtr target(const RecordPtr& owner, const Reflection& reflection);
  // A collection association as a relation scoped to its owner.
  Relation collection(const RecordPtr& owner, const Reflection& reflection);
  // collection << record: links the record (for a through association, creates the join record,
  // raising RecordInvalid as ActiveRecord does). False when the record is invalid and was not saved.
  bool add(const Relation& collection, const RecordPtr& record);
  RecordPtr create_in(const Relation& collection, const Attributes& attributes, bool strict);
  // A new record of the relation: its where-hash equalities, `attributes`,
  // and for a collection its owner's key (Tweet.where(user: u).new, u.tweets.build).
  RecordPtr build_in(const Relation& collection, const Attributes& attributes);
  // collection.delete(record): unlinks it (nullify, or removes the join record).
  void remove(const Relation& collection, const RecordPtr& record);
  bool includes(const Relation& collection, const RecordPtr& record);

  // ---- Rollbacks ----
  // Records saved or destroyed are remembered as they were, while a
  // transaction is open; rolling back to a mark puts back the database state
  // of those changed since (a record destroyed in a cascade that was rolled
  // back is not destroyed). forget_changes() when no transaction is open.
  // A mark counts every change remembered, so it stays valid while entries of
  // records nothing holds any more are dropped.
  size_t change_mark() const { return changes_remembered_; }
  void roll_back_to(size_t mark);
  void forget_changes() { journal_.clear(); }

  // ---- after_commit and after_rollback ----
  // The records of models with such callbacks that a transaction saved or
  // destroyed wait for it to end. A transaction the store opens itself, with
  // none open around it, runs them when it ends; inside a transaction of the
  // caller's (a console statement's, the user's begin ... commit), the caller
  // says when its unit of work ended. `mark`: only those enrolled since.
  size_t transaction_mark() const { return enrolled_.size(); }
  void end_transaction(bool committed, size_t mark = 0);
  // A dry run's (explain's): they are dropped, their callbacks never run.
  void forget_transaction(size_t mark = 0) { enrolled_.resize(std::min(mark, enrolled_.size())); }

 private:
  // Remembers the record's database state before a change (see roll_back_to).
  void remember(Record& record);
  bool save_nested(Record& record);
  // Rolls the records back to `mark` unless keep() ran (a transaction of the store's own).
  class KeepOrRollBack;
  // Runs the transaction callbacks when the store's own transaction was the outermost (see end_transaction).
  class OutermostEnd;
  // A record saved or destroyed in the open transaction, and what was done
  // to it (TransactionAction bits; 0: its save or destroy did not complete).
  struct Enrolled {
    RecordPtr record;  // held until the transaction ends, as ActiveRecord's transaction holds its records
    unsigned action = 0;
  };
  static constexpr size_t kNotEnrolled = static_cast<size_t>(-1);
  // Enrolls the record as its save or destroy begins (ActiveRecord's order),
  // when its model has transaction callbacks; its place in enrolled_.
  size_t enroll(Record& record);
  void completed(size_t enrolled, unsigned action);
  int write(Change::Kind kind, const std::string& table, const storage::Query& query, const Relation* affected);
  void followed(const Reflection& reflection) {
    if (association_observer_) association_observer_(reflection);
  }
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
  // The first row `query` gives, as a record of `model`; null when none.
  RecordPtr load_first(const ModelClass& model, const storage::Query& query);
  void stream(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record);
  // `extra`: a through association's own scope, applied to its source's targets.
  PreloadedTargets load_association(const std::vector<RecordPtr>& owners, const Reflection& r,
                                    const ScopeBody& extra = {});
  PreloadedTargets load_through(const std::vector<RecordPtr>& owners, const Reflection& r);
  void set_inverse(const Reflection& reflection, const RecordPtr& owner, Record& target);
  PreloadedTargets load_polymorphic(const std::vector<RecordPtr>& owners, const Reflection& r);
  // The model a polymorphic belongs_to's type column names; throws Ruby's
  // NameError, with a "did you mean", for a name that is no model.
  const ModelClass& polymorphic_class(const std::string& type, const Reflection& r) const;
  // counter_cache: adds `by` to the count column of the parent with this key.
  void update_counter(const Reflection& r, const Value& parent_key, int by);
  // The callbacks of `kind` on the record; false when one threw :abort.
  bool run_callbacks(Record& record, CallbackKind kind);
  // What belongs_to counter_cache: and touch: do after a save or a destroy.
  void after_write_parents(Record& record, bool created, bool destroyed, const std::vector<std::pair<const Reflection*, Value>>& old_keys);
  storage::Query aggregate_query(const Relation& relation, Aggregate aggregate, const std::string& column,
                                 ColumnType& type);
  bool persist(Record& record);
  void write_columns(Record& record, const std::vector<size_t>& columns);
  void run_validator(Record& record, const Validator& v);
  // before_destroy callbacks and has_* dependent: cascades in ActiveRecord's
  // order; false when one aborted or a restrict_with_error stopped the destroy.
  bool run_before_destroy(Record& record);
  bool run_dependent(Record& record, const Reflection& r);
  void insert(Record& record);
  void update_row(Record& record);
  bool link(const Relation::Owner& owner, const RecordPtr& record);
  const Relation::Owner& require_owner(const Relation& collection, const char* method);

  storage::Database& db_;
  int password_cost_ = 12;
  const App& app_;
  std::function<void(const Reflection&)> association_observer_;
  CodeRunner& code_;
  // INSERT statements by model and the columns they set ('1' a column set):
  // built once a shape, then found by the storage layer's statement cache.
  std::map<std::pair<const ModelClass*, std::string>, std::string> insert_sql_;
  // Model.find(id)'s query per model, as the relation builds it, given each id.
  std::map<const ModelClass*, storage::Query> find_queries_;
  struct JournalEntry {
    size_t mark;
    std::weak_ptr<Record> record;
    Record::DatabaseState state;
  };
  std::vector<JournalEntry> journal_;
  size_t changes_remembered_ = 0;
  size_t compact_journal_at_ = 1024;  // a long script's journal keeps only records still held
  std::vector<Enrolled> enrolled_;
};

}  // namespace fw::model

#pragma once
// What a record does with its row (ActiveRecord's Persistence, with its
// attribute assignment, validations and callbacks). Defined in:
//   attribute_assignment.cpp  build, assign, <association>_attributes=, authenticate
//   validations.cpp           valid?
//   persistence.cpp           save, save!, update, reload
//   record_updates.cpp        increment!, toggle!, touch, update_columns
//   destroying.cpp            destroy (before_destroy, dependent:, after_destroy)
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/record.hpp"
#include "model/relation.hpp"

namespace fw::model {

class Store;
struct Validator;

class Persistence {
 public:
  explicit Persistence(Store& store) : store_(store) {}
  Persistence(const Persistence&) = delete;
  Persistence& operator=(const Persistence&) = delete;

  // ---- Building and assigning ----
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

  // ---- Saving ----
  bool valid(Record& record);
  bool save(Record& record);
  void save_strict(Record& record);  // save!: throws RecordInvalid
  bool update(Record& record, const Attributes& attributes);
  void update_strict(Record& record, const Attributes& attributes);
  // update_attribute: saved without validating (callbacks and timestamps run).
  bool save_without_validations(Record& record) { return persist(record); }
  void reload(Record& record);

  // ---- Changing a record with no callbacks ----
  // increment!(column, by) (decrement!: a negative `by`): `SET c = COALESCE(c, 0) + ?`, no validations.
  void increment(Record& record, const std::string& column, const Value& by);
  // toggle!(column): flips it and saves without validations.
  void toggle(Record& record, const std::string& column);
  // touch(*columns): updated_at and the columns set to now, nothing else saved.
  void touch(Record& record, const std::vector<std::string>& columns = {});
  // update_columns: the values written to the row at once, without validations, callbacks or timestamps.
  void update_columns(Record& record, const Attributes& attributes);

  // ---- Destroying ----
  // Destroys the record and runs its dependents, all in one transaction;
  // false (with the record's errors) when a restrict_with_error stops it.
  bool destroy(Record& record);

  // The callbacks of `kind` on the record (after_find and after_initialize
  // run as records load); false when one threw :abort.
  bool run_callbacks(Record& record, CallbackKind kind);

 private:
  bool save_nested(Record& record);
  // Saves without validating the record itself (update_attribute, toggle!).
  bool persist(Record& record);
  void write_columns(Record& record, const std::vector<size_t>& columns);
  void run_validator(Record& record, const Validator& v);
  // The value a validator checks, and its column (-1: a virtual attribute);
  // null when the validator passes it over (no column, allow_nil:, allow_blank:).
  const Value* checked_value(Record& record, const Validator& v, int& column) const;
  // Asks at once what the record's validators will ask one by one (a
  // belongs_to's target, a uniqueness check), where the engine reads ahead.
  void read_ahead(Record& record);
  storage::Query conditional_insert(const std::vector<storage::Query>& queries, const std::vector<std::string>& conditions);
  // before_destroy callbacks and has_* dependent: cascades in ActiveRecord's
  // order; false when one aborted or a restrict_with_error stopped the destroy.
  bool run_before_destroy(Record& record);
  void insert(Record& record);
  storage::Query insert_query(const Record& record, const std::string& now);
  void update_row(Record& record);

  Store& store_;
  int password_cost_ = 12;
  // INSERT statements by model and the columns they set ('1' a column set):
  // built once a shape, then found by the storage layer's statement cache.
  std::map<std::pair<const ModelClass*, std::string>, std::string> insert_sql_;
  // The record whose INSERT read_ahead sent ahead of its validations, and
  // the time its timestamps were given (insert() then sends the same query).
  const Record* ahead_record_ = nullptr;
  std::string ahead_now_;
};

}  // namespace fw::model

#pragma once
// A record: one row of a model's table, its attributes typed by its columns,
// whether it is saved, and the errors its last validation found.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/value.hpp"
#include "model/model_class.hpp"

namespace fw::model {

class Record;
struct Reflection;
using RecordPtr = std::shared_ptr<Record>;

// ActiveModel::Errors: (attribute, message) in the order they were added.
class Errors {
 public:
  void add(std::string attribute, std::string message) { items_.push_back({std::move(attribute), std::move(message)}); }
  void clear() { items_.clear(); }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
  std::vector<std::string> on(const std::string& attribute) const;
  // "Content can't be blank"; errors on :base are the message alone.
  std::vector<std::string> full_messages() const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

class Record : public std::enable_shared_from_this<Record> {
 public:
  explicit Record(const ModelClass& model);
  // A record loaded from a row: `stored` holds a value for each of the model's columns.
  Record(const ModelClass& model, std::vector<Value> stored);

  const ModelClass& model() const { return *model_; }
  const Value& at(size_t column) const { return values_.at(column); }
  // The attribute's value; throws UnknownAttributeError for a name that is no column.
  const Value& get(const std::string& column) const;
  Value id() const;
  // Sets an attribute, casting the value to the column's type.
  void set(size_t column, const Value& input);
  void set(const std::string& column, const Value& input);
  // Sets a value the model layer made already in the column's form (the
  // timestamps of a save): nothing to cast, nothing kept as typed.
  void set_cast(size_t column, Value value);
  // The value as the user gave it, before casting (numericality reads it).
  const Value& before_cast(size_t column) const;
  // The value as last loaded or saved: ActiveRecord's attribute_in_database.
  const Value& saved(size_t column) const { return saved_.empty() ? values_.at(column) : saved_.at(column); }

  bool new_record() const { return new_record_; }
  bool persisted() const { return !new_record_ && !destroyed_; }
  bool destroyed() const { return destroyed_; }
  bool changed() const;
  std::vector<size_t> changed_columns() const;
  // Old and new values of each changed attribute, as ActiveRecord's changes.
  std::vector<std::pair<std::string, std::pair<Value, Value>>> changes() const;

  // An attribute that is no column (attr_accessor's, has_secure_password's
  // password): nil until set; never saved.
  const Value& virtual_value(const std::string& name) const;
  void set_virtual(const std::string& name, Value value) { virtuals_[name] = std::move(value); }

  // Records accepts_nested_attributes_for built, changed or marked for
  // destruction, saved (or destroyed) with this one.
  struct NestedChange {
    const Reflection* reflection;
    std::shared_ptr<Record> record;
    bool destroy = false;
  };
  std::vector<NestedChange>& nested_changes() { return nested_; }

  Errors& errors() { return errors_; }
  const Errors& errors() const { return errors_; }

  // The record's instance variables (@initials in a model's method): the
  // language keeps them here, in a form of its own, for as long as the record lives.
  std::shared_ptr<void>& instance_variables() { return instance_variables_; }

  // The same attributes and state as a record of `other` (ActiveRecord's becomes).
  std::shared_ptr<Record> becomes(const ModelClass& other) const;

  // Loaded from a row: values as stored, nothing changed.
  void load(std::vector<Value> stored);
  void mark_saved();      // after an INSERT or UPDATE
  void mark_destroyed() { destroyed_ = true; }

  // ---- The association cache (ActiveRecord's record.association(name)) ----
  // belongs_to and has_one targets, loaded or assigned: an entry means loaded,
  // its record may be null (no target). A belongs_to entry is forgotten when
  // its foreign key changes; all are forgotten on reload.
  std::map<std::string, RecordPtr>& targets() { return targets_; }
  const RecordPtr* cached_target(const std::string& association) const;
  // Collections loaded by a preload. Further chaining queries again; reading
  // the association itself uses these (Associations::loaded).
  const std::vector<RecordPtr>* cached_collection(const std::string& association) const;
  void cache_collection(const std::string& association, std::vector<RecordPtr> records) {
    collections_[association] = std::move(records);
  }
  void reset_collections() { collections_.clear(); }
  void reset_associations() {
    targets_.clear();
    collections_.clear();
  }
  // Marks one attribute as saved with its current value (increment!, touch).
  void clear_change(size_t column);

  // What a rollback puts back, as ActiveRecord's restore_transaction_record_state:
  // the values as the database had them, whether it was new or destroyed, and
  // its id. The values assigned since stay, as changes not yet saved.
  struct DatabaseState {
    std::vector<Value> saved;
    bool new_record;
    bool destroyed;
    Value id;
  };
  DatabaseState database_state() const { return {saved_.empty() ? values_ : saved_, new_record_, destroyed_, id()}; }
  void restore(const DatabaseState& state);

 private:
  const ModelClass* model_;
  void forget_before_cast(size_t column);

  // Copies are made only when they differ, as a loaded record's seldom do:
  // saved_ is empty until an attribute changes (the values are as saved), and
  // before_cast_ holds only the inputs that casting changed.
  std::vector<Value> values_, saved_;
  std::vector<std::pair<size_t, Value>> before_cast_;
  bool new_record_ = true;
  bool destroyed_ = false;
  Errors errors_;
  std::map<std::string, RecordPtr> targets_;
  std::map<std::string, std::vector<RecordPtr>> collections_;
  std::map<std::string, Value> virtuals_;
  std::vector<NestedChange> nested_;
  std::shared_ptr<void> instance_variables_;
};

}  // namespace fw::model

#pragma once
// What the model layer does: runs relations, saves and destroys records with
// their validations and dependents, and follows associations. Every change to
// a row passes through write(), the one place it can be seen and recorded.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/app.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

// A change about to be made to the rows of a table. For changes to many rows
// at once, `before` holds the rows' images when a listener asked for them.
struct Change {
  enum class Kind { Insert, Update, Delete };
  Kind kind;
  std::string table;
  const storage::Query* query;
  std::vector<std::vector<std::pair<std::string, Value>>> before;  // rows as they were
};

class Store {
 public:
  Store(storage::Database& db, const App& app) : db_(db), app_(app) {}

  storage::Database& db() { return db_; }
  const App& app() const { return app_; }

  // Called before every change; with `want_images`, changes to many rows
  // first read the rows they touch (for undo and explain).
  void set_change_listener(std::function<void(const Change&)> listener, bool want_images) {
    listener_ = std::move(listener);
    want_images_ = want_images;
  }

  // ---- Reading ----
  // Streams the relation's records: nothing is collected.
  void each(const Relation& relation, const std::function<void(const RecordPtr&)>& each_record);
  std::vector<RecordPtr> to_a(const Relation& relation);
  RecordPtr first(const Relation& relation);  // nullptr when none
  RecordPtr last(const Relation& relation);
  RecordPtr find(const Relation& relation, const Value& id);  // throws RecordNotFound
  RecordPtr find_by(const Relation& relation, const Attributes& conditions);  // nullptr when none
  std::int64_t count(const Relation& relation);
  bool exists(const Relation& relation);
  // Streams the values of `columns` (one vector a row).
  void pluck(const Relation& relation, const std::vector<std::string>& columns,
             const std::function<void(std::vector<Value>&&)>& each_row);

  // ---- Records ----
  RecordPtr build(const ModelClass& model, const Attributes& attributes);
  // Sets a column, or a belongs_to association (from a record or an id).
  void assign(Record& record, const std::string& name, const Input& value);
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
  RecordPtr build_in(const Relation& collection, const Attributes& attributes);
  // collection.delete(record): unlinks it (nullify, or removes the join record).
  void remove(const Relation& collection, const RecordPtr& record);
  bool includes(const Relation& collection, const RecordPtr& record);

 private:
  int write(Change::Kind kind, const std::string& table, const storage::Query& query, const Relation* affected);
  RecordPtr load_row(const ModelClass& model, const storage::Row& row);
  void run_validator(Record& record, const Validator& v);
  bool run_dependents(Record& record);
  void insert(Record& record);
  void update_row(Record& record);
  bool link(const Relation::Owner& owner, const RecordPtr& record);
  const Relation::Owner& require_owner(const Relation& collection, const char* method);

  storage::Database& db_;
  const App& app_;
  std::function<void(const Change&)> listener_;
  bool want_images_ = false;
};

}  // namespace fw::model

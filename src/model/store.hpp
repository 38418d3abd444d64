#pragma once
// What the model layer does, as ActiveRecord divides it: a relation's
// querying and calculations (Queries, queries.hpp), a record's persistence
// (Persistence, persistence.hpp), a record's associations (Associations,
// associations.hpp, each operation handed to the association's kind in
// association.hpp: BelongsTo, HasMany, HasManyThrough, ...). The Store is
// their core, the unit of work they all use:
//   - write(): every change to a row passes through it, which words the
//     engine's errors (SQLite's or PostgreSQL's) as ActiveRecord does;
//   - the rollback journal: records put back as the database has them when a
//     transaction rolls back;
//   - the after_commit queue: the records that wait for their transaction's end.
// store.cpp defines it; store_support.hpp holds what the operations share
// (query names, the two transaction guards).
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/app.hpp"
#include "model/association.hpp"
#include "model/associations.hpp"
#include "model/persistence.hpp"
#include "model/queries.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

// What a write does to its table's rows (how its SQL error is worded).
// What statements change is recorded below the model layer, by the storage
// layer's ChangeRecorder (SQLite's session extension, or PostgreSQL's RETURNING rows).
struct Change {
  enum class Kind { Insert, Update, Delete };
};

class Store {
 public:
  // `code`: what runs the app's scope and callback bodies (the language's Runtime).
  Store(storage::Database& db, const App& app, CodeRunner& code)
      : db_(db), app_(app), code_(code), queries_(*this), persistence_(*this), associations_(*this) {}

  storage::Database& db() { return db_; }
  const App& app() const { return app_; }
  // What the bodies the store calls run in (each is handed it).
  CodeRunner& code() const { return code_; }

  // ---- The operations ----
  // store.queries().to_a(relation), .count, .calculate, .update_all, .destroy_all, ...
  Queries& queries() { return queries_; }
  // store.persistence().save(record), .build, .assign, .valid, .destroy, ...
  Persistence& persistence() { return persistence_; }
  // store.associations().target(owner, reflection), .collection, .add, .create_in, ...
  Associations& associations() { return associations_; }

  // ---- The one write path ----
  // Runs the statement, its engine error worded as ActiveRecord words it;
  // the number of rows changed.
  int write(Change::Kind kind, const std::string& table, const storage::Query& query, const Relation* affected);

  // ---- Rollbacks ----
  // Records saved or destroyed are remembered as they were, while a
  // transaction is open; rolling back to a mark puts back the database state
  // of those changed since (a record destroyed in a cascade that was rolled
  // back is not destroyed). forget_changes() when no transaction is open.
  // A mark counts every change remembered, so it stays valid while entries of
  // records nothing holds any more are dropped.
  // Remembers the record's database state before a change.
  void remember(Record& record);
  size_t change_mark() const { return changes_remembered_; }
  void roll_back_to(size_t mark);
  void forget_changes() { journal_.clear(); }

  // ---- after_commit and after_rollback ----
  // The records of models with such callbacks that a transaction saved or
  // destroyed wait for it to end. A transaction the store opens itself, with
  // none open around it, runs them when it ends; inside a transaction of the
  // caller's (a console statement's, the user's begin ... commit), the caller
  // says when its unit of work ended. `mark`: only those enrolled since.
  // Enrolls the record as its save or destroy begins (ActiveRecord's order),
  // when its model has transaction callbacks; its place in the queue.
  size_t enroll(Record& record);
  // Its save or destroy completed: `action` a TransactionAction.
  void completed(size_t enrolled, unsigned action);
  size_t transaction_mark() const { return enrolled_.size(); }
  void end_transaction(bool committed, size_t mark = 0);
  // A dry run's (explain's): they are dropped, their callbacks never run.
  void forget_transaction(size_t mark = 0) { enrolled_.resize(std::min(mark, enrolled_.size())); }

  // ---- Observing ----
  // Hears each association a statement follows: readers, collections, and
  // the dependents a destroy runs (explain's association path).
  void set_association_observer(std::function<void(const Reflection&)> observer) {
    association_observer_ = std::move(observer);
  }
  void followed(const Reflection& reflection) {
    if (association_observer_) association_observer_(reflection);
  }

  // Rolls the records back to `mark` unless keep() ran (a transaction of the store's own).
  class KeepOrRollBack;
  // Runs the transaction callbacks when the store's own transaction was the outermost (see end_transaction).
  class OutermostEnd;

 private:
  // A record saved or destroyed in the open transaction, and what was done
  // to it (TransactionAction bits; 0: its save or destroy did not complete).
  struct Enrolled {
    RecordPtr record;  // held until the transaction ends, as ActiveRecord's transaction holds its records
    unsigned action = 0;
  };
  static constexpr size_t kNotEnrolled = static_cast<size_t>(-1);

  storage::Database& db_;
  const App& app_;
  CodeRunner& code_;
  std::function<void(const Reflection&)> association_observer_;
  Queries queries_;
  Persistence persistence_;
  Associations associations_;
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

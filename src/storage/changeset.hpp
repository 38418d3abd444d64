#pragma once
// What statements change: a ChangeRecorder watches every table from its
// construction to its destruction, on SQLite with the session extension
// (sqlite3session_*), on PostgreSQL through the rows its driver's writes
// return (Database::begin_capture); the Changeset it gives can be counted
// per table, inverted and applied (the console's undo and explain).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage {

// One table's share of a changeset. `nullified` counts the updates that set
// a column to NULL (dependent: :nullify), which are also in `updated`.
struct TableChanges {
  std::string table;
  int inserted = 0;
  int deleted = 0;
  int updated = 0;
  int nullified = 0;
};

// The net change of each row (its primary key, its old values, its new
// ones): as the session extension serialises it, or as PostgreSQL's rows.
class Changeset {
 public:
  Changeset() = default;
  explicit Changeset(std::string bytes) : bytes_(std::move(bytes)) {}
  explicit Changeset(std::vector<RowChange> rows) : rows_(std::move(rows)), rows_mode_(true) {}

  bool empty() const { return rows_mode_ ? rows_.empty() : bytes_.empty(); }
  // Per table, in the order the tables were first changed.
  std::vector<TableChanges> summary() const;
  // The changeset that undoes this one: inserts become deletes, deletes
  // inserts, updates swap their old and new values.
  Changeset inverted() const;
  // Each row's change with its columns' values before and after (an update's
  // `before` and `after` name only its primary key and the columns it
  // changed); `db` names an SQLite table's columns.
  std::vector<RowChange> rows(Database& db) const;
  // Applies it inside a savepoint of its own. When a row is not as the
  // changeset expects (another session changed it since), nothing is applied
  // and DbError says which table.
  void apply(Database& db) const;

 private:
  void apply_rows(Database& db) const;

  std::string bytes_;
  std::vector<RowChange> rows_;
  bool rows_mode_ = false;
};

// Records what changes on a connection while it lives. Tables without a
// primary key (habtm join tables) are not seen by the session extension:
// untracked_tables() names those that changed, so the caller can refuse to
// treat the changeset as complete.
class ChangeRecorder {
 public:
  explicit ChangeRecorder(Database& db);
  ~ChangeRecorder();
  ChangeRecorder(const ChangeRecorder&) = delete;
  ChangeRecorder& operator=(const ChangeRecorder&) = delete;

  // The net change since construction.
  Changeset changeset();
  // Tables that changed but have no primary key, so are not in changeset().
  std::vector<std::string> untracked_tables();

 private:
  static void on_update(void* self, int op, const char* database, const char* table, long long rowid);

  Database& db_;
  struct Session;
  std::unique_ptr<Session> session_;  // null on PostgreSQL
  std::size_t journal_start_ = 0;     // on PostgreSQL: where the database's journal stood at construction
  std::set<std::string> changed_tables_;  // every table an update hook heard of
  ChangeRecorder* previous_ = nullptr;    // a recorder still alive around this one: it hears them too
};

}  // namespace fw::storage

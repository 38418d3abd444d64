#pragma once
// What statements change, recorded with SQLite's session extension
// (sqlite3session_*): a ChangeRecorder watches every table from its
// construction to its destruction; the Changeset it gives can be counted per
// table, inverted and applied (the console's undo and explain).
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

// A changeset as the session extension serialises it: the net change of
// each row (its primary key, its old values, its new ones).
class Changeset {
 public:
  Changeset() = default;
  explicit Changeset(std::string bytes) : bytes_(std::move(bytes)) {}

  bool empty() const { return bytes_.empty(); }
  // Per table, in the order the tables were first changed.
  std::vector<TableChanges> summary() const;
  // The changeset that undoes this one: inserts become deletes, deletes
  // inserts, updates swap their old and new values.
  Changeset inverted() const;
  // Applies it inside a savepoint of its own. When a row is not as the
  // changeset expects (another session changed it since), nothing is applied
  // and DbError says which table.
  void apply(Database& db) const;

 private:
  std::string bytes_;
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
  std::unique_ptr<Session> session_;
  std::set<std::string> changed_tables_;  // every table an update hook heard of
  ChangeRecorder* previous_ = nullptr;    // a recorder still alive around this one: it hears them too
};

}  // namespace fw::storage

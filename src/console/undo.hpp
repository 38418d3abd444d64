#pragma once
// The console's undo: what each statement changed (a storage::Changeset:
// SQLite's session extension, or the rows PostgreSQL's writes return),
// newest last, and the words for what undo put back.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "storage/changeset.hpp"

namespace fw::console {

struct UndoEntry {
  std::string statement;                 // as typed: `user(1).destroy`
  storage::Changeset changes;            // empty when it changed nothing
  std::vector<std::string> untracked;    // tables it changed that have no primary key
  std::uint64_t serial = 0;              // set by push
};

class UndoHistory {
 public:
  static constexpr size_t kLimit = 100;  // statements kept; the oldest are forgotten

  // Remembers a statement's changes; one that changed nothing is only noted
  // (undo says so, then steps back to the statement before it).
  void push(UndoEntry entry);
  // The serial the next statement gets: forget(mark) drops it and every
  // statement after (a transaction rolled back undid them already).
  std::uint64_t mark() const { return next_; }
  // The serial of the newest statement undo would revert; 0 when none.
  std::uint64_t newest() const { return entries_.empty() ? 0 : entries_.back().serial; }
  // That statement's entry, or null (the browser view shows its rows).
  const UndoEntry* newest_entry() const { return entries_.empty() ? nullptr : &entries_.back(); }
  void forget(std::uint64_t mark);
  // The newest statement that changed something, taken off the history, and
  // the statement that changed nothing after it, if the last one did.
  std::optional<UndoEntry> pop(std::optional<std::string>& unchanged_after);
  void put_back(UndoEntry entry) { entries_.push_back(std::move(entry)); }

 private:
  std::deque<UndoEntry> entries_;
  std::optional<std::string> unchanged_;  // the last statement, when it changed nothing
  std::uint64_t unchanged_serial_ = 0;
  std::uint64_t next_ = 1;
};

// "users: 1 row put back" lines of an inverse changeset's summary, for undo.
std::string restored_text(const std::vector<storage::TableChanges>& inverse);
// "hearts: 12 rows deleted" lines of a changeset's summary, for explain.
std::string would_change_text(const std::vector<storage::TableChanges>& summary);

}  // namespace fw::console

#pragma once
// The session as the browser view shows it: each statement the console ran,
// an item of JSON (its text, its output, the SQL it ran with binds and times,
// the N+1 hint, the rows it changed before and after, what an undo
// reverted). The console's thread adds and updates items (FeedRecorder); the
// connections' threads read them and wait for more (SessionFeed).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "console/sql_log.hpp"
#include "console/statement_observer.hpp"

namespace fw::console {
class Session;
}

namespace fw::web {

// The items, and every change to them in order (the events a page follows).
class SessionFeed {
 public:
  // Adds an item (its "n" set to its number, from 1) or, with the "n" of one
  // there, replaces it; either way one event more. Returns its number.
  int publish(nlohmann::json item);
  // The events from `from` on (the number of events seen so far), waiting
  // up to `timeout` for one when there is none; empty when none came. False
  // once the feed is closed.
  bool next_events(size_t from, std::vector<std::string>& events, std::chrono::milliseconds timeout);
  // Every item as it is now; the models the newest statement touched.
  nlohmann::json items() const;
  std::vector<std::string> touched_models() const;
  // Wakes and ends every stream (the view is stopping).
  void close();

 private:
  mutable std::mutex lock_;
  std::condition_variable changed_;
  std::vector<nlohmann::json> items_;
  std::vector<std::string> events_;  // each item as published, in order
  bool closed_ = false;
};

// A statement's item while it runs (FeedRecorder). At namespace scope: clang
// cannot tell a nested struct's default member initializers from inside
// std::optional in the class that holds it.
struct PendingItem {
  nlohmann::json item;
  bool undo = false;
  std::uint64_t newest_before = 0;  // undo's newest serial before it ran
  console::StatementQueries queries;
  std::string output;
  bool failed = false;
};

// Watches the statement runner and the console's output and queries, and
// publishes an item for each statement (at depth 1: the statements of a
// script `load` runs are part of the load).
class FeedRecorder : public console::StatementObserver {
 public:
  FeedRecorder(console::Session& session, SessionFeed& feed);
  ~FeedRecorder() override;
  FeedRecorder(const FeedRecorder&) = delete;
  FeedRecorder& operator=(const FeedRecorder&) = delete;

  void statement_read(const console::ReadStatement& statement) override;
  void error_read(int depth) override;
  void statement_ended(std::chrono::microseconds took) override;
  void statement_failed(int depth) override;
  void statement_done(size_t next_offset, int depth) override;
  void script_ended(int depth) override;

 private:
  class Capture;
  using Pending = PendingItem;
  void begin(nlohmann::json item, bool undo);
  void finish();
  void add_changes(Pending& p);
  void add_reverted(Pending& p);
  void mark_rolled_back(Pending& p);

  console::Session& session_;
  SessionFeed& feed_;
  std::optional<Pending> pending_;
  // What the console printed between two statements: a live lesson's step
  // (its comments, then `[step 2 of 22] > ...`) before it runs.
  std::string between_;
  std::unique_ptr<Capture> out_capture_, err_capture_;
  int listener_ = 0;
  std::map<std::uint64_t, int> items_of_serials_;  // undo's serial -> the item whose changes it holds
};

}  // namespace fw::web

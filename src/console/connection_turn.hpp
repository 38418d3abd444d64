#pragma once
// Whose turn it is on the console's database connection: the console's, or a
// page of its browser view's (web/pages.cpp), which reads through that same
// connection so that it sees what the console sees (an open begin or
// sandbox, an in-memory database). The console holds the turn at all times
// but while it waits for a line at the prompt; Tab's completion, which may
// read, takes it back for its work. A page waits for the turn a bounded time
// (while a statement or a script runs it does not come), reads, and gives it
// back. One mutex and one condition: no busy waiting.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace fw::console {

class ConnectionTurn {
 public:
  // ---- The console's side (its own thread) ----
  // While it waits for the user: a page may take the turn.
  void lend() {
    std::lock_guard<std::mutex> hold(lock_);
    console_ = false;
    changed_.notify_all();
  }
  // Back to the console, once the page being built (if any) is done; pages
  // waiting meanwhile come after it (many browsers cannot hold up the prompt).
  void take_back() {
    std::unique_lock<std::mutex> hold(lock_);
    console_ = true;
    changed_.wait(hold, [&] { return !borrowed_; });
  }
  // The session ends: no page gets the turn from now on.
  void close() {
    std::lock_guard<std::mutex> hold(lock_);
    closed_ = true;
    changed_.notify_all();
  }

  // Lent for as long as it lives (the line editor's wait).
  class Lent {
   public:
    explicit Lent(ConnectionTurn& turn) : turn_(turn) { turn_.lend(); }
    ~Lent() { turn_.take_back(); }
    Lent(const Lent&) = delete;
    Lent& operator=(const Lent&) = delete;

   private:
    ConnectionTurn& turn_;
  };
  // Held for as long as it lives, inside a Lent stretch (completion's reads).
  class TakenBack {
   public:
    explicit TakenBack(ConnectionTurn& turn) : turn_(turn) { turn_.take_back(); }
    ~TakenBack() { turn_.lend(); }
    TakenBack(const TakenBack&) = delete;
    TakenBack& operator=(const TakenBack&) = delete;

   private:
    ConnectionTurn& turn_;
  };

  // ---- A page's side (another thread) ----
  // Waits up to `patience` for the console to lend the turn; false when it
  // did not (a statement runs, or the session ends).
  bool borrow(std::chrono::milliseconds patience) {
    std::unique_lock<std::mutex> hold(lock_);
    if (!changed_.wait_for(hold, patience, [&] { return closed_ || (!console_ && !borrowed_); })) return false;
    if (closed_) return false;
    borrowed_ = true;
    return true;
  }
  // The session has ended (close): no page will get the turn.
  bool closed() {
    std::lock_guard<std::mutex> hold(lock_);
    return closed_;
  }
  void give_back() {
    std::lock_guard<std::mutex> hold(lock_);
    borrowed_ = false;
    changed_.notify_all();
  }

 private:
  std::mutex lock_;
  std::condition_variable changed_;
  bool console_ = true;    // the console holds the turn, or wants it back
  bool borrowed_ = false;  // a page holds it
  bool closed_ = false;
};

}  // namespace fw::console

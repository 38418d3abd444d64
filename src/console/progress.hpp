#pragma once
// A script's progress on standard error, for a person watching a long run on
// a terminal: statements done, their rate, how far through the file, and the
// time left. Drawn on one line that is erased before the script prints.
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "console/statement_observer.hpp"

namespace fw::console {

// Watches the outermost script the statement runner runs (a loaded one is
// part of its statement): how far through it is measured by the offset of
// the next statement in its length in bytes.
class Progress : public StatementObserver {
 public:
  // `enabled`: standard error is a terminal and values are printed. What the
  // script prints on `out` is flushed before the line is drawn.
  Progress(std::ostream& out, std::ostream& err, bool enabled);
  ~Progress() override { erase(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void script_started(size_t size, int depth) override;
  // Before the script writes anything: the line goes, to be drawn again later.
  void statement_read(const ReadStatement& statement) override;
  void error_read(int depth) override;
  // After a statement, with the offset where the next one starts.
  void statement_done(size_t offset, int depth) override;
  void script_ended(int depth) override;

  // The line as drawn, for `done` statements `elapsed` into the run, `offset`
  // bytes of `size`: "fwitter: 1,200 statements (4,000/s), 40%, about 2s left".
  static std::string line(size_t done, std::chrono::duration<double> elapsed, size_t offset, size_t size);

 private:
  using Clock = std::chrono::steady_clock;
  void erase();
  std::ostream& out_;
  std::ostream& err_;
  bool enabled_;
  size_t size_ = 0;
  size_t done_ = 0;
  bool drawn_ = false;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_draw_ = started_;
};

}  // namespace fw::console

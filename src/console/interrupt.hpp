#pragma once
// Ctrl-C while a statement runs: the statement stops (and is rolled back)
// and the console stays. While a guard lives, SIGINT asks the interpreter to
// stop at its next loop turn or call instead of ending the program.
#include <csignal>

namespace fw::console {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction previous_ {};
};

// --timeout: while a guard with a number of seconds lives, a statement still
// running when they have passed is stopped ("execution expired") and rolled
// back. A guard of 0 seconds does nothing.
class TimeoutGuard {
 public:
  explicit TimeoutGuard(int seconds);
  ~TimeoutGuard();
  TimeoutGuard(const TimeoutGuard&) = delete;
  TimeoutGuard& operator=(const TimeoutGuard&) = delete;

 private:
  bool armed_ = false;
  struct sigaction previous_ {};
};

}  // namespace fw::console

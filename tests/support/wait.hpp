#pragma once
// How long a test waits for something before it gives up, and the one way it
// waits: for a condition, polled, until a deadline. A test never sleeps a
// fixed time in place of a condition (tests/suite/no_fixed_sleeps_test.cpp
// fails when one does); this file holds the suite's only pause, the poll
// interval below.
//
// A deadline is the longest a working program could plausibly take, not a
// guess at how long it does take: a passing test reaches its condition long
// before it. Every deadline is `patience(seconds)`, which scales the plain
// build's figure by kSlowdown: 4 under AddressSanitizer (several times slower,
// on 2 busy cores), 1 otherwise, times FWITTER_TEST_PATIENCE when it is set
// (a slower machine: FWITTER_TEST_PATIENCE=3 ctest ...).
#include <chrono>
#include <cstdlib>
#include <thread>

namespace fw::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kSlowdown = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr double kSlowdown = 4;
#else
inline constexpr double kSlowdown = 1;
#endif
#else
inline constexpr double kSlowdown = 1;
#endif

// How long the plain build gives a terminal's screen or a program's exit.
inline constexpr double kTerminalSeconds = 5;

// `seconds` as this build and machine allow them.
inline double patience(double seconds) {
  static const double factor = [] {
    const char* given = std::getenv("FWITTER_TEST_PATIENCE");
    double f = given ? std::atof(given) : 0;
    return f > 0 ? f : 1.0;
  }();
  return seconds * kSlowdown * factor;
}

// The time between two looks at a condition. The suite's only pause.
inline void poll_interval() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }

// Polls `ready()` until it is true (true) or `seconds` (scaled by patience)
// pass (false).
template <class Ready>
bool wait_until(Ready&& ready, double seconds = kTerminalSeconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience(seconds));
  for (;;) {
    if (ready()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    poll_interval();
  }
}

}  // namespace fw::test

#pragma once
// A case that cannot run here (no ruby, no ActiveRecord, no PostgreSQL, a
// build without the block lists, ...) ends with FW_SKIP(reason): it prints
// kSkipped and the reason, and the case's CTest entry is reported as skipped,
// never passed (tests/doctest_main.cpp exits 77, each entry's
// SKIP_RETURN_CODE). A case that failed a check before it skipped still fails.
#include <cstdio>
#include <string>

#include "process.hpp"

namespace fw::test {

inline constexpr const char* kSkipped = "fwitter-test: skipped: ";

// Set by FW_SKIP; read by doctest_main.cpp.
inline bool& skipped() {
  static bool skipped = false;
  return skipped;
}

inline void say_skipped(const std::string& reason) {
  std::printf("%s%s\n", kSkipped, reason.c_str());
  std::fflush(stdout);
  skipped() = true;
}

// True when `ruby -e CODE` runs (ruby on the PATH, and the gems CODE requires).
inline bool ruby_runs(const std::string& code) { return run_program("ruby", {"-e", code}).status == 0; }

}  // namespace fw::test

// Ends the test case as skipped, saying why.
#define FW_SKIP(reason)              \
  do {                               \
    fw::test::say_skipped(reason);   \
    return;                          \
  } while (false)

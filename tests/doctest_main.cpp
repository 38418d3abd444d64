#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "support/skip.hpp"

namespace {

// What the run counted, kept for main once doctest has printed its summary.
doctest::TestRunStats counted{};

struct Counter : doctest::IReporter {
  explicit Counter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override { counted = stats; }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("fwitter_gate", 1, Counter);

bool main_returned = false;

// Under --fw-gate, a program that ends before main returns (an exit() from
// anywhere, even with status 0) fails.
void exited_early() {
  if (main_returned) return;
  static const char said[] = "fwitter-test: the program exited before its test case finished\n";
  (void)!write(2, said, sizeof said - 1);
  _exit(1);
}

}  // namespace

// Every fwitter the tests start seeds a new database with the small world of
// tests/fixtures/small_seed.fw (3 users, 5 tweets) rather than the app's own
// seed: expectations stay short and a database is made in milliseconds. A
// test of the real seed sets FWITTER_SEED= (empty) for its own run; an app
// folder (--app) always seeds from its own scripts/seed.fw.
//
// `--fw-gate`, which each CTest entry passes with its one case's filter
// (tests/list_cases.cmake): the program exits 0 only when exactly one test
// case ran and passed, 77 (the entries' SKIP_RETURN_CODE) when that case
// said FW_SKIP and failed nothing, and 1 otherwise; CTest checks the exit
// status, so a crash or a sanitizer's exit after the summary fails too.
int main(int argc, char** argv) {
  setenv("FWITTER_SEED", FWITTER_SOURCE_DIR "/tests/fixtures/small_seed.fw", 0);
  bool gate = false;
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strcmp(argv[i], "--fw-gate") == 0) {
      gate = true;
      continue;
    }
    argv[kept++] = argv[i];
  }
  argv[kept] = nullptr;
  if (gate) std::atexit(exited_early);
  doctest::Context context(kept, argv);
  int result = context.run();
  main_returned = true;
  if (!gate || context.shouldExit()) return result;
  if (counted.numTestCasesPassingFilters != 1) {
    std::printf("fwitter-test: %u test cases matched the filter, not one\n", counted.numTestCasesPassingFilters);
    return 1;
  }
  if (result != 0 || counted.numTestCasesFailed != 0) return result != 0 ? result : 1;
  return fw::test::skipped() ? 77 : 0;
}

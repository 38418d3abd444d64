// The same lines of Ruby, run by ruby (3.1, with ActiveSupport) and by
// fwitter: each line's value must inspect the same. The lines are
// tests/fixtures/ruby_parity/lines.rb; ruby runs them through run.rb there,
// as irb would, in one binding. Skipped, saying so, where ruby or
// ActiveSupport is not installed.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/skip.hpp"

using namespace fw::test;

TEST_CASE("Ruby's lines give what ruby 3.1 gives: irb's one value a line, rescue, multiple assignment, durations") {
  std::string dir = std::string(FWITTER_SOURCE_DIR) + "/tests/fixtures/ruby_parity/";
  if (!fw::test::ruby_runs("require 'active_support/all'"))
    FW_SKIP("ruby with ActiveSupport is not installed (apt-get install ruby-activerecord)");
  auto ruby = run_program("ruby", {dir + "run.rb", dir + "lines.rb"});
  REQUIRE(ruby.status == 0);
  TempDir tmp;
  auto ours = fwitter({"--db", tmp / "p.sqlite3", "--format", "inspect", "run", dir + "lines.rb"});
  CHECK(ours.status == 0);
  CHECK_FALSE(fw::test::contains(ours.err, "error"));
  auto want = lines_of(ruby.out), got = lines_of(ours.out);
  auto source = lines_of(slurp(dir + "lines.rb"));
  CHECK(want.size() == source.size());  // one value a line: every line gives one
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CAPTURE(source[i]);
    CHECK(got[i] == want[i]);
  }
}

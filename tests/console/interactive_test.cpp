// The console at a terminal, driven through a pseudo-terminal: statements
// that span lines, and Ctrl-C stopping a runaway loop without ending the
// console.
#include <doctest/doctest.h>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

using fw::test::Terminal;
using fw::test::TempDir;

TEST_CASE("an unfinished do...end, if...end or string continues on the next line") {
  TempDir dir;
  Terminal t({"--db", dir / "t.sqlite3"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  CHECK(t.wait_for("Type help for the commands and topics, exit or Ctrl-D to leave."));  // the start-up hint
  REQUIRE(t.wait_for("fwitter> "));
  t.type("[1, 2, 3].map do |x|\n");
  CHECK(t.wait_for("fwitter*> "));
  t.type("  x * 10\nend\n");
  CHECK(t.wait_for("=> [10, 20, 30]"));
  t.type("if 1 > 2\n");
  CHECK(t.wait_for("fwitter*> "));
  t.type("  :no\nelse\n  :yes\nend\n");
  CHECK(t.wait_for("=> :yes"));
  t.type("\"two\n");
  CHECK(t.wait_for("fwitter*> "));
  t.type("lines\"\n");
  CHECK(t.wait_for("=> \"two\\nlines\""));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("Ctrl-C stops an endless loop, rolls it back, and leaves the console working") {
  TempDir dir;
  Terminal t({"--db", dir / "t.sqlite3"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("fwitter> "));
  t.type("n = User.count\n");
  REQUIRE(t.wait_for("fwitter> "));
  // `started` shows once the statement runs: Ctrl-C before it would be the prompt's
  t.type("puts \"started\"; loop do\n  User.create!(username: \"u#{k = User.count}\", email: \"u#{k}@x.org\")\nend\n");
  REQUIRE(t.wait_for("started\r\n"));
  t.type("\x03");
  CHECK(t.wait_for("error: Interrupt"));
  CHECK(t.wait_for("fwitter> "));
  t.type("User.count == n\n");  // the loop's users were rolled back with it
  CHECK(t.wait_for("=> true"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

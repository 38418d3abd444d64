// ls: the session's variables with their classes, and its def methods, through the real binary.
#include <doctest/doctest.h>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

TEST_CASE("ls lists the variables with their classes, then the methods defined with def") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "ls.sqlite3", "-e", "ls\nu = User.first\nnames = User.pluck(:username)\ndef greet(x) = x\nls"});
  REQUIRE(r.status == 0);
  CHECK(r.out.find("locals: none yet (x = 1 makes one)\n") != std::string::npos);
  CHECK(r.out.find("locals: names (Array)  u (User)\nmethods: greet\n") != std::string::npos);
}

TEST_CASE("ls takes nothing") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "ls.sqlite3", "-e", "ls User"});
  CHECK(r.status == 1);
  CHECK(r.err.find("-e:1:1: error: ls takes nothing") != std::string::npos);
}

// A seed script with a helper method, loops and interpolation prints what
// ActiveRecord 6.1 prints for the same text (rails runner on the same
// seeded database), and puts keeps json output clean.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

namespace {
const std::string kScript = std::string(FWITTER_SOURCE_DIR) + "/tests/transcripts/seed_with_loops.fw";

// What ActiveRecord 6.1 printed for tests/transcripts/seed_with_loops.fw.
const char* kRailsOutput =
    "users: 7, tweets: 15, follows: 8, hearts: 22\n"
    "Dave: 1 tweets, 1 followers\n"
    "Erin: 2 tweets, 1 followers\n"
    "Frank: 3 tweets, 1 followers\n"
    "Grace: 4 tweets, 1 followers\n"
    "Hello, fwitter!\n"
    "Grace, Frank, Erin\n";
}  // namespace

TEST_CASE("a seed script with loops, interpolation and a helper prints what rails runner prints") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "seed.sqlite3", "--format", "json", "run", kScript});
  CHECK(r.status == 0);
  // under json, puts writes to standard error, after the one line saying the database was made
  auto created = r.err.find('\n');
  REQUIRE(created != std::string::npos);
  CHECK(r.err.substr(created + 1) == kRailsOutput);
  CHECK(r.out.find("users: 7") == std::string::npos);
}

TEST_CASE("p writes inspect and gives its argument back; print writes no newline") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "p.sqlite3", "--format", "json", "-e", "p [1, \"a\", :b, nil]", "-e",
                    "print \"x\", 1", "-e", "puts"});
  CHECK(r.status == 0);
  CHECK(r.out == "[1,\"a\",\"b\",null]\nnull\nnull\n");
  CHECK(r.err.substr(r.err.find('\n') + 1) == "[1, \"a\", :b, nil]\nx1\n");
}

TEST_CASE("--echo shows a script's comments before the statement they explain, as a handout") {
  TempDir dir;
  std::string script = dir / "lesson.fw";
  std::ofstream(script) << "# How many users?\n# (the seed made three)\nUser.count # trailing\n\n# And tweets:\nTweet.count\n";
  auto r = fwitter({"--db", dir / "echo.sqlite3", "--echo", "run", script});
  CHECK(r.status == 0);
  CHECK(r.out == "# How many users?\n# (the seed made three)\n> User.count\n=> 3\n\n# And tweets:\n> Tweet.count\n=> 5\n");
}

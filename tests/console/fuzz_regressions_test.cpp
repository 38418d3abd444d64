// Inputs the libFuzzer harnesses (fuzz/) found, or that were written to go
// where they go, each run as evaluate_fuzzer runs it: a sandboxed session on
// a seeded fwitter database, every statement run (--keep-going). Nothing may
// escape run_script, and afterwards the database passes every check with the
// seed rows back. Add each new crash here, with what it was.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "../support/seeded_session.hpp"
#include "console/environment.hpp"
#include "console/session.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

using fw::test::TempDir;

namespace {

struct Case {
  const char* what;
  std::string input;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"a regex over a long text (the backtracking search overflowed the stack)", "(\"ab\" * 20000) =~ /^(a|b)*$/\n"},
      {"an invalid regex", "\"x\".gsub(/(/, \"\")\n\"x\" =~ /[z-a]/\n"},
      {"a string index far past the end", "\"abc\"[9223372036854775807]\n\"abc\"[-9223372036854775807, 3]\n"},
      {"an array index far past the end", "[1, 2][9223372036854775807]\n[1, 2].first(9223372036854775807)\n"},
      {"load of a device that never ends", "load \"/dev/zero\"\nload \"/dev/stdin\"\n"},
      {"load of a directory", "load \".\"\nload \"\"\n"},
      {"a destroy cascade in a statement that then fails", "u = user(1)\n[u.destroy, nil.frob]\nu.destroyed?\nu.tweets.count\n"},
      {"a save in a statement that then fails", "t = Tweet.new(user: user(2), content: \"x\")\n[t.save, 1 / 0]\nt.save\n"},
      {"Integer overflow in ranges and sums", "(9223372036854775806..9223372036854775807).sum\n[9223372036854775807, 1].sum\n"},
      {"huge repetition", "\"ab\" * 9223372036854775807\n[1] * 9223372036854775807\n"},
      {"a deep chain of calls", std::string("1") + [] {
         std::string s;
         for (int i = 0; i < 3000; ++i) s += ".to_s.to_i";
         return s;
       }() + "\n"},
  };
  return all;
}

struct Db {
  TempDir dir;
  fw::console::Environment env{fw::test::small_world(), dir / "regressions.sqlite3", fw::storage::Database::Options{}};
  std::ostringstream setup;
  Db() { fw::console::prepare_database(env, setup); }
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    env.db().each({"", sql, {}}, [&](const fw::storage::Row& row) {
      std::string line;
      for (int i = 0; i < row.size(); ++i) line += (i ? "|" : "") + fw::value_to_s(row[i]);
      out.push_back(line);
    });
    return out;
  }
};

}  // namespace

TEST_CASE("every input the fuzzers found fails or runs, and leaves the database whole") {
  Db db;
  auto seed_rows = db.rows("SELECT COUNT(*) FROM users UNION ALL SELECT COUNT(*) FROM tweets");
  for (const auto& c : cases()) {
    INFO(c.what);
    fw::console::Settings settings;
    settings.keep_going = true;
    settings.quiet = true;
    settings.sandbox = true;
    settings.timeout = 5;
    std::ostringstream out, err;
    int status = -1;
    {
      fw::console::Session session(db.env, settings, out, err);
      try {
        status = session.run_script("regression", c.input);
      } catch (const std::exception& e) {
        FAIL_CHECK("run_script threw " << e.what());
      }
    }
    CHECK((status == 0 || status == 1));
    CHECK(db.env.db().transaction_depth() == 0);
    CHECK(db.rows("PRAGMA integrity_check") == std::vector<std::string>{"ok"});
    CHECK(db.rows("PRAGMA foreign_key_check").empty());
    CHECK(db.rows("SELECT COUNT(*) FROM users UNION ALL SELECT COUNT(*) FROM tweets") == seed_rows);
    // every error is a line or three, whatever the input
    CHECK(err.str().size() < 200 * (1 + std::count(c.input.begin(), c.input.end(), '\n')));
  }
}

TEST_CASE("a record destroyed in a failed statement's cascade is not destroyed in memory") {
  Db db;
  fw::console::Settings settings;
  settings.keep_going = true;
  settings.format = "json";
  std::ostringstream out, err;
  fw::console::Session session(db.env, settings, out, err);
  session.run_script("memory", "u = user(1)\n[u.destroy, nil.frob]\n[u.destroyed?, u.persisted?, u.tweets.count]\n");
  std::string shown = out.str();
  CHECK(shown.substr(shown.size() - 15) == "[false,true,2]\n");
  CHECK(db.rows("SELECT COUNT(*) FROM tweets WHERE user_id = 1") == std::vector<std::string>{"2"});
}

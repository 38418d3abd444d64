// Faults a session meets inside one run: a full disk (simulated with
// PRAGMA max_page_count), and SQLite's errors worded one way on reads and
// writes. Each fails the statement alone; nothing is half written and the
// session goes on.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "../support/seeded_session.hpp"
#include "console/environment.hpp"
#include "console/session.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

using fw::test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  fw::console::Environment env{fw::test::small_world(), dir / "faults.sqlite3", fw::storage::Database::Options{}};
  std::ostringstream out, err;
  Fixture() { fw::console::prepare_database(env, err); }
  std::string one(const std::string& sql) { return fw::value_to_s(env.db().scalar({"", sql, {}})); }
  // One transaction for the script, or (each_alone) one per statement, as the console runs them.
  int run(const std::string& script, bool each_alone) {
    fw::console::Settings settings;
    settings.format = "json";
    settings.keep_going = settings.no_transaction = each_alone;
    fw::console::Session session(env, settings, out, err);
    return session.run_script("faults.fw", script);
  }
};

}  // namespace

TEST_CASE("a full disk fails the statement that filled it; what fitted before stays, nothing half written") {
  Fixture f;
  std::string pages = f.one("PRAGMA page_count");
  f.env.db().exec_script("PRAGMA max_page_count = " + std::to_string(std::stoi(pages) + 2));
  int status = f.run(
      "tweet user=1 content=\"fits\"\n"
      "2000.times { |i| Tweet.create!(user: user(2), content: \"x\" * 280) }\n"
      "User.count\n",
      true);
  CHECK(status == 1);
  CHECK(f.err.str().find("faults.fw:2:") != std::string::npos);
  CHECK(f.err.str().find("database or disk is full") != std::string::npos);
  CHECK(f.out.str().substr(f.out.str().size() - 2) == "3\n");
  CHECK(f.one("SELECT COUNT(*) FROM tweets") == "6");
  CHECK(f.one("SELECT COUNT(*) FROM tweets WHERE user_id = 2") == "2");
  CHECK(f.one("PRAGMA integrity_check") == "ok");
  CHECK(f.env.db().transaction_depth() == 0);
}

TEST_CASE("a full disk in a script run as one transaction keeps none of it, and says so") {
  Fixture f;
  std::string pages = f.one("PRAGMA page_count");
  f.env.db().exec_script("PRAGMA max_page_count = " + std::to_string(std::stoi(pages) + 2));
  int status = f.run("tweet user=1 content=\"fits\"\n2000.times { Tweet.create!(user: user(2), content: \"x\" * 280) }\n", false);
  CHECK(status == 1);
  CHECK(f.err.str().find("database or disk is full") != std::string::npos);
  CHECK(f.err.str().find("faults.fw: error: the database rolled back the whole transaction") != std::string::npos);
  CHECK(f.one("SELECT COUNT(*) FROM tweets") == "5");
  CHECK(f.one("PRAGMA integrity_check") == "ok");
  CHECK(f.env.db().transaction_depth() == 0);
}

TEST_CASE("SQLite's errors read the same on a read as on a write") {
  Fixture f;
  int status = f.run(
      "User.where(\"nosuch = 1\").count\n"
      "User.where(\"nosuch = 1\").update_all(username: \"z\")\n",
      true);
  CHECK(status == 1);
  std::string text = f.err.str();
  CHECK(text.find("faults.fw:1:26: error: SQLite3::SQLException: no such column: nosuch\n") != std::string::npos);
  CHECK(text.find("faults.fw:2:26: error: SQLite3::SQLException: no such column: nosuch\n") != std::string::npos);
}

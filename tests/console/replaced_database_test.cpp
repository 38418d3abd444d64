// A lab's SQLite file replaced, deleted or migrated by another program
// (rake db:reset, rm and fwitter db setup, rake db:migrate) under a console
// at its prompt: noticed before the next statement, and what is written
// after goes to the file the path names now.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/child.hpp"
#include "support/process.hpp"
#include "support/terminal.hpp"

using namespace fw::test;

namespace {

// SQLite itself, as another program: the rows of `tweets` with `content`, or
// runs `sql` when it is given.
long long sqlite(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
  long long result = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

long long tweets(const std::string& path, const std::string& content) {
  return sqlite(path, "SELECT COUNT(*) FROM tweets WHERE content = '" + content + "'");
}

// As rake db:drop does: the file with its WAL and shared memory.
void drop(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

TEST_CASE("A database file replaced under the console is opened again: what is written goes to the new file, none to the old") {
  TempDir dir;
  std::string db = seeded(dir, "development.sqlite3"), old = dir / "old.sqlite3";
  Terminal t({"--db", db}, home_in(dir));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("x = 42\n");
  REQUIRE(t.wait_for("=> 42"));
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("Tweet.create!(user: User.first, content: \"in the old begin\").content\n");
  REQUIRE(t.wait_for("=> \"in the old begin\""));
  REQUIRE(t.wait_for("> "));
  // Another program replaces it (rm, then a new file migrated and seeded),
  // and migrates the new one further: a column more.
  // The old file, kept to look at with its WAL, where the console's writes
  // to it would be (SQLite does not checkpoint a moved file on closing it).
  REQUIRE(::link(db.c_str(), old.c_str()) == 0);
  REQUIRE(::link((db + "-wal").c_str(), (old + "-wal").c_str()) == 0);
  drop(db);
  REQUIRE(fwitter({"--db", db, "db", "setup"}).status == 0);
  sqlite(db, "ALTER TABLE tweets ADD COLUMN mood varchar");
  t.type("Tweet.create!(user: User.first, content: \"after the swap\").content\n");
  INFO(t.screen());
  REQUIRE(t.wait_for(db + " was replaced (by rake db:reset or another program) since this console opened it: reopening "
                          "it; the open transaction (begin, 1 statement) went with the old file"));
  REQUIRE(t.wait_for("=> \"after the swap\""));
  REQUIRE(t.wait_for("fwitter> "));  // no transaction open now
  t.type("[x, Tweet.column_names.include?(\"mood\")]\n");  // the variable kept; the models see the new column
  REQUIRE(t.wait_for("=> [42, true]"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  // What the console wrote to the old file would be in it (or its WAL).
  CHECK(tweets(db, "after the swap") == 1);
  CHECK(tweets(old, "after the swap") == 0);
  CHECK(tweets(old, "in the old begin") == 0);
  CHECK(tweets(db, "in the old begin") == 0);
  CHECK(sqlite(old, "SELECT COUNT(*) FROM tweets") == 5);  // the old file as the console found it
}

TEST_CASE("A database file deleted under the console: said once, reads go on, writes are refused until it exists again") {
  TempDir dir;
  std::string db = seeded(dir, "development.sqlite3");
  Terminal t({"--db", db}, home_in(dir));
  REQUIRE(t.wait_for("fwitter> "));
  drop(db);
  t.type("User.count\n");
  INFO(t.screen());
  REQUIRE(t.wait_for(db + " was deleted (by rake db:drop or another program) since this console opened it: statements "
                          "read it as it was, and writes are refused until it exists again"));
  REQUIRE(t.wait_for("=> 3"));
  t.type("Tweet.create!(user: User.first, content: \"nowhere\")\n");
  REQUIRE(t.wait_for(db + " was deleted since this console opened it: writes are refused until it exists again"));
  CHECK(!std::filesystem::exists(db));  // the console made no file of its own
  REQUIRE(fwitter({"--db", db, "db", "setup"}).status == 0);
  t.type("Tweet.create!(user: User.first, content: \"written again\").content\n");
  REQUIRE(t.wait_for(db + " exists again: reopening it"));
  REQUIRE(t.wait_for("=> \"written again\""));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  CHECK(tweets(db, "written again") == 1);
  CHECK(tweets(db, "nowhere") == 0);
}

TEST_CASE("A database file another program migrates in place: the console's models see the new table and column at the next statement") {
  TempDir dir;
  std::string db = seeded(dir, "development.sqlite3");
  Terminal t({"--db", db}, home_in(dir));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("u = User.first\n");
  REQUIRE(t.wait_for("fwitter> "));
  sqlite(db, "ALTER TABLE users ADD COLUMN nickname varchar DEFAULT 'nick'");
  t.type("u.nickname\n");
  INFO(t.screen());
  REQUIRE(t.wait_for("the tables of " + db + " changed since the models were read (another program migrated it): "
                     "reading the models again"));
  REQUIRE(t.wait_for("records read again: u"));
  REQUIRE(t.wait_for("=> \"nick\""));
  t.type("User.first.nickname\n");  // once: the next statement finds nothing new
  REQUIRE(t.wait_for("=> \"nick\""));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  CHECK(!contains(t.screen().substr(t.screen().find("reading the models again") + 1), "reading the models again"));
}

TEST_CASE("A script whose file is replaced while it runs stops before its COMMIT: none of it in either file") {
  TempDir dir;
  std::string db = seeded(dir, "development.sqlite3"), old = dir / "old.sqlite3";
  std::string fresh = seeded(dir, "fresh.sqlite3");  // the new file, made ahead: moved into place at once
  std::string text = "puts \"started\"\n";
  for (int i = 0; i < 5000; ++i) text += "Tweet.create!(user_id: 1, content: \"s" + std::to_string(i) + "\")\n";
  auto script = write(dir, "long.fw", text);
  Child child(dir, "replaced", {"--db", db, "run", script});
  REQUIRE(child.wait_for_output("started\n"));
  REQUIRE(::link(db.c_str(), old.c_str()) == 0);
  REQUIRE(::link((db + "-wal").c_str(), (old + "-wal").c_str()) == 0);
  drop(db);
  std::filesystem::rename(fresh, db);
  CHECK(child.wait() == 3);  // (exit 0: it finished before the file was replaced)
  INFO(child.err());
  CHECK(contains(child.err(), db + " was replaced (by rake db:reset or another program) since this console opened it: " +
                                  script + " stopped before its COMMIT; none of its statements were applied (the "
                                           "script is one transaction, on the old file)"));
  CHECK(sqlite(db, "SELECT COUNT(*) FROM tweets WHERE content LIKE 's%'") == 0);
  CHECK(sqlite(old, "SELECT COUNT(*) FROM tweets WHERE content LIKE 's%'") == 0);
  CHECK(sqlite(old, "SELECT COUNT(*) FROM tweets") == 5);
}

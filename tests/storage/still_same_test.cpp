// Database::check_still_same and reopen on SQLite: a file migrated, deleted
// or replaced by another program under an open connection.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "../support/process.hpp"
#include "storage/database.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

// Another program's connection: runs `sql` on the file and closes.
void other_program(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

void remove_database(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

std::string count(Database& db) { return value_to_s(db.scalar({"", "SELECT COUNT(*) FROM t", {}})); }

}  // namespace

TEST_CASE("check_still_same: a file migrated in place is a schema change, told once; the connection's own reading of the schema is not") {
  test::TempDir dir;
  std::string path = dir / "a.sqlite3";
  Database db(path);
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  db.columns("t");  // the models read the schema
  CHECK(db.check_still_same() == Change::None);
  other_program(path, "ALTER TABLE t ADD COLUMN mood TEXT");
  CHECK(db.check_still_same() == Change::Schema);
  CHECK(db.check_still_same() == Change::None);
  // Inside a transaction its snapshot hides such changes: not looked at.
  db.begin();
  other_program(path, "CREATE TABLE u (id INTEGER PRIMARY KEY)");
  CHECK(db.check_still_same() == Change::None);
  db.rollback();
  CHECK(db.check_still_same() == Change::Schema);
  CHECK(Database(":memory:").check_still_same() == Change::None);
}

TEST_CASE("check_still_same: a replaced file is found by its inode, and reopen opens the new one; the old keeps what it had") {
  test::TempDir dir;
  std::string path = dir / "a.sqlite3", old = dir / "old.sqlite3";
  Database db(path);
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
  // The old file kept to look at, with its WAL: SQLite does not checkpoint
  // a moved file when its connection closes, so what was committed to it is there.
  REQUIRE(::link(path.c_str(), old.c_str()) == 0);
  REQUIRE(::link((path + "-wal").c_str(), (old + "-wal").c_str()) == 0);
  remove_database(path);
  other_program(path, "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (7); INSERT INTO t VALUES (8)");
  db.begin();  // a transaction open on the old file: dropped with it
  db.changes({"", "INSERT INTO t VALUES (2)", {}});
  CHECK(db.check_still_same() == Change::Replaced);
  CHECK(db.check_still_same() == Change::Replaced);  // until it is reopened
  int generation = db.generation();
  {
    Transaction before(db);  // begun on the old file
    db.reopen();
    CHECK(before.dropped());
  }  // rolls back nothing of the new connection's
  CHECK(db.generation() == generation + 1);
  CHECK(db.transaction_depth() == 0);
  CHECK(db.check_still_same() == Change::None);
  CHECK(count(db) == "2");
  db.changes({"", "INSERT INTO t VALUES (9)", {}});
  CHECK(count(db) == "3");
  Database old_file(old);
  CHECK(count(old_file) == "1");  // neither the dropped transaction's row nor the new file's
}

TEST_CASE("check_still_same: a deleted file is told once, reads go on, writes are refused with the reason until a file is back") {
  test::TempDir dir;
  std::string path = dir / "a.sqlite3";
  Database db(path);
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
  remove_database(path);
  CHECK(db.check_still_same() == Change::Deleted);
  CHECK(db.check_still_same() == Change::None);
  CHECK(count(db) == "1");
  try {
    db.changes({"", "INSERT INTO t VALUES (2)", {}});
    FAIL("a write to a deleted file was not refused");
  } catch (const DbError& e) {
    CHECK(test::contains(std::string(e.what()), path + " was deleted since this console opened it: writes are refused until it exists again"));
  }
  CHECK(!std::filesystem::exists(path));  // nothing made it again
  other_program(path, "CREATE TABLE t (id INTEGER PRIMARY KEY)");
  CHECK(db.check_still_same() == Change::Replaced);
  db.reopen();
  db.changes({"", "INSERT INTO t VALUES (2)", {}});
  CHECK(count(db) == "1");
}

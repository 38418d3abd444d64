#include <doctest/doctest.h>

#include <string>

#include "../support/process.hpp"
#include "storage/database.hpp"

using namespace fw;
using namespace fw::storage;

namespace {
Query numbered(int i) { return {"", "SELECT " + std::to_string(i) + " AS n", {}}; }
}  // namespace

TEST_CASE("Database keeps at most kStatementCacheSize prepared statements, the least recently used going") {
  Database db(":memory:");
  const int size = static_cast<int>(Database::kStatementCacheSize);
  for (int i = 0; i < size + 50; ++i) CHECK(db.scalar(numbered(i)) == Value(std::int64_t{i}));
  CHECK(db.cached_statements() == Database::kStatementCacheSize);
  // An evicted statement is prepared again when it comes back.
  CHECK(db.scalar(numbered(0)) == Value(std::int64_t{0}));
  CHECK(db.cached_statements() == Database::kStatementCacheSize);
}

TEST_CASE("Database never evicts a statement whose rows are still being read") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3)");
  const int size = static_cast<int>(Database::kStatementCacheSize);
  std::vector<std::int64_t> seen;
  int next = 0;
  db.each({"", "SELECT id FROM t ORDER BY id", {}}, [&](const Row& row) {
    seen.push_back(std::get<std::int64_t>(row[0]));
    for (int i = 0; i < size; ++i, ++next) REQUIRE(db.scalar(numbered(next)) == Value(std::int64_t{next}));
  });
  CHECK(seen == std::vector<std::int64_t>{1, 2, 3});
  CHECK(db.cached_statements() <= Database::kStatementCacheSize);
}

TEST_CASE("Savepoints prepared once still roll back, turn after turn") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  Transaction outer(db);
  for (int i = 1; i <= 3; ++i) {
    Transaction kept(db);
    db.changes({"", "INSERT INTO t VALUES (?)", {{"id", std::int64_t{i}}}});
    {
      Transaction dropped(db);
      db.changes({"", "INSERT INTO t VALUES (?)", {{"id", std::int64_t{100 + i}}}});
    }
    kept.commit();
  }
  outer.commit();
  CHECK(db.scalar({"", "SELECT group_concat(id) FROM t", {}}) == Value(std::string("1,2,3")));
  CHECK(db.transaction_depth() == 0);
}

TEST_CASE("A database file keeps savepoints' sub-journal in memory, its own journal in WAL") {
  test::TempDir dir;
  Database db(dir / "f.sqlite3");
  CHECK(db.scalar({"", "PRAGMA temp_store", {}}) == Value(std::int64_t{2}));  // MEMORY
  CHECK(db.scalar({"", "PRAGMA journal_mode", {}}) == Value(std::string("wal")));
}

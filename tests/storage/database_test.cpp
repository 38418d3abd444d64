#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <random>

#include "../support/process.hpp"
#include "storage/database.hpp"

using namespace fw;
using namespace fw::storage;

namespace {
// Every SQL statement SQLite runs on `db` from now on, as written.
std::unique_ptr<std::vector<std::string>> traced(Database& db) {
  auto sql = std::make_unique<std::vector<std::string>>();
  sqlite3_trace_v2(db.handle(), SQLITE_TRACE_STMT,
                   [](unsigned, void* to, void* statement, void*) {
                     static_cast<std::vector<std::string>*>(to)->push_back(sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
                     return 0;
                   },
                   sql.get());
  return sql;
}

long savepoints(const std::vector<std::string>& sql) {
  return std::count_if(sql.begin(), sql.end(), [](const std::string& s) { return s.rfind("SAVEPOINT", 0) == 0; });
}
}  // namespace

TEST_CASE("Database runs queries with bound values and streams rows") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL)");
  CHECK(db.changes({"", "INSERT INTO t (name, score) VALUES (?, ?)", {{"name", std::string("ann")}, {"score", 1.5}}}) == 1);
  CHECK(db.last_insert_id() == 1);
  db.changes({"", "INSERT INTO t (name, score) VALUES (?, ?)", {{"name", std::string("bob")}, {"score", Value{}}}});
  std::vector<std::string> names;
  db.each({"", "SELECT name, score FROM t ORDER BY id", {}}, [&](const Row& row) {
    names.push_back(value_to_s(row[0]));
    CHECK(row.name(1) == "score");
  });
  CHECK(names == std::vector<std::string>{"ann", "bob"});
  CHECK(db.scalar({"", "SELECT score FROM t WHERE name = ?", {{"name", std::string("bob")}}}) == Value{});
  CHECK(db.scalar({"", "SELECT count(*) FROM t", {}}) == Value(std::int64_t{2}));
}

TEST_CASE("Database reuses a statement even when a query runs inside another's rows") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3)");
  Query q{"", "SELECT id FROM t WHERE id >= ?", {{"id", std::int64_t{2}}}};
  int outer = 0, inner = 0;
  db.each(q, [&](const Row&) {
    ++outer;
    db.each(q, [&](const Row&) { ++inner; });
  });
  CHECK(outer == 2);
  CHECK(inner == 4);
}

TEST_CASE("A kept statement's column names are read again when a schema change has SQLite prepare it again") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('ann')");
  Query q{"", "SELECT * FROM t", {}};
  auto names = [&] {
    std::vector<std::string> out;
    db.each(q, [&](const Row& row) {
      for (int i = 0; i < row.size(); ++i) out.push_back(row.name(i) + "=" + value_to_s(row[i]));
    });
    return out;
  };
  CHECK(names() == std::vector<std::string>{"id=1", "name=ann"});
  db.exec_script("ALTER TABLE t ADD COLUMN score REAL DEFAULT 2.5");
  CHECK(names() == std::vector<std::string>{"id=1", "name=ann", "score=2.5"});
  db.exec_script("ALTER TABLE t RENAME COLUMN name TO username");
  CHECK(names() == std::vector<std::string>{"id=1", "username=ann", "score=2.5"});
}

TEST_CASE("Database reads a table's columns from the schema") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar DEFAULT 'x')");
  auto cols = db.columns("users");
  REQUIRE(cols.size() == 2);
  CHECK(cols[0].name == "id");
  CHECK(cols[0].primary_key);
  CHECK(cols[1].declared_type == "varchar");
  CHECK(cols[1].default_value == Value(std::string("'x'")));
  CHECK(db.table_exists("users"));
  CHECK_FALSE(db.table_exists("tweets"));
}

TEST_CASE("Transactions nest as savepoints and roll back what they did") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  {
    Transaction outer(db);
    db.exec_script("INSERT INTO t VALUES (1)");
    {
      Transaction inner(db);
      db.exec_script("INSERT INTO t VALUES (2)");
    }  // not committed: only row 2 goes
    outer.commit();
  }
  CHECK(db.scalar({"", "SELECT group_concat(id) FROM t", {}}) == Value(std::string("1")));
  CHECK(db.transaction_depth() == 0);
}

TEST_CASE("A savepoint begun before anything changed shares the one around it, and rolls back the same") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  auto ids = [&] { return value_to_s(db.scalar({"", "SELECT coalesce(group_concat(id), '') FROM t", {}})); };
  auto sql = traced(db);
  Transaction script(db);
  {
    Transaction statement(db);
    {
      Transaction save(db);  // nothing changed yet: no SAVEPOINT of its own
      db.exec_script("INSERT INTO t VALUES (1)");
    }  // rolled back: row 1 goes, the statement's savepoint stays open
    CHECK(ids() == "");
    db.exec_script("INSERT INTO t VALUES (2)");
    {
      Transaction save(db);  // after a change: a savepoint of its own
      db.exec_script("INSERT INTO t VALUES (3)");
    }
    CHECK(ids() == "2");
    {
      Transaction save(db);
      db.exec_script("INSERT INTO t VALUES (4)");
      save.commit();
    }
    statement.commit();
  }
  script.commit();
  CHECK(ids() == "2,4");
  CHECK(db.transaction_depth() == 0);
  CHECK(savepoints(*sql) == 3);  // the statement's, and the two saves after a change
}

TEST_CASE("A level undone with the one around it runs no SQL, nor does the first level in it; deeper ones have savepoints") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  auto ids = [&] { return value_to_s(db.scalar({"", "SELECT coalesce(group_concat(id), '') FROM t", {}})); };
  auto sql = traced(db);
  SUBCASE("committed, it keeps what it did, with no savepoint") {
    Transaction script(db);
    for (int id : {1, 2}) {
      Transaction statement(db, TransactionLog::Quiet, Undo::WithOuter);
      {
        Transaction save(db);
        db.exec_script("INSERT INTO t VALUES (" + std::to_string(id) + ")");
        save.commit();
      }
      statement.commit();
    }
    script.commit();
    CHECK(ids() == "1,2");
    CHECK(savepoints(*sql) == 0);
  }
  SUBCASE("rolled back, it leaves the undoing to the level around it, as promised") {
    Transaction script(db);
    db.exec_script("INSERT INTO t VALUES (1)");
    {
      Transaction statement(db, TransactionLog::Quiet, Undo::WithOuter);
      Transaction save(db);
      db.exec_script("INSERT INTO t VALUES (2)");
      {
        Transaction nested(db);  // deeper: a savepoint of its own, undone by itself
        db.exec_script("INSERT INTO t VALUES (3)");
      }
      CHECK(ids() == "1,2");
      CHECK(savepoints(*sql) == 1);
    }
    CHECK(ids() == "1,2");  // not undone yet: the script's rollback does it
    script.rollback();
    CHECK(ids() == "");
    CHECK(db.transaction_depth() == 0);
  }
  SUBCASE("a level begun in it after a change has its own savepoint") {
    Transaction script(db);
    {
      Transaction statement(db, TransactionLog::Quiet, Undo::WithOuter);
      db.exec_script("INSERT INTO t VALUES (1)");
      {
        Transaction save(db);
        db.exec_script("INSERT INTO t VALUES (2)");
      }
      CHECK(ids() == "1");
      statement.commit();
    }
    script.commit();
    CHECK(ids() == "1");
    CHECK(savepoints(*sql) == 1);
  }
}

TEST_CASE("A listener may remove itself, or add another, while it hears a query") {
  Database db(":memory:");
  int first = 0, second = 0, added = 0;
  int id = 0;
  id = db.listen([&](const Query&, std::chrono::microseconds) {
    ++first;
    db.unlisten(id);
    db.listen([&](const Query&, std::chrono::microseconds) { ++added; });
  });
  db.listen([&](const Query&, std::chrono::microseconds) { ++second; });
  db.scalar({"Test", "SELECT 1", {}});
  db.scalar({"Test", "SELECT 2", {}});
  CHECK(first == 1);
  CHECK(second == 2);
  CHECK(added == 2);  // added during the first query, it heard that one's end of the list too
}

TEST_CASE("SQLite's errors keep their code") {
  Database db(":memory:");
  db.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
  db.exec_script("INSERT INTO t (name) VALUES ('a')");
  try {
    db.exec_script("INSERT INTO t (name) VALUES ('a')");
    FAIL("no error");
  } catch (const DbError& e) {
    CHECK(e.is_constraint());
    CHECK(std::string(e.what()).find("UNIQUE constraint failed: t.name") != std::string::npos);
  }
  CHECK_THROWS_AS(db.exec_script("SELEC 1"), DbError);
}

TEST_CASE("A file that is not a database is refused when opened") {
  fw::test::TempDir dir;
  std::mt19937 random(42);
  std::ofstream out(dir / "junk.sqlite3", std::ios::binary);
  for (int i = 0; i < 4096; ++i) out.put(static_cast<char>(random()));
  out.close();
  try {
    Database db(dir / "junk.sqlite3");
    FAIL("opened a non-database");
  } catch (const DbError& e) {
    CHECK(e.is_unavailable());
    CHECK(e.code() == SQLITE_NOTADB);
    CHECK(std::string(e.what()).find("not a database") != std::string::npos);
  }
}

TEST_CASE("A second connection waits on a lock, then fails clearly") {
  fw::test::TempDir dir;
  Database first(dir / "db.sqlite3");
  first.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  first.exec_script("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
  Database::Options options;
  options.busy_timeout_ms = 200;
  Database second(dir / "db.sqlite3", options);
  auto started = std::chrono::steady_clock::now();
  try {
    second.exec_script("INSERT INTO t VALUES (2)");
    FAIL("wrote through a lock");
  } catch (const DbError& e) {
    CHECK(e.is_unavailable());
    CHECK(std::string(e.what()).find("locked") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(150));  // it waited
  first.exec_script("COMMIT");
  second.exec_script("INSERT INTO t VALUES (2)");  // free again
  CHECK(second.scalar({"", "SELECT count(*) FROM t", {}}) == Value(std::int64_t{2}));
}

TEST_CASE("quote_identifier doubles quotes") {
  CHECK(quote_identifier("users") == "\"users\"");
  CHECK(quote_identifier("a\"b") == "\"a\"\"b\"");
}

// Rows kept for Query::table: a lookup asked again in the same transaction is
// answered without SQLite, until a write could have changed its rows.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

const char* const kLookup = R"(SELECT "users".* FROM "users" WHERE "users"."id" = ? LIMIT ?)";

// A database with users and tweets, and a count of the lookups SQLite runs.
struct Fixture {
  Database db{":memory:"};
  int ran = 0;  // lookups SQLite ran
  Fixture() {
    db.exec_script(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT);"
        "CREATE TABLE tweets (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);"
        "INSERT INTO users (username) VALUES ('ann'), ('bob')");
    sqlite3_trace_v2(db.handle(), SQLITE_TRACE_STMT,
                     [](unsigned, void* to, void* statement, void*) {
                       if (std::string(sqlite3_sql(static_cast<sqlite3_stmt*>(statement))) == kLookup) ++*static_cast<int*>(to);
                       return 0;
                     },
                     &ran);
  }
  // The username of user `id`, or "" when there is none.
  std::string lookup(std::int64_t id) {
    std::string name;
    db.each({"User Load", kLookup, {{"id", id}, {"LIMIT", std::int64_t{1}}}, "users"},
            [&](const Row& row) { name = std::get<std::string>(row[1]); });
    return name;
  }
  void insert_tweet(std::int64_t user) {
    db.changes({"Tweet Create", R"(INSERT INTO "tweets" ("user_id") VALUES (?))", {{"user_id", user}}});
  }
};

}  // namespace

TEST_CASE("In a transaction a lookup asked again is answered from the rows it gave") {
  Fixture f;
  Transaction tx(f.db);
  CHECK(f.lookup(1) == "ann");
  CHECK(f.lookup(1) == "ann");
  CHECK(f.lookup(2) == "bob");
  CHECK(f.lookup(1) == "ann");
  CHECK(f.ran == 2);
  f.insert_tweet(1);  // another table: the users' rows stay kept
  CHECK(f.lookup(1) == "ann");
  CHECK(f.ran == 2);
  tx.commit();
}

TEST_CASE("A write that may change the rows forgets them") {
  Fixture f;
  Transaction tx(f.db);
  SUBCASE("an INSERT into the table: a row missing before is found") {
    CHECK(f.lookup(3).empty());
    f.db.changes({"User Create", R"(INSERT INTO "users" ("username") VALUES (?))", {{"username", std::string("cy")}}});
    CHECK(f.lookup(3) == "cy");
    CHECK(f.ran == 2);
  }
  SUBCASE("an UPDATE") {
    CHECK(f.lookup(1) == "ann");
    f.db.changes({"User Update", R"(UPDATE "users" SET "username" = ? WHERE "id" = ?)",
                  {{"username", std::string("anne")}, {"id", std::int64_t{1}}}});
    CHECK(f.lookup(1) == "anne");
  }
  SUBCASE("a DELETE of another table (its foreign keys may reach this one)") {
    CHECK(f.lookup(1) == "ann");
    f.db.changes({"", "DELETE FROM tweets", {}});
    CHECK(f.lookup(1) == "ann");
    CHECK(f.ran == 2);
  }
  SUBCASE("SQL written by hand, lower case") {
    CHECK(f.lookup(2) == "bob");
    f.db.changes({"", "delete from users where id = 2", {}});
    CHECK(f.lookup(2).empty());
  }
  SUBCASE("a savepoint rolled back: the row it inserted is gone") {
    {
      Transaction inner(f.db);
      f.db.changes({"", R"(INSERT INTO "users" ("username") VALUES ('cy'))", {}});
      CHECK(f.lookup(3) == "cy");
    }
    CHECK(f.lookup(3).empty());
  }
  SUBCASE("a changeset or anything else written through the connection itself") {
    CHECK(f.lookup(1) == "ann");
    sqlite3_exec(f.db.handle(), "UPDATE users SET username = 'anne' WHERE id = 1", nullptr, nullptr, nullptr);
    CHECK(f.lookup(1) == "anne");
  }
}

TEST_CASE("A kept row stays readable while the code given it writes (an after_find that saves)") {
  Fixture f;
  Transaction tx(f.db);
  CHECK(f.lookup(1) == "ann");
  std::string read_after;
  f.db.each({"User Load", kLookup, {{"id", std::int64_t{1}}, {"LIMIT", std::int64_t{1}}}, "users"}, [&](const Row& row) {
    f.db.changes({"", R"(UPDATE "users" SET "username" = 'x')", {}});  // forgets every kept row
    read_after = std::get<std::string>(row[1]);
  });
  CHECK(read_after == "ann");
  CHECK(f.lookup(1) == "x");
  CHECK(f.ran == 2);
}

TEST_CASE("Rows are kept only where nothing unseen can change them, and no one hears the queries") {
  Fixture f;
  SUBCASE("outside a transaction, another program may write between two lookups") {
    CHECK(f.lookup(1) == "ann");
    CHECK(f.lookup(1) == "ann");
    CHECK(f.ran == 2);
  }
  SUBCASE("a new transaction reads again") {
    {
      Transaction tx(f.db);
      CHECK(f.lookup(1) == "ann");
      tx.commit();
    }
    Transaction tx(f.db);
    CHECK(f.lookup(1) == "ann");
    CHECK(f.ran == 2);
  }
  SUBCASE("a schema with a trigger: an INSERT may write any table") {
    f.db.exec_script("CREATE TRIGGER rename AFTER INSERT ON tweets BEGIN UPDATE users SET username = 'x'; END");
    Transaction tx(f.db);
    CHECK(f.lookup(1) == "ann");
    f.insert_tweet(1);
    CHECK(f.lookup(1) == "x");
    CHECK(f.ran == 2);
  }
  SUBCASE("a listener (the --sql log) hears every lookup, as ActiveRecord logs them") {
    int heard = 0;
    f.db.listen([&](const Query& q, std::chrono::microseconds) { heard += q.label == "User Load"; });
    Transaction tx(f.db);
    f.lookup(1);
    f.lookup(1);
    CHECK(f.ran == 2);
    CHECK(heard == 2);
  }
  SUBCASE("a query that names no table") {
    Transaction tx(f.db);
    for (int i = 0; i < 2; ++i) f.db.each({"User Load", kLookup, {{"id", std::int64_t{1}}, {"LIMIT", std::int64_t{1}}}}, [](const Row&) {});
    CHECK(f.ran == 2);
  }
}

// The storage layer on PostgreSQL: the driver behind the same Database front
// (binds, types, RETURNING, transactions, errors by SQLSTATE, cancelling,
// the catalog), and SQLite's migration SQL as PostgreSQL takes it.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "storage/database.hpp"
#include "storage/dialect.hpp"
#include "storage/schema_writer.hpp"
#include "support/postgres.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

void make_users(Database& db) {
  db.exec_script(postgres_ddl(
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, username varchar NOT NULL, "
      "admin boolean DEFAULT 0, score decimal(10,2), created_at datetime(6));"
      "CREATE UNIQUE INDEX index_users_on_username ON users (username);"));
}

std::int64_t insert_user(Database& db, const std::string& name) {
  db.changes({"User Create", "INSERT INTO \"users\" (\"username\") VALUES (?)" + db.returning_id("id"), {{"username", name}}});
  return db.last_insert_id();
}

}  // namespace

TEST_CASE("PostgreSQL: ? as $1, values typed by where they stand, and the id INSERT ... RETURNING gives") {
  FW_POSTGRES_DATABASE(address, "storage_binds");
  Database db(address);
  CHECK(db.engine() == Engine::PostgreSQL);
  make_users(db);
  std::vector<std::string> heard;
  db.set_logger([&](const Query& q, std::chrono::microseconds) { heard.push_back(q.sql); });
  CHECK(insert_user(db, "ann") == 1);
  CHECK(insert_user(db, "bob") == 2);
  CHECK(heard.back() == "INSERT INTO \"users\" (\"username\") VALUES ($1) RETURNING \"id\"");
  // A boolean bound as SQLite's 1 is true in a boolean column, and reads back as true.
  CHECK(db.changes({"User Update", "UPDATE users SET admin = ?, score = ? WHERE id = ?",
                    {{"admin", std::int64_t{1}}, {"score", 2.5}, {"id", std::int64_t{2}}}}) == 1);
  CHECK(db.scalar({"q", "SELECT admin FROM users WHERE id = ?", {{"id", std::int64_t{2}}}}) == Value(true));
  CHECK(db.scalar({"q", "SELECT admin FROM users WHERE id = ?", {{"id", std::int64_t{1}}}}) == Value(false));
  // A `?` inside quotes is text, not a mark.
  CHECK(db.scalar({"q", "SELECT 'a?b' || ? ", {{"x", std::string("!")}}}) == Value(std::string("a?b!")));
  // COUNT is bigint, SUM of a bigint is NUMERIC: both integers; a fraction stays one.
  CHECK(db.scalar({"q", "SELECT COUNT(*) FROM users", {}}) == Value(std::int64_t{2}));
  CHECK(db.scalar({"q", "SELECT SUM(id) FROM users", {}}) == Value(std::int64_t{3}));
  CHECK(db.scalar({"q", "SELECT score FROM users WHERE id = 2", {}}) == Value(2.5));
  // An offset without a limit: SQLite's LIMIT -1 is no limit here too.
  int rows = 0;
  db.each({"q", "SELECT id FROM users ORDER BY id LIMIT ? OFFSET ?", {{"LIMIT", std::int64_t{-1}}, {"OFFSET", std::int64_t{1}}}},
          [&](const Row&) { ++rows; });
  CHECK(rows == 1);
}

TEST_CASE("PostgreSQL: errors keep their SQLSTATE and are named as the pg gem names them") {
  FW_POSTGRES_DATABASE(address, "storage_errors");
  Database db(address);
  make_users(db);
  insert_user(db, "ann");
  try {
    insert_user(db, "ann");
    FAIL("a duplicate username was inserted");
  } catch (const DbError& e) {
    CHECK(e.is_constraint());
    CHECK(e.sqlstate() == "23505");
    CHECK(e.driver_class() == "PG::UniqueViolation");
    CHECK(std::string(e.what()).find("duplicate key value violates unique constraint \"index_users_on_username\"") !=
          std::string::npos);
  }
  try {
    db.scalar({"q", "SELECT nope FROM users", {}});
    FAIL("a missing column was read");
  } catch (const DbError& e) {
    CHECK(e.driver_class() == "PG::UndefinedColumn");
    CHECK(!e.is_constraint());
  }
  try {
    Database nowhere("postgresql://postgres@/none?host=/nonexistent");
    FAIL("a server that is not there was opened");
  } catch (const DbError& e) {
    CHECK(e.is_unavailable());
    CHECK(std::string(e.what()).find("cannot open database") == 0);
  }
}

TEST_CASE("PostgreSQL: a statement that fails inside a transaction is rolled back to its savepoint, and the rest commits") {
  FW_POSTGRES_DATABASE(address, "storage_savepoints");
  Database db(address);
  make_users(db);
  {
    Transaction outer(db);
    insert_user(db, "ann");
    {
      Transaction inner(db);
      CHECK_THROWS_AS(insert_user(db, "ann"), DbError);
    }  // rolled back to its savepoint: PostgreSQL's transaction is usable again
    CHECK(!db.transaction_lost());
    insert_user(db, "bob");
    outer.commit();
  }
  CHECK(db.scalar({"q", "SELECT string_agg(username, ',' ORDER BY id) FROM users", {}}) == Value(std::string("ann,bob")));
  {
    Transaction undone(db);
    insert_user(db, "cat");
  }  // rolled back
  CHECK(db.scalar({"q", "SELECT COUNT(*) FROM users", {}}) == Value(std::int64_t{2}));
}

TEST_CASE("PostgreSQL: a query stops soon after the stop flag is set (Ctrl-C, --timeout), cancelled on the server") {
  FW_POSTGRES_DATABASE(address, "storage_cancel");
  Database db(address);
  std::atomic<int> stop{0};
  db.stop_when(&stop);
  std::thread setter([&] {  // once the server says the query runs
    CHECK(fw::test::wait_for_query(address, "pg_sleep(30)"));
    stop = 1;
  });
  auto started = std::chrono::steady_clock::now();
  try {
    db.scalar({"q", "SELECT pg_sleep(30)", {}});
    FAIL("the query was not stopped");
  } catch (const DbError& e) {
    CHECK(e.is_interrupted());
  }
  setter.join();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  stop = 0;
  CHECK(db.scalar({"q", "SELECT 1", {}}) == Value(std::int64_t{1}));  // the connection goes on
}

TEST_CASE("PostgreSQL: the schema as the catalog has it, and a Ruby migration's changes as ActiveRecord's adapter makes them") {
  FW_POSTGRES_DATABASE(address, "storage_schema");
  Database db(address);
  make_users(db);
  SchemaWriter schema(db);
  TableDef posts{"posts", {}, {}, {}, {}, false, false};
  posts.columns.push_back({"id", "integer", false, std::nullopt, true, true});
  posts.columns.push_back({"title", *sql_type("string"), true, std::nullopt, false, false});
  posts.columns.push_back({"published", "boolean", true, std::string("0"), false, false});
  posts.columns.push_back({"user_id", "integer", true, std::nullopt, false, false});
  posts.foreign_keys.push_back({"user_id", "users", "id", "", "CASCADE"});
  posts.indexes.push_back({index_name("posts", {"user_id"}), {"user_id"}, false});
  schema.create_table(posts);
  schema.add_column("posts", {"body", "text", false, std::string("''"), false, false});
  schema.rename_column("posts", "user_id", "author_id");
  schema.change_column_default("posts", "title", std::string("'untitled'"));

  auto columns = db.columns("posts");
  REQUIRE(columns.size() == 5);
  CHECK(columns[0].declared_type == "bigint");
  CHECK(columns[0].primary_key);
  CHECK(is_null(columns[0].default_value));  // the sequence is no default a new record shows
  CHECK(columns[1].declared_type == "character varying");
  CHECK(columns[1].default_value == Value(std::string("'untitled'")));
  CHECK(columns[2].declared_type == "boolean");
  CHECK(columns[2].default_value == Value(std::string("false")));
  CHECK(columns[3].name == "author_id");
  CHECK(columns[4].not_null);

  auto indexes = db.indexes("posts");
  REQUIRE(indexes.size() == 2);
  CHECK(indexes[0].name == "index_posts_on_author_id");  // renamed with its column, as ActiveRecord does
  CHECK(indexes[0].columns == std::vector<std::string>{"author_id"});
  CHECK(indexes[1].origin == "pk");
  auto keys = db.foreign_keys("posts");
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].column == "author_id");
  CHECK(keys[0].to_table == "users");
  CHECK(keys[0].on_delete == "CASCADE");
  CHECK(db.table_exists("posts"));
  CHECK(!db.table_exists("nope"));
  CHECK(db.tables() == std::vector<std::string>{"posts", "users"});
}

// The schema changes of ActiveRecord 6.1's SQLite adapter, checked against
// what ActiveRecord itself made for the same calls (its DDL and PRAGMA rows).
#include <doctest/doctest.h>

#include "storage/schema_writer.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

std::string ddl(Database& db, const std::string& table) {
  return value_to_s(db.scalar({"", "SELECT sql FROM sqlite_master WHERE name = ?", {{"name", table}}}));
}

ColumnDef column(const std::string& name, const std::string& type) {
  ColumnDef c;
  c.name = name;
  c.type = *sql_type(type);
  return c;
}

ColumnDef id() {
  ColumnDef c = column("id", "integer");
  c.primary_key = c.auto_increment = true;
  c.null = false;
  return c;
}

// users(id, name, email) with an index on email and one on (name, email).
void make_users(SchemaWriter& w) {
  TableDef t;
  t.name = "users";
  t.columns = {id(), column("name", "string"), column("email", "string")};
  t.indexes = {{"index_users_on_email", {"email"}, true}, {"index_users_on_name_and_email", {"name", "email"}, false}};
  w.create_table(t);
}

}  // namespace

TEST_CASE("Types, defaults and names as ActiveRecord writes them for SQLite") {
  CHECK(sql_type("string") == "varchar");
  CHECK(sql_type("binary") == "blob");
  CHECK(sql_type("numeric") == "decimal");
  CHECK(sql_type("timestamp") == "datetime");
  CHECK(sql_type("decimal", {}, 8, 2) == "decimal(8,2)");
  CHECK(sql_type("datetime", {}, 6) == "datetime(6)");
  CHECK(sql_type("string", 20) == "varchar(20)");
  CHECK(sql_type("integer", 8) == "integer(8)");
  CHECK_FALSE(sql_type("strng"));
  CHECK(default_literal(Value(std::string("it's"))) == "'it''s'");
  CHECK(default_literal(Value(true)) == "1");
  CHECK(default_literal(Value(std::int64_t{42})) == "42");
  CHECK(default_literal(Value{}) == "NULL");
  CHECK(index_name("hearts", {"user_id", "tweet_id"}) == "index_hearts_on_user_id_and_tweet_id");
  CHECK(foreign_key_name("tweets", "user_id") == "fk_rails_003928b7f5");  // as ActiveRecord 6.1 named it
}

TEST_CASE("create_table writes ActiveRecord's DDL: the id, DEFAULT before NOT NULL, inline foreign keys") {
  Database db(":memory:");
  SchemaWriter w(db);
  TableDef t;
  t.name = "opts";
  ColumnDef flag = column("active", "boolean");
  flag.default_sql = "1";
  flag.null = false;
  ColumnDef user = column("user_id", "integer");
  t.columns = {id(), flag, user};
  t.foreign_keys = {{"user_id", "users", "id", "", ""}};
  w.create_table(t);
  CHECK(ddl(db, "opts") ==
        "CREATE TABLE \"opts\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"active\" boolean DEFAULT 1 NOT NULL, "
        "\"user_id\" integer, CONSTRAINT \"fk_rails_0f57295db9\"\nFOREIGN KEY (\"user_id\")\n  REFERENCES \"users\" (\"id\")\n)");
}

TEST_CASE("rename_column copies the table as ActiveRecord does: rows kept, AUTOINCREMENT gone, default index names follow") {
  Database db(":memory:");
  SchemaWriter w(db);
  make_users(w);
  db.exec_script("INSERT INTO users (name, email) VALUES ('ann', 'a@x'), ('bob', 'b@x'); DELETE FROM users WHERE id = 2");
  w.rename_column("users", "email", "mail");
  CHECK(ddl(db, "users") ==
        "CREATE TABLE \"users\" (\"id\" integer NOT NULL PRIMARY KEY, \"name\" varchar DEFAULT NULL, \"mail\" varchar DEFAULT NULL)");
  CHECK(value_to_s(db.scalar({"", "SELECT mail FROM users WHERE id = 1", {}})) == "a@x");
  auto indexes = w.indexes("users");
  REQUIRE(indexes.size() == 2);
  CHECK(indexes[0].name == "index_users_on_mail");
  CHECK(indexes[0].unique);
  CHECK(indexes[1].name == "index_users_on_name_and_mail");
  // Without AUTOINCREMENT the next id is the largest plus one: id 2 comes back, as in ActiveRecord's copy.
  db.exec_script("INSERT INTO users (name) VALUES ('cat')");
  CHECK(db.scalar({"", "SELECT id FROM users WHERE name = 'cat'", {}}) == Value(std::int64_t{2}));
  CHECK_THROWS_WITH_AS(w.rename_column("users", "nope", "x"), "Missing column users.nope", fw::Error);
}

TEST_CASE("remove_column drops its own index and keeps a wider one, under its old name, with the columns left") {
  Database db(":memory:");
  SchemaWriter w(db);
  make_users(w);
  w.remove_column("users", "email");
  auto indexes = w.indexes("users");
  REQUIRE(indexes.size() == 1);
  CHECK(indexes[0].name == "index_users_on_name_and_email");
  CHECK(indexes[0].columns == std::vector<std::string>{"name"});
}

TEST_CASE("add_column: ALTER TABLE, or a copy that fails on rows for NOT NULL without a default") {
  Database db(":memory:");
  SchemaWriter w(db);
  make_users(w);
  ColumnDef score = column("score", "integer");
  score.default_sql = "5";
  w.add_column("users", score);
  CHECK(ddl(db, "users").find("\"score\" integer DEFAULT 5)") != std::string::npos);
  db.exec_script("INSERT INTO users (name) VALUES ('ann')");
  ColumnDef required = column("nick", "string");
  required.null = false;
  Transaction tx(db);
  CHECK_THROWS_WITH(w.add_column("users", required), doctest::Contains("NOT NULL constraint failed: users.nick"));
}

TEST_CASE("change_column_default and change_column_null; rename_table takes the default-named indexes along") {
  Database db(":memory:");
  SchemaWriter w(db);
  make_users(w);
  w.change_column_default("users", "name", "'anon'");
  CHECK(w.column("users", "name").default_sql == std::optional<std::string>("'anon'"));
  db.exec_script("INSERT INTO users (email) VALUES ('a@x')");
  w.change_column_null("users", "email", false);
  CHECK_FALSE(w.column("users", "email").null);
  w.rename_table("users", "people");
  CHECK(db.table_exists("people"));
  auto indexes = w.indexes("people");
  REQUIRE(indexes.size() == 2);
  CHECK(indexes[0].name == "index_people_on_email");
  CHECK(indexes[1].name == "index_people_on_name_and_email");
}

#include <doctest/doctest.h>

#include "../support/process.hpp"
#include "storage/database.hpp"
#include "storage/read_only.hpp"

using namespace fw;

TEST_CASE("make_read_only: the connection reads and refuses every write; another connection still writes") {
  fw::test::TempDir dir;
  std::string path = dir / "db.sqlite3";
  storage::Database writer(path);
  writer.exec_script("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann');");
  storage::Database reader(path);
  storage::make_read_only(reader);
  CHECK(value_to_s(reader.scalar({"", "SELECT name FROM users WHERE id = 1", {}})) == "ann");
  CHECK_THROWS_AS(reader.changes({"", "UPDATE users SET name = 'bob'", {}}), storage::DbError);
  CHECK_THROWS_AS(reader.exec_script("DELETE FROM users"), storage::DbError);
  CHECK_THROWS_AS(reader.exec_script("CREATE TABLE x (id INTEGER)"), storage::DbError);
  writer.changes({"", "INSERT INTO users (name) VALUES ('bob')", {}});
  CHECK(value_to_s(reader.scalar({"", "SELECT count(*) FROM users", {}})) == "2");
}

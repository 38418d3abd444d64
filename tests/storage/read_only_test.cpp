#include <doctest/doctest.h>

#include "../support/process.hpp"
#include "storage/database.hpp"
#include "storage/read_only.hpp"

using namespace fw;

TEST_CASE("BorrowedReads: reads see the owner's open transaction, refuse writes, reach none of its listeners, and leave it as it was") {
  storage::Database db(":memory:");
  db.exec_script("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann');");
  std::vector<std::string> heard;
  db.listen([&](const storage::Query& q, std::chrono::microseconds) { heard.push_back(q.sql); });
  storage::Transaction owners(db);
  db.changes({"User Create", "INSERT INTO users (name) VALUES ('bob')", {}});
  heard.clear();
  {
    storage::BorrowedReads reads(db);
    std::vector<std::string> borrowers;
    int id = db.listen([&](const storage::Query& q, std::chrono::microseconds) { borrowers.push_back(q.sql); });
    CHECK(value_to_s(db.scalar({"User Count", "SELECT count(*) FROM users", {}})) == "2");  // bob, not committed
    CHECK_THROWS_AS(db.changes({"User Destroy", "DELETE FROM users", {}}), storage::DbError);
    db.unlisten(id);
    REQUIRE(!borrowers.empty());
    CHECK(borrowers[0] == "SELECT count(*) FROM users");  // the borrower hears its own
  }
  CHECK(heard.empty());
  CHECK(db.transaction_depth() == 1);
  db.changes({"User Create", "INSERT INTO users (name) VALUES ('cat')", {}});  // writes again, in the same transaction
  CHECK(heard.size() == 1);
  owners.rollback();
  CHECK(value_to_s(db.scalar({"", "SELECT count(*) FROM users", {}})) == "1");
  db.exec_script("PRAGMA query_only = ON");  // as a deleted file's connection refuses writes
  { storage::BorrowedReads reads(db); }
  CHECK(value_to_s(db.scalar({"SCHEMA", "PRAGMA query_only", {}})) == "1");  // and still does after
}

// The browser view's pages on PostgreSQL read through the console's own
// connection: inside begin they show its uncommitted rows, and a page whose
// query fails leaves the console's transaction usable. In the postgres tier
// (tests/CMakeLists.txt), on the fixture's server.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/http.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/terminal.hpp"
#include "web/view_support.hpp"

using namespace fw::test;
using nlohmann::json;

TEST_CASE("the view on PostgreSQL: a row inserted inside begin shows on the pages before commit, and a failing page aborts nothing") {
  FW_POSTGRES_DATABASE(address, "web_shared_connection");
  REQUIRE(fwitter({"--db", address, "db", "migrate"}).status == 0);
  REQUIRE(fwitter({"--db", address, "db", "seed"}).status == 0);
  TempDir dir;
  Terminal t({"--db", address, "--web", "0"}, home_in(dir));
  REQUIRE(t.wait_for("fwitter> "));
  int port = printed_port(t.screen());
  REQUIRE(port > 0);
  int users = json::parse(http(port, "GET", "/User.json").body)["total"].get<int>();
  const std::string in_transaction = "fwitter(transaction)> ";
  t.type("begin\n");
  REQUIRE(t.wait_for(in_transaction));
  t.type("User.create!(username: \"pg_dee\", email: \"pg_dee@example.com\").id\n");
  REQUIRE(t.wait_for("=> " + std::to_string(users + 1)));
  REQUIRE(t.wait_for(in_transaction));
  // A page whose query the server refuses (another program renamed a column
  // under the console's models) fails under its own savepoint: the console's
  // transaction is not aborted.
  {
    fw::storage::Database other(address);
    other.exec_script("ALTER TABLE messages RENAME COLUMN id TO renamed_id");
  }
  auto failing = http(port, "GET", "/Message/1.json");
  CHECK_MESSAGE(failing.status == 500, failing.body);
  auto dee = http(port, "GET", "/User/" + std::to_string(users + 1) + ".json");
  REQUIRE(dee.status == 200);
  CHECK(json::parse(dee.body)["label"] == "pg_dee");
  CHECK(json::parse(http(port, "GET", "/User.json").body)["total"] == users + 1);
  // ... nor left read-only: it writes on.
  t.type("User.find_by(username: \"pg_dee\").update(email: \"pg_dee@example.org\")\n");
  CHECK_MESSAGE(t.wait_for("=> true"), t.screen());
  REQUIRE(t.wait_for(in_transaction));
  t.type("rollback\n");
  REQUIRE(t.wait_for("fwitter> "));
  CHECK(http(port, "GET", "/User/" + std::to_string(users + 1) + ".json").status == 404);
  // Outside a transaction the page's read-only transaction is its own: the console writes on.
  t.type("User.find(1).update(username: \"ann_on_pg\")\n");
  CHECK(t.wait_for("=> true"));
  REQUIRE(t.wait_for("fwitter> "));
  CHECK(json::parse(http(port, "GET", "/User/1.json").body)["label"] == "ann_on_pg");
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

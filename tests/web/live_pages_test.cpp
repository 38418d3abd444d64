// The record, list and models pages read what the console sees, through its
// own connection: rows inside begin or a sandbox before they are committed,
// an in-memory lesson's database (view_http_test.cpp's lesson case); none of their queries reaches the console's
// SQL log or the session's feed; while a statement runs they answer busy.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "../support/http.hpp"
#include "view_support.hpp"

using fw::test::http;
using fw::test::ViewedConsole;
using nlohmann::json;

namespace {

json get_json(int port, const std::string& path) {
  auto answer = http(port, "GET", path);
  INFO(path << ": " << answer.status << " " << answer.body);
  REQUIRE(answer.status == 200);
  return json::parse(answer.body);
}

}  // namespace

TEST_CASE("inside begin a row created shows on the record, list and models pages before commit, and goes with rollback") {
  ViewedConsole c;
  const std::string in_transaction = "fwitter(transaction)> ";
  c.type("begin", in_transaction);
  c.terminal.type("User.create!(username: \"dee\", email: \"dee@example.com\").id\n");
  REQUIRE(c.terminal.wait_for("=> 4"));
  REQUIRE(c.terminal.wait_for(in_transaction));
  auto dee = get_json(c.port, "/User/4.json");
  CHECK(dee["label"] == "dee");
  CHECK(get_json(c.port, "/User.json")["total"] == 4);
  CHECK(get_json(c.port, "/models.json")["models"][0]["count"] == 4);
  // The console's transaction is as it was: its next statement sees the row, and rollback takes it.
  c.terminal.type("User.pluck(:username).last\n");
  CHECK(c.terminal.wait_for("=> \"dee\""));
  REQUIRE(c.terminal.wait_for(in_transaction));
  c.type("rollback");
  CHECK(http(c.port, "GET", "/User/4.json").status == 404);
  CHECK(get_json(c.port, "/User.json")["total"] == 3);
  c.terminal.type("User.count\n");
  CHECK(c.terminal.wait_for("=> 3"));
}

TEST_CASE("in --sandbox a row created shows on its record page, and the page cannot write") {
  fw::test::TempDir dir;
  auto db = fw::test::seeded(dir);
  fw::test::Terminal t({"--db", db, "--sandbox", "--web", "0"}, fw::test::home_in(dir));
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  int port = fw::test::printed_port(t.screen());
  REQUIRE(port > 0);
  t.type("Tweet.create!(user_id: 2, content: \"only in the sandbox\").id\n");
  REQUIRE(t.wait_for("=> 6"));
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  auto tweet = get_json(port, "/Tweet/6.json");
  CHECK(tweet["label"] == "only in the sandbox");
  auto bob = get_json(port, "/User/2.json");
  for (const auto& a : bob["associations"])
    if (a["name"] == "tweets") CHECK(a["count"] == 3);
  // A write after the pages read: query_only was put back as it was.
  t.type("Tweet.find(6).update(content: \"still writable\")\n");
  CHECK(t.wait_for("=> true"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  CHECK(fw::test::fwitter({"--db", db, "--format", "json", "-e", "Tweet.count"}).out == "5\n");  // the sandbox kept nothing
}

TEST_CASE("with the SQL log on, no query of a page reaches the console's log or the session's feed") {
  ViewedConsole c;
  c.type("sql on");
  c.type("begin", "fwitter(transaction)> ");
  size_t before = c.terminal.screen().size();
  get_json(c.port, "/User/1.json");  // reads hearts, follows, messages, ...
  get_json(c.port, "/Heart.json");
  c.terminal.type("Tweet.find(2).content\n");
  REQUIRE(c.terminal.wait_for("=> \"Associations are just SQL joins.\""));
  REQUIRE(c.terminal.wait_for("fwitter(transaction)> "));
  std::string shown = c.terminal.screen().substr(before);
  CHECK(shown.find("hearts") == std::string::npos);
  CHECK(shown.find("follows") == std::string::npos);
  // The transaction is announced once, at the console's own first query in it, not eaten by a page's.
  CHECK(shown.find("begin transaction") != std::string::npos);
  CHECK(shown.find("Tweet Load") != std::string::npos);
  c.type("rollback");
  auto items = get_json(c.port, "/session.json")["items"];
  for (const auto& item : items) CHECK(item["queries"].dump().find("hearts") == std::string::npos);
}

TEST_CASE("while a statement runs a page answers busy, and once it has ended the page is given") {
  ViewedConsole c;
  c.terminal.type("puts \"started\"; loop do\n  User.count\nend\n");
  REQUIRE(c.terminal.wait_for("started\r\n"));
  auto busy = http(c.port, "GET", "/User/1.json?wait=0");
  CHECK(busy.status == 503);
  CHECK(json::parse(busy.body)["busy"] == true);
  CHECK(busy.body.find("running a statement") != std::string::npos);
  CHECK(http(c.port, "GET", "/session.json").status == 200);  // the session's feed never waits
  c.terminal.type("\x03");
  REQUIRE(c.terminal.wait_for("error: Interrupt"));
  REQUIRE(c.terminal.wait_for("fwitter> "));
  CHECK(get_json(c.port, "/User/1.json")["label"] == "ann");
}

TEST_CASE("after the console opens a replaced database file again, the pages read the new file") {
  ViewedConsole c;
  CHECK(get_json(c.port, "/User/1.json")["label"] == "ann");
  auto other = fw::test::seeded(c.dir, "other.sqlite3");
  REQUIRE(fw::test::fwitter({"--db", other, "-e", "User.find(1).update(username: \"replaced\")"}).status == 0);
  std::filesystem::rename(other, c.db);  // as rake db:reset replaces it
  c.type("1 + 1");  // the console notices at its next statement, and opens the new file
  CHECK(get_json(c.port, "/User/1.json")["label"] == "replaced");
}

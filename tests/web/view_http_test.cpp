// The browser view through plain HTTP: the session's feed and every page as
// JSON, and what it refuses (another Host, a write, a shared view without
// its token). The browser itself is in browser_test.cpp.
#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>

#include "../support/http.hpp"
#include "../support/lab.hpp"
#include "../support/skip.hpp"
#include "view_support.hpp"

using fw::test::http;
using fw::test::ViewedConsole;
using nlohmann::json;

TEST_CASE("each statement typed at the console appears in /session.json with its output, SQL and changed rows") {
  ViewedConsole c;
  c.type("User.where(username: \"bob\").pluck(:email)");
  c.type("Tweet.find(1).update(content: \"edited\")");
  c.type(")");  // a syntax error: its item holds the error
  c.type("undo");
  auto answer = http(c.port, "GET", "/session.json");
  REQUIRE(answer.status == 200);
  CHECK(answer.headers["content-type"].rfind("application/json", 0) == 0);
  auto items = json::parse(answer.body)["items"];
  REQUIRE(items.size() >= 4);
  CHECK(items[0]["statement"] == "User.where(username: \"bob\").pluck(:email)");
  CHECK(items[0]["output"].get<std::string>().find("bob@example.com") != std::string::npos);
  REQUIRE(items[0]["queries"].size() == 1);
  CHECK(items[0]["queries"][0]["sql"].get<std::string>().find("SELECT \"users\".\"email\" FROM \"users\"") == 0);
  CHECK(items[0]["queries"][0]["binds"][0][1] == "bob");
  auto changes = items[1]["changes"];
  REQUIRE(changes.size() == 1);
  CHECK(changes[0]["table"] == "tweets");
  CHECK(changes[0]["op"] == "update");
  CHECK(changes[0]["before"]["content"] == "Hello, fwitter!");
  CHECK(changes[0]["after"]["content"] == "edited");
  CHECK(items[1]["undone_by"] == items.back()["n"]);  // the undo marked it
  CHECK(items[2]["failed"] == true);
  CHECK(items[2]["output"].get<std::string>().find("error") != std::string::npos);
  CHECK(items.back()["statement"] == "undo");
  CHECK(items.back()["reverted"] == json::array({items[1]["n"]}));
  CHECK(items.back()["changes"][0]["after"]["content"] == "Hello, fwitter!");
}

TEST_CASE("statements inside a transaction that is rolled back are marked so, and a later undo leaves them be") {
  ViewedConsole c;
  c.type("Tweet.find(3).update(content: \"kept\")");
  c.type("begin", "fwitter(transaction)> ");
  c.type("Tweet.find(1).update(content: \"not kept\")", "fwitter(transaction)> ");
  c.type("rollback");
  c.type("undo");
  auto items = json::parse(http(c.port, "GET", "/session.json").body)["items"];
  REQUIRE(items.size() == 5);
  CHECK(items[2]["rolled_back_by"] == 4);
  CHECK(items[0]["undone_by"] == 5);  // the undo reverted the statement before the transaction
  CHECK(items[4]["reverted"] == json::array({1}));
  CHECK_FALSE(items[2].contains("undone_by"));
}

// What an event stream sends until `text` has come (or the time is up).
std::string stream_until(int port, const std::string& text, const std::vector<std::string>& headers = {}) {
  int fd = fw::test::connect_local(port);
  REQUIRE(fd >= 0);
  std::string request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
  for (const auto& h : headers) request += h + "\r\n";
  fw::test::send_all(fd, request + "\r\n");
  std::string got;
  fw::test::wait_until([&] {
    pollfd p{fd, POLLIN, 0};
    char buf[8192];
    ssize_t n = poll(&p, 1, 0) > 0 ? read(fd, buf, sizeof buf) : 0;
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    return got.find(text) != std::string::npos;
  });
  close(fd);
  return got;
}

TEST_CASE("the event stream sends the whole session to a page that comes late, and the rest to one that reconnects") {
  ViewedConsole c;
  c.type("1 + 1");
  c.type("2 + 2");
  c.type("3 + 3");
  auto late = stream_until(c.port, "id: 3\n");
  CHECK(late.find("text/event-stream") != std::string::npos);
  CHECK(late.find("id: 1\ndata: {") != std::string::npos);
  CHECK(late.find("\"statement\":\"3 + 3\"") != std::string::npos);
  auto again = stream_until(c.port, "id: 3\n", {"Last-Event-ID: 1"});
  CHECK(again.find("id: 1\n") == std::string::npos);
  CHECK(again.find("\"statement\":\"2 + 2\"") != std::string::npos);
  CHECK(again.find("id: 3\n") != std::string::npos);
}

TEST_CASE("the models, the diagram as JSON and as a picture with the latest statement's tables marked") {
  ViewedConsole c;
  auto models = json::parse(http(c.port, "GET", "/models.json").body)["models"];
  REQUIRE(models.size() == 5);
  CHECK(models[0] == json({{"name", "User"}, {"table", "users"}, {"count", 3}}));
  c.type("Heart.count");
  auto diagram = json::parse(http(c.port, "GET", "/diagram.json").body);
  CHECK(diagram["touched"] == json::array({"Heart"}));
  auto svg = http(c.port, "GET", "/diagram.svg");
  CHECK(svg.headers["content-type"] == "image/svg+xml");
  auto heart = svg.body.find("<title>Heart</title>");
  REQUIRE(heart != std::string::npos);
  CHECK(svg.body.find("#e69f00", heart) < svg.body.find("</g>", heart));  // filled: the statement read hearts
  auto user = svg.body.find("<title>User</title>");
  REQUIRE(user != std::string::npos);
  CHECK(svg.body.substr(user, svg.body.find("</g>", user) - user).find("#e69f00") == std::string::npos);
  CHECK(svg.body.find("liked_tweets") != std::string::npos);  // each line named as `associations` names it
  c.type("User.count");  // the next statement: the picture is drawn again for it
  auto next = http(c.port, "GET", "/diagram.svg").body;
  user = next.find("<title>User</title>");
  heart = next.find("<title>Heart</title>");
  CHECK(next.substr(user, next.find("</g>", user) - user).find("#e69f00") != std::string::npos);
  CHECK(next.substr(heart, next.find("</g>", heart) - heart).find("#e69f00") == std::string::npos);
}

TEST_CASE("a record's page as JSON lists every association with its records, counts and SQL") {
  ViewedConsole c;
  auto answer = http(c.port, "GET", "/User/2.json");
  REQUIRE(answer.status == 200);
  auto user = json::parse(answer.body);
  CHECK(user["label"] == "bob");
  std::map<std::string, json> by_name;
  for (const auto& a : user["associations"]) by_name[a["name"]] = a;
  REQUIRE(by_name.count("tweets"));
  CHECK(by_name["tweets"]["count"] == 2);
  CHECK(by_name["tweets"]["records"][0]["model"] == "Tweet");
  CHECK(by_name["tweets"]["queries"][0]["sql"].get<std::string>().find("\"tweets\".\"user_id\" = ?") != std::string::npos);
  REQUIRE(by_name.count("followers"));
  CHECK(by_name["followers"]["kind"] == "has_many :through");
  CHECK(by_name["followers"]["count"] == 2);  // ann and cat follow bob
  auto tweet = json::parse(http(c.port, "GET", "/Tweet/1.json").body);
  for (const auto& a : tweet["associations"])
    if (a["name"] == "user") CHECK(a["record"]["label"] == "ann");
  CHECK(http(c.port, "GET", "/User/99.json").status == 404);
  CHECK(http(c.port, "GET", "/Nothing/1.json").status == 404);
}

TEST_CASE("a model's list is paged and sorted by any of its columns") {
  ViewedConsole c;
  auto list = json::parse(http(c.port, "GET", "/User.json?sort=username&dir=desc&per=2").body);
  CHECK(list["total"] == 3);
  REQUIRE(list["rows"].size() == 2);
  CHECK(list["rows"][0]["values"][1] == "cat");
  CHECK(list["rows"][1]["values"][1] == "bob");
  auto second = json::parse(http(c.port, "GET", "/User.json?sort=username&dir=desc&per=2&page=2").body);
  REQUIRE(second["rows"].size() == 1);
  CHECK(second["rows"][0]["values"][1] == "ann");
  CHECK(http(c.port, "GET", "/User.json?sort=password;drop").status == 400);
  auto tweets = json::parse(http(c.port, "GET", "/Tweet.json").body);
  CHECK(tweets["links"]["user_id"]["model"] == "User");  // a belongs_to's key links to its row
}

TEST_CASE("the view refuses another Host (DNS rebinding), and anything but reading") {
  ViewedConsole c;
  CHECK(http(c.port, "GET", "/session.json").status == 200);
  CHECK(http(c.port, "GET", "/session.json", "", {"Host: localhost:" + std::to_string(c.port)}).status == 200);
  CHECK(http(c.port, "GET", "/session.json", "", {"Host: attacker.example:" + std::to_string(c.port)}).status == 403);
  CHECK(http(c.port, "GET", "/session.json", "", {"Host: 127.0.0.1:1"}).status == 403);
  CHECK(http(c.port, "POST", "/User/1.json", "{}").status == 405);
  CHECK(http(c.port, "DELETE", "/User/1.json").status == 405);
  auto page = http(c.port, "GET", "/User/1");
  CHECK(page.status == 200);
  CHECK(page.headers["content-security-policy"].find("script-src 'self'") != std::string::npos);
}

TEST_CASE("--web-share refuses every request without the printed token, and lets the token's holder in") {
  ViewedConsole c({"--web-share", "0"});
  std::string token = fw::test::printed_token(c.terminal.screen());
  REQUIRE(token.size() == 32);
  CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(http(c.port, "GET", "/session.json").status == 403);
  CHECK(http(c.port, "GET", "/").status == 403);
  CHECK(http(c.port, "GET", "/session.json?token=" + std::string(32, '0')).status == 403);
  auto in = http(c.port, "GET", "/?token=" + token);
  CHECK(in.status == 200);
  CHECK(in.headers["set-cookie"].find("fw_token=" + token) == 0);
  CHECK(http(c.port, "GET", "/session.json", "", {"Cookie: fw_token=" + token}).status == 200);
}

TEST_CASE("web at the prompt starts the view once and says where it is") {
  fw::test::TempDir dir;
  auto db = fw::test::seeded(dir);
  fw::test::Terminal t({"--db", db}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("fwitter> "));
  t.type("web 0\n");
  REQUIRE(t.wait_for("The view of this session is at http://127.0.0.1:"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("web\n");  // again: the same view
  CHECK(t.wait_for("The view of this session is at http://127.0.0.1:"));
  t.type("web 80 81\n");
  CHECK(t.wait_for("error"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("with the view running, Ctrl-C still stops a statement at the console") {
  ViewedConsole c;
  c.terminal.type("puts \"started\"; loop do\n  User.count\nend\n");
  REQUIRE(c.terminal.wait_for("started\r\n"));
  c.terminal.type("\x03");
  CHECK(c.terminal.wait_for("error: Interrupt"));
  CHECK(c.terminal.wait_for("fwitter> "));
  auto items = json::parse(http(c.port, "GET", "/session.json").body)["items"];
  REQUIRE(items.size() == 1);
  CAPTURE(items[0]["output"]);
  CHECK(items[0]["failed"] == true);
  CHECK(items[0]["output"].get<std::string>().find("Interrupt") != std::string::npos);
}

TEST_CASE("a live lesson with --web shows each step with its comments, and its in-memory records") {
  fw::test::TempDir dir;
  fw::test::Terminal t({"lesson", "clinic", "--web", "0"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("The view of this session is at http://127.0.0.1:"));
  REQUIRE(t.wait_for("[step 1 of"));
  int port = fw::test::printed_port(t.screen());
  REQUIRE(port > 0);
  t.type("\n");  // Enter runs step 1
  REQUIRE(t.wait_for("[step 2 of"));
  auto items = json::parse(http(port, "GET", "/session.json").body)["items"];
  REQUIRE(items.size() >= 1);
  CHECK(items[0]["comments"].get<std::string>().find("#") != std::string::npos);
  CHECK_FALSE(items[0]["statement"].get<std::string>().empty());
  CHECK(items[0]["failed"] == false);
  // On its in-memory database the record pages read through the console's
  // connection: a row typed between the steps is there.
  auto doctors = http(port, "GET", "/Doctor.json");
  REQUIRE(doctors.status == 200);
  int count = json::parse(doctors.body)["total"].get<int>();
  REQUIRE(t.wait_for("[2/"));
  t.type("Doctor.create!(name: \"Dr. Projected\", specialty: \"Optics\").id\n");
  REQUIRE(t.wait_for("=> " + std::to_string(count + 1)));
  REQUIRE(t.wait_for("[2/"));
  auto made = http(port, "GET", "/Doctor/" + std::to_string(count + 1) + ".json");
  REQUIRE(made.status == 200);
  CHECK(json::parse(made.body)["label"] == "Dr. Projected");
  auto doctor = json::parse(http(port, "GET", "/Doctor/1.json").body);
  bool patients = false;
  for (const auto& a : doctor["associations"])
    if (a["name"] == "patients") patients = a["count"].get<int>() > 0 && a["kind"] == "has_many :through";
  CHECK_MESSAGE(patients, doctor.dump());
  CHECK(http(port, "GET", "/diagram.svg").body.find("<svg") != std::string::npos);
}

TEST_CASE("a polymorphic belongs_to links to the record its type names, and has_many as: lists it back") {
  fw::test::TempDir dir;
  fw::test::Terminal t({"--app", std::string(FWITTER_SOURCE_DIR) + "/db/examples/guides", "--db", dir / "g.sqlite3", "--web", "0"},
                       {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("> "));
  int port = fw::test::printed_port(t.screen());
  REQUIRE(port > 0);
  auto picture = json::parse(http(port, "GET", "/Picture/1.json").body);
  REQUIRE(picture["associations"].size() == 1);
  auto imageable = picture["associations"][0];
  CHECK(imageable["kind"] == "belongs_to (polymorphic)");
  std::string model = imageable["record"]["model"];
  CHECK(picture["links"]["imageable_id"]["type_column"] == "imageable_type");
  auto owner = json::parse(http(port, "GET", "/" + model + "/" + imageable["record"]["id"].dump() + ".json").body);
  bool listed_back = false;
  for (const auto& a : owner["associations"])
    if (a["name"] == "pictures")
      for (const auto& r : a["records"]) listed_back = listed_back || (r["model"] == "Picture" && r["id"] == 1);
  CHECK(listed_back);
}

TEST_CASE("--web PORT takes the next free port when PORT is taken, and says which") {
  int taken_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(taken_fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  REQUIRE(listen(taken_fd, 1) == 0);
  socklen_t size = sizeof at;
  getsockname(taken_fd, reinterpret_cast<sockaddr*>(&at), &size);
  int taken = ntohs(at.sin_port);
  if (taken > 65535 - 20) {
    close(taken_fd);
    FW_SKIP("the kernel's free port is too near the last one to look past it");
  }
  ViewedConsole c({"--web", std::to_string(taken)});
  CHECK(c.port > taken);
  CHECK(c.port < taken + 20);
  CHECK(http(c.port, "GET", "/session.json").status == 200);
  close(taken_fd);
}

TEST_CASE("record started before the view and stopped after it: the view still gets each statement's output") {
  ViewedConsole c(std::vector<std::string>{});  // no view yet
  c.type("record \"" + (c.dir / "t.txt") + "\"");
  c.terminal.type("web 0\n");
  REQUIRE(c.terminal.wait_for("The view of this session is at http://127.0.0.1:"));
  REQUIRE(c.terminal.wait_for("fwitter> "));
  int port = fw::test::printed_port(c.terminal.screen());
  REQUIRE(port > 0);
  c.type("User.find(1).email");
  c.type("record off");
  c.type("User.find(2).email");
  auto items = json::parse(http(port, "GET", "/session.json").body)["items"];
  REQUIRE(items.size() == 3);
  CHECK(items[0]["output"] == "=> \"ann@example.com\"\n");
  CHECK(items[2]["output"] == "=> \"bob@example.com\"\n");  // once, not twice
  CHECK(fw::test::slurp(c.dir / "t.txt").find("ann@example.com") != std::string::npos);
}

TEST_CASE("on a learner's ActiveRecord lab, the pages follow reload!: an association added to a model file appears") {
  fw::test::Lab lab;
  fw::test::Terminal t({"--db", lab.path("db/t.sqlite3"), "--web", "0"},
                       {"HOME=" + lab.dir.path().string(), "XDG_STATE_HOME=" + (lab.dir / "state")}, lab.root.string());
  REQUIRE(t.wait_for("blog_lab> "));
  int port = fw::test::printed_port(t.screen());
  REQUIRE(port > 0);
  auto names = [&] {
    std::set<std::string> out;
    auto post = json::parse(http(port, "GET", "/Post/1.json").body);
    for (const auto& a : post["associations"]) out.insert(a["name"].get<std::string>());
    return out;
  };
  CHECK(names() == std::set<std::string>{"comments", "user"});
  std::string model = fw::test::slurp(lab.path("app/models/post.rb"));
  lab.write("app/models/post.rb", "class Post < ActiveRecord::Base\n  belongs_to :writer, class_name: \"User\", foreign_key: \"user_id\"\n" +
                                      model.substr(model.find("\n") + 1));
  t.type("reload!\r");
  REQUIRE(t.wait_for("Reloading... "));
  REQUIRE(t.wait_for("blog_lab> "));
  CHECK(names() == std::set<std::string>{"comments", "user", "writer"});
  t.type("exit\r");
  CHECK(t.exit_status() == 0);
}

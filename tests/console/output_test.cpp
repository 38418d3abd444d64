// What the console prints, as a person sees it (docs/output-formats.md): display
// widths, the table's row limit, csv read back by Python, the SQL log with
// its transactions, the timer and the N+1 hint, colour and the pager.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "console/display.hpp"
#include "console/highlight.hpp"

using fw::console::display_width;
using fw::console::truncate_to_width;
using fw::test::contains;
using fw::test::lines_of;
using fw::test::fwitter;
using fw::test::Output;
using fw::test::shell_quote;
using fw::test::TempDir;

namespace {

const char* kEnv = "LANG=C.UTF-8 LC_ALL= LC_CTYPE= COLUMNS=80";


Output run(const std::vector<std::string>& args, const std::string& env = kEnv) { return fwitter(args, "", env); }

// A seeded database; `sql` runs on it with the sqlite3 shell (bulk rows).
std::string seeded_with(const TempDir& dir, const std::string& sql = "") {
  auto db = dir / "db.sqlite3";
  REQUIRE(run({"--db", db, "-e", "1"}).status == 0);
  if (!sql.empty()) REQUIRE(std::system(("sqlite3 " + shell_quote(db) + " " + shell_quote(sql)).c_str()) == 0);
  return db;
}

// n more tweets by user 1, and n hearts by user 2 on them.
std::string bulk(int n) {
  return "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " + std::to_string(n) +
         ") INSERT INTO tweets (user_id, content, created_at, updated_at) SELECT 1, 'bulk ' || i, "
         "'2026-11-21 10:00:00', '2026-11-21 10:00:00' FROM k;"
         "INSERT INTO hearts (user_id, tweet_id, created_at, updated_at) SELECT 2, id, created_at, updated_at "
         "FROM tweets WHERE content LIKE 'bulk %';";
}

// Runs the binary on a pseudo-terminal (util-linux `script`), so that it sees a terminal.
std::string on_terminal(const std::string& env, const std::vector<std::string>& args) {
  std::string command = env + " " + shell_quote(FWITTER_BINARY);
  for (const auto& a : args) command += " " + shell_quote(a);
  TempDir io;
  std::string full = "script -qec " + shell_quote(command) + " /dev/null >" + shell_quote(io / "out") + " 2>&1 </dev/null";
  std::system(full.c_str());
  return fw::test::slurp(io / "out");
}

}  // namespace

TEST_CASE("highlight colours an inspect string's tokens as irb does, and nothing inside a string") {
  using fw::console::highlight;
  CHECK(highlight("nil") == "\033[1;36mnil\033[0m");
  CHECK(highlight("{:a=>\"x: nil 1\"}") == "{\033[33m:a\033[0m=>\033[31m\"x: nil 1\"\033[0m}");
  CHECK(highlight("#<User id: 12, name: \"a\\\"b\">") ==
        "#<\033[1;4;34mUser\033[0m id: \033[1;34m12\033[0m, name: \033[31m\"a\\\"b\"\033[0m>");
  CHECK(highlight("ActiveRecord::Relation") == "\033[1;4;34mActiveRecord::Relation\033[0m");
  CHECK(highlight("0.125e2 x1 nilly") == "\033[1;34m0.125e2\033[0m x1 nilly");
}

TEST_CASE("display width: accents, combining marks, CJK, emoji, invalid bytes") {
  CHECK(display_width("ann") == 3);
  CHECK(display_width("Crème brûlée") == 12);
  CHECK(display_width("Cafe\xCC\x81") == 4);           // e + combining acute
  CHECK(display_width("日本語") == 6);
  CHECK(display_width("🎉") == 2);
  CHECK(display_width("👍🏽") == 2);                     // with a skin tone modifier
  CHECK(display_width("👩‍💻") == 2);                     // a ZWJ sequence
  CHECK(display_width("🇫🇷") == 2);                     // a flag
  CHECK(display_width("❤️") == 2);                     // emoji presentation selector
  CHECK(display_width("a\xff" "b") == 3);              // an invalid byte counts one
  CHECK(truncate_to_width("日本語のツイート", 7, "…") == "日本語…");
  CHECK(truncate_to_width("Cafe\xCC\x81s", 5, "…") == "Cafe\xCC\x81s");
  CHECK(truncate_to_width("Cafe\xCC\x81s and", 5, "…") == "Cafe\xCC\x81…");  // the accent stays with its e
  CHECK(truncate_to_width("abcdef", 5, "...") == "ab...");
}

TEST_CASE("table is the default; a large result shows 50 rows and counts the rest without reading it") {
  TempDir dir;
  auto db = seeded_with(dir, bulk(1000));
  auto r = run({"--db", db, "--sql", "-e", "Heart.all"});
  CHECK(r.status == 0);
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 4 + 50 + 1);
  CHECK(out.back() == "50 of 1005 rows (955 more: .offset(50) shows the next, `format table --all` every row)");
  for (const auto& l : out)
    if (l != out.back()) CHECK(display_width(l) == display_width(out[0]));
  auto err = lines_of(r.err);
  REQUIRE(err.size() == 2);
  CHECK(contains(err[0], "Heart Load ("));
  CHECK(contains(err[0], "SELECT \"hearts\".* FROM \"hearts\" LIMIT ?  [[\"LIMIT\", 51]]"));
  CHECK(contains(err[1], "Heart Count ("));
  // a relation with its own small limit is read whole, and not counted
  auto small = run({"--db", db, "--sql", "-e", "Heart.limit(3)"});
  CHECK(lines_of(small.out).back() == "3 rows");
  CHECK(lines_of(small.err).size() == 1);
  // the footer's two ways to see the rest both work
  auto next = run({"--db", db, "-e", "Heart.offset(50)"});
  CHECK(lines_of(next.out).back() == "50 of 955 rows (905 more: .offset(50) shows the next, `format table --all` every row)");
  auto all = run({"--db", db, "-e", "format table --all", "-e", "Heart.all"});
  CHECK(lines_of(all.out).size() == 4 + 1005 + 1);
  CHECK(lines_of(all.out).back() == "1005 rows");
  auto json = run({"--db", db, "-e", "format json --all"});
  CHECK(json.status == 1);
  CHECK(contains(json.err, "--all is for the table format"));
}

TEST_CASE("json and csv of a large relation stream every row") {
  TempDir dir;
  auto db = seeded_with(dir, bulk(300));
  CHECK(lines_of(run({"--db", db, "--format", "csv", "-e", "Heart.all"}).out).size() == 306);
  auto json = run({"--db", db, "--format", "json", "-e", "Heart.all"});
  CHECK(std::count(json.out.begin(), json.out.end(), '{') == 305);
}

TEST_CASE("csv reads back with Python's csv module") {
  TempDir dir;
  auto db = seeded_with(dir);
  auto r = run({"--db", db, "--format", "csv", "-e",
                "tweet user=1 content=\"She said \\\"hi, there\\\"\\nthen left, é 日本\"", "-e", "Tweet.order(:id)"});
  REQUIRE(r.status == 0);
  std::ofstream(dir / "out.csv", std::ios::binary) << r.out.substr(r.out.find("id,user_id", 1));
  std::string py = "import csv, json, sys\n"
                   "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))\n"
                   "print(json.dumps([[r[0], r[2]] for r in rows], ensure_ascii=False))\n";
  std::ofstream(dir / "read.py") << py;
  std::string command = "python3 " + shell_quote(dir / "read.py") + " " + shell_quote(dir / "out.csv") + " >" +
                        shell_quote(dir / "parsed.json");
  REQUIRE(std::system(command.c_str()) == 0);
  auto parsed = fw::test::slurp(dir / "parsed.json");
  CHECK(contains(parsed, "[\"id\", \"content\"], [\"1\", \"Hello, fwitter!\"]"));
  CHECK(contains(parsed, "[\"6\", \"She said \\\"hi, there\\\"\\nthen left, é 日本\"]"));
  CHECK(contains(r.out, "\r\n"));  // RFC 4180 line ends
}

TEST_CASE("--sql shows a through association's JOIN with its binds, and a create's transaction") {
  TempDir dir;
  auto db = seeded_with(dir);
  auto r = run({"--db", db, "--sql", "-e", "user(1).liked_tweets"});
  CHECK(r.status == 0);
  CHECK(contains(r.err, "Tweet Load ("));
  CHECK(contains(r.err, "SELECT \"tweets\".* FROM \"tweets\" INNER JOIN \"hearts\" ON \"tweets\".\"id\" = \"hearts\".\"tweet_id\" "
                        "WHERE \"hearts\".\"user_id\" = ? LIMIT ?  [[\"user_id\", 1], [\"LIMIT\", 51]]"));
  auto create = lines_of(run({"--db", db, "--sql", "-e", "tweet user=2 content=\"hi\""}).err);
  REQUIRE(create.size() == 4);
  CHECK(create[1].rfind("TRANSACTION (", 0) == 0);
  CHECK(contains(create[1], "ms)  begin transaction"));
  CHECK(create[2].rfind("Tweet Create (", 0) == 0);
  CHECK(contains(create[3], "ms)  commit transaction"));
  // reads open no transaction of their own in the log
  CHECK_FALSE(contains(r.err, "TRANSACTION"));
  // in a sandbox, as rails console --sandbox logs it: the sandbox's transaction, then savepoints
  auto sandbox = run({"--db", db, "--sandbox", "--sql", "-e", "tweet user=2 content=\"hi\""});
  CHECK(contains(sandbox.err, "ms)  begin transaction"));
  CHECK(contains(sandbox.err, "ms)  SAVEPOINT active_record_1"));
  CHECK(contains(sandbox.err, "ms)  RELEASE SAVEPOINT active_record_1"));
}

TEST_CASE("timer: time and queries after each result; the N+1 hint names includes") {
  TempDir dir;
  auto db = seeded_with(dir, bulk(12));
  // the tweets loaded first, then their users one by one: the N+1 pattern
  std::string load = "t = Tweet.where(id: [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]).to_a", each_user = "[";
  for (int i = 0; i < 12; ++i) each_user += "t[" + std::to_string(i) + "].user, ";
  each_user += "nil].size";
  auto r = run({"--db", db, "--format", "json", "-e", load, "-e", "timer on", "-e", "User.count", "-e", each_user, "-e",
                "timer off", "-e", "User.count"});
  CHECK(r.status == 0);
  CHECK(lines_of(r.out).size() == 4);
  CHECK(r.out.substr(r.out.find('\n') + 1) == "3\n13\n3\n");
  auto err = lines_of(r.err);
  REQUIRE(err.size() == 3);
  CHECK(err[0].rfind("Time: ", 0) == 0);
  CHECK(contains(err[0], "ms  Queries: 1 (SQL "));
  CHECK(contains(err[1], "Queries: 12 (SQL "));
  CHECK(err[2] == "N+1: 12 queries like \"SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = ? LIMIT ?\" - try includes(:user)");
  // without the timer and off a terminal, no hint
  auto quiet = run({"--db", db, "--format", "json", "-e", load, "-e", each_user});
  CHECK(quiet.err.empty());
  auto bad = run({"--db", db, "-e", "timer maybe"});
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, "error: timer takes on or off"));
}

// The lesson a teacher shows: the hint for the N+1 pattern, and its cure.
TEST_CASE("the N+1 hint appears for a map over associations, and not with includes") {
  TempDir dir;
  auto db = seeded_with(dir, bulk(12));
  auto map = run({"--db", db, "-e", "timer on", "-e", "Tweet.all.map { |t| t.user.username }"});
  CHECK(contains(map.err, "N+1: 17 queries like"));
  CHECK(contains(map.err, "try includes(:user)"));
  auto includes = run({"--db", db, "-e", "timer on", "-e", "Tweet.includes(:user).map { |t| t.user.username }"});
  CHECK(includes.status == 0);
  CHECK_FALSE(contains(includes.err, "N+1"));
}

TEST_CASE("format NAME switches the format; an unknown name is a clear error") {
  TempDir dir;
  auto db = seeded_with(dir);
  auto r = run({"--db", db, "--keep-going", "-e", "User.count", "-e", "format json", "-e", "User.count", "-e",
                "format inspect", "-e", "user(1).username", "-e", "format xml"});
  CHECK(r.status == 1);
  CHECK(r.out == "=> 3\n3\n=> \"ann\"\n");
  CHECK(contains(r.err, "-e:6:1: error: format takes table, inspect, json or csv, not 'xml'"));
  auto option = run({"--db", db, "--format", "xml", "-e", "1"});
  CHECK(option.status == 2);
  CHECK(contains(option.err, "--format"));
}

TEST_CASE("colour on a terminal only, never with NO_COLOR or --no-color; the pager for tall tables") {
  TempDir dir;
  auto db = seeded_with(dir);
  std::string env = std::string(kEnv) + " NO_COLOR= PAGER=cat LINES=100";
  auto colored = on_terminal(env, {"--db", db, "-e", "Tweet.new"});
  CHECK(contains(colored, "\033[2mnil\033[0m"));
  CHECK(contains(colored, "\033[1mcontent\033[0m"));
  CHECK_FALSE(contains(on_terminal(env, {"--db", db, "--no-color", "-e", "Tweet.new"}), "\033["));
  CHECK_FALSE(contains(on_terminal(std::string(kEnv) + " NO_COLOR=1", {"--db", db, "-e", "Tweet.new"}), "\033["));
  CHECK_FALSE(contains(run({"--db", db, "-e", "Tweet.new"}).out, "\033["));
  // results coloured as irb colours them, errors in red; never with NO_COLOR or in a pipe
  std::vector<std::string> values = {"--db", db, "-e", "[1, \"two\", nil, :three, -2.5]", "-e", "nosuch"};
  auto result = on_terminal(env, values);
  CHECK(contains(result, "=> [\033[1;34m1\033[0m, \033[31m\"two\"\033[0m, \033[1;36mnil\033[0m, \033[33m:three\033[0m, "
                         "\033[1;34m-2.5\033[0m]"));
  CHECK(contains(result, "-e:2:1: \033[1;31merror:\033[0m undefined local variable"));
  CHECK_FALSE(contains(on_terminal(std::string(kEnv) + " NO_COLOR=1", values), "\033["));
  auto piped = run(values);
  CHECK_FALSE(contains(piped.out + piped.err, "\033["));
  // a table taller than the terminal goes through $PAGER
  std::string pager = dir / "pager.sh";
  std::ofstream(pager) << "#!/bin/sh\necho PAGED; cat\n";
  REQUIRE(std::system(("chmod +x " + shell_quote(pager)).c_str()) == 0);
  auto tall = on_terminal(std::string(kEnv) + " LINES=5 PAGER=" + shell_quote(pager), {"--db", db, "-e", "Tweet.all"});
  CHECK(contains(tall, "PAGED"));
  auto short_one = on_terminal(std::string(kEnv) + " LINES=50 PAGER=" + shell_quote(pager), {"--db", db, "-e", "Tweet.all"});
  CHECK_FALSE(contains(short_one, "PAGED"));
  CHECK(contains(short_one, "5 rows"));
}

TEST_CASE("every long output goes through the pager on a terminal, and the timer leaves the pager's time out") {
  TempDir dir;
  auto db = seeded_with(dir);
  std::string pager = dir / "pager.sh";
  std::ofstream(pager) << "#!/bin/sh\necho PAGED; cat\n";
  REQUIRE(std::system(("chmod +x " + shell_quote(pager)).c_str()) == 0);
  std::string env = std::string(kEnv) + " LINES=20 PAGER=" + shell_quote(pager);
  for (const char* statement : {"schema", "explain user(1).destroy", "diagram", "help", "associations",
                                "(1..400).to_a", "(1..400).map { |i| \"line #{i}\" }"}) {
    CAPTURE(statement);
    CHECK(contains(on_terminal(env, {"--db", db, "-e", statement}), "PAGED"));
    CHECK(contains(on_terminal(env, {"--db", db, "--format", "inspect", "-e", statement}), "PAGED"));
  }
  CHECK_FALSE(contains(on_terminal(env, {"--db", db, "-e", "schema Heart"}), "PAGED"));  // short: printed as it is
  CHECK_FALSE(contains(on_terminal(env, {"--db", db, "-e", "(1..10).to_a"}), "PAGED"));
  // a second spent reading in the pager is not the statement's time
  std::string slow = dir / "slow.sh";
  std::ofstream(slow) << "#!/bin/sh\nsleep 1; cat\n";
  REQUIRE(std::system(("chmod +x " + shell_quote(slow)).c_str()) == 0);
  auto timed = on_terminal(std::string(kEnv) + " LINES=5 PAGER=" + shell_quote(slow),
                           {"--db", db, "-e", "timer on", "-e", "Tweet.all"});
  auto at = timed.find("Time: ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(timed.substr(at + 6)) < 900);
}

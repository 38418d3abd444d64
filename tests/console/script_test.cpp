// Scripts through the real binary: a script's transactions and error
// reports, -e, standard input, --format json, --sql, and db seed/setup.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::lines_of;
using fw::test::contains;
using fw::test::seeded;
using fw::test::write;
using fw::test::Output;
using fw::test::TempDir;

namespace {


// These tests read values as JSON lines; the default format is table.
Output json_run(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), {"--format", "json"});
  return fwitter(args, input);
}

// Every digit as 9: the shape of a timestamp or a duration, whatever its value.
std::string shape(std::string s) {
  for (char& c : s)
    if (c >= '0' && c <= '9') c = '9';
  return s;
}

// "User Load (0.1ms)  SELECT ..." -> "User Load (Tms)  SELECT ...", when the
// time has Rails' shape: digits, a point, one digit.
std::string timeless(const std::string& line) {
  auto open = line.find(" ("), close = line.find("ms)  ");
  if (open == std::string::npos || close == std::string::npos || close < open + 5) return line;
  std::string time = shape(line.substr(open + 2, close - open - 2));
  if (time.find_first_not_of('9') != time.size() - 2 || time[time.size() - 2] != '.') return line;
  return line.substr(0, open + 2) + "T" + line.substr(close);
}

// Every row of every table, timestamps included, as the binary prints them.
std::string dump(const std::string& db) {
  auto r = json_run({"--db", db, "-e", "User.all", "-e", "Tweet.all", "-e", "Message.all", "-e",
                    "Follow.all", "-e", "Heart.all"});
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).size() == 5);
  return r.out;
}

std::string one(const std::string& db, const std::string& statement) {
  auto r = json_run({"--db", db, "-e", statement});
  CHECK_MESSAGE(r.status == 0, statement << "\n" << r.err);
  return r.out;
}

// Changes a lot (creates, updates, a destroy that cascades), then fails on line 10.
const char* kFailsOnLine10 =
    "# changes everything it can, then fails\n"
    "user username=\"dan\" email=\"dan@example.com\"\n"
    "tweet user=4 content=\"Dan's first tweet\"\n"
    "heart user=4 tweet=1\n"
    "\n"
    "follow follower=4 followed=1\n"
    "u = user(2); u.email = \"bobby@example.com\"; u.save!\n"
    "user(3).destroy\n"
    "Heart.delete_all; Tweet.where(user: user(1)).delete_all\n"
    "  user(1).tweetz.count\n"
    "tweet user=4 content=\"after the failure\"\n";

}  // namespace

TEST_CASE("a script that fails leaves the database exactly as it was") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = dump(db);
  auto script = write(dir, "fails.fw", kFailsOnLine10);
  auto r = json_run({"--db", db, "run", script});
  CHECK(r.status == 1);
  CHECK(contains(r.err, script + ":10:11: error: undefined method 'tweetz' for an instance of User. Did you mean? tweets\n"));
  // the statement after the failure never ran
  CHECK_FALSE(contains(r.out, "after the failure"));
  CHECK(dump(db) == before);
  // not even an id was used up
  CHECK(one(db, "user(3).username") == "\"cat\"\n");
  auto created = json_run({"--db", db, "-e", "user username=eve email=eve@example.com", "-e", "_.id"});
  CHECK(lines_of(created.out).back() == "4");
}

TEST_CASE("--keep-going runs on, rolls back only the failed statement, and exits 1") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "fails.fw",
                      "tweet user=1 content=\"before\"\n"
                      "user(2).update!(email: \"not an email\")\n"
                      "heart user=4 tweet=1\n"
                      "u = user(1); u.username = \"annie\"; u.save!; user(99)\n"
                      "tweet user=1 content=\"after\"\n");
  auto r = json_run({"--db", db, "--keep-going", "run", script});
  CHECK(r.status == 1);
  CHECK(contains(r.err, script + ":2:"));
  CHECK(contains(r.err, "error: Validation failed: Email is invalid"));
  CHECK(contains(r.err, script + ":3:1: error: Validation failed: User must exist"));
  CHECK(contains(r.err, script + ":4:"));
  CHECK(contains(r.err, "Couldn't find User with 'id'=99"));
  CHECK(one(db, "Tweet.where(user: user(1)).order(:id).pluck(:content)") ==
        "[\"Hello, fwitter!\",\"Who wants to pair on a seed script?\",\"before\",\"after\"]\n");
  CHECK(one(db, "user(2).email") == "\"bob@example.com\"\n");
  CHECK(one(db, "Heart.count") == "5\n");
  // the statements before the failed one on line 4 stay: only user(99) failed
  CHECK(one(db, "user(1).username") == "\"annie\"\n");
}

// A script's lookups of the same parent are answered from the rows read before
// (storage's kept rows): each write that could change them is seen.
TEST_CASE("a script's belongs_to lookups see every change the script made before them") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "lookups.fw",
                      "tweet user=2 content=\"first\"\n"
                      "_.user.username\n"
                      "user(2).update!(username: \"bobby\")\n"
                      "tweet user=2 content=\"second\"\n"
                      "_.user.username\n"
                      "tweet user=3 content=\"before\"\n"
                      "user(3).destroy\n"
                      "tweet user=3 content=\"gone\"\n"
                      "tweet user=9 content=\"not yet\"\n"
                      "User.create!(id: 9, username: \"nine\", email: \"nine@example.com\")\n"
                      "tweet user=9 content=\"now\"\n"
                      "_.user.username\n");
  auto r = json_run({"--db", db, "--keep-going", "run", script});
  CHECK(r.status == 1);
  auto names = lines_of(r.out);
  CHECK(std::count(names.begin(), names.end(), "\"bob\"") == 1);
  CHECK(std::count(names.begin(), names.end(), "\"bobby\"") == 1);
  CHECK(std::count(names.begin(), names.end(), "\"nine\"") == 1);
  CHECK(contains(r.err, script + ":8:1: error: Validation failed: User must exist"));
  CHECK(contains(r.err, script + ":9:1: error: Validation failed: User must exist"));
  CHECK_FALSE(contains(r.err, script + ":11:"));
  CHECK(one(db, "Tweet.where(content: [\"first\", \"second\", \"now\"]).count") == "3\n");
}

TEST_CASE("--no-transaction keeps what ran before the failure") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "fails.fw", kFailsOnLine10);
  auto r = json_run({"--db", db, "--no-transaction", "run", script});
  CHECK(r.status == 1);
  CHECK(contains(r.err, script + ":10:11: error: undefined method 'tweetz'"));
  CHECK(one(db, "User.pluck(:username)") == "[\"ann\",\"bob\",\"dan\"]\n");
  CHECK(one(db, "user(2).email") == "\"bobby@example.com\"\n");
  CHECK(one(db, "Heart.count") == "0\n");
  CHECK(one(db, "Tweet.pluck(:content)") ==
        "[\"Associations are just SQL joins.\",\"has_many :through makes one query.\",\"Dan's first tweet\"]\n");
  // it stopped at the failure
  CHECK(one(db, "Tweet.where(content: \"after the failure\").count") == "0\n");
}

TEST_CASE("a script's statements print in order, and the output says what ran") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "fails.fw", kFailsOnLine10);
  auto r = json_run({"--db", db, "run", script});
  auto out = lines_of(r.out);
  // 7 values (as irb, a line of `;`-separated statements shows the last one's) and the error
  REQUIRE(out.size() == 8);
  CHECK(out[0].rfind("{\"id\":4,\"username\":\"dan\",\"email\":\"dan@example.com\",\"created_at\":\"", 0) == 0);
  CHECK(out[4] == "true");  // u = user(2); u.email = ...; u.save!
  CHECK(out[5].rfind("{\"id\":3,\"username\":\"cat\"", 0) == 0);  // destroy gives the record
  CHECK(out[6] == "2");  // Heart.delete_all; Tweet.where(user: user(1)).delete_all: the last count
  CHECK(out[7] == "{\"error\":\"undefined method 'tweetz' for an instance of User. Did you mean? tweets\"}");
}

TEST_CASE("a syntax error prints FILE:LINE:COL, the line, and a caret under the column") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "syntax.fw",
                      "user username=\"dan\" email=\"dan@example.com\"\n"
                      "User.where(id: [1, 2 3]).count\n"
                      "Tweet.count\n");
  auto r = json_run({"--db", db, "run", script});
  CHECK(r.status == 1);
  CHECK(contains(r.err, script + ":2:22: error: expected ']' or ',', found an integer\n"
                                 "    User.where(id: [1, 2 3]).count\n" +
                                 std::string(4 + 21, ' ') + "^\n"));
  CHECK(one(db, "User.count") == "3\n");
  CHECK_FALSE(contains(r.out, "5\n"));  // Tweet.count never ran

  auto tabs = json_run({"--db", db, "-e", "\tx = é [1 2]"});
  CHECK(tabs.status == 1);
  // a tab shows as a space; é is one column
  CHECK(contains(tabs.err, "-e:1:11: error: expected ']' or ',', found an integer\n     x = é [1 2]\n" +
                               std::string(4 + 10, ' ') + "^\n"));
}

TEST_CASE("--keep-going goes on after a syntax error too") {
  TempDir dir;
  auto db = seeded(dir);
  auto script = write(dir, "syntax.fw", "1 +* 2\nUser.count\nx = )\nTweet.count\n");
  auto r = json_run({"--db", db, "--keep-going", "run", script});
  CHECK(r.status == 1);
  CHECK(lines_of(r.out) == std::vector<std::string>{"{\"error\":\"unexpected '*', expected a value\"}", "3",
                                                    "{\"error\":\"unexpected ')', expected a value\"}", "5"});
  CHECK(contains(r.err, script + ":1:4: error: unexpected '*', expected a value\n    1 +* 2\n       ^\n"));
  CHECK(contains(r.err, script + ":3:5: error: unexpected ')', expected a value\n"));
}

TEST_CASE("-e runs several statements, in order, as one script") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "-e", "x = User.count", "-e", "heart user=2 tweet=5; Heart.count", "-e", "x"});
  CHECK(r.status == 0);
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "3");
  CHECK(out[1] == "6");  // heart user=2 tweet=5; Heart.count: one line, its last value
  CHECK(out[2] == "3");
  CHECK(one(db, "Heart.where(user_id: 2, tweet_id: 5).count") == "1\n");
  // a failure in -e: the same rules as a file, named "-e"
  auto bad = json_run({"--db", db, "-e", "heart user=3 tweet=4", "-e", "heart user=3 tweet=4"});
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, "-e:2:1: error: Validation failed: Tweet has already been taken"));
  CHECK(one(db, "Heart.where(user_id: 3, tweet_id: 4).count") == "0\n");
}

TEST_CASE("statements piped on standard input run as a script") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db}, "u = user(3)\n# a comment\nu.tweets.count\n\nu.username\n");
  CHECK(r.status == 0);
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].rfind("{\"id\":3,\"username\":\"cat\",\"email\":\"cat@example.com\",\"created_at\":", 0) == 0);
  CHECK(out[1] == "1");
  CHECK(out[2] == "\"cat\"");
  auto bad = json_run({"--db", db}, "tweet user=3 content=piped\nuser(42)\n");
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, "(stdin):2:1: error: Couldn't find User with 'id'=42"));
  CHECK(one(db, "Tweet.count") == "5\n");
}

TEST_CASE("--format json: one line per value, {\"error\":...} for a failure") {
  TempDir dir;
  auto db = seeded(dir);
  std::vector<std::string> args{"--db", db, "--keep-going"};
  for (const char* statement : {"nil", "1", "2.5", "\"s\\\"q\"", ":sym", "[1, nil]", "{a: {b: [true]}}", "User.where(id: 99)",
                                "user(99)", "User.where(id: 2).pluck(:username, :id)", "Heart.first", "user(1).errors"})
    args.insert(args.end(), {"-e", statement});
  auto r = json_run(args);
  CHECK(r.status == 1);
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 12);
  CHECK(out[0] == "null");
  CHECK(out[1] == "1");
  CHECK(out[2] == "2.5");
  CHECK(out[3] == "\"s\\\"q\"");
  CHECK(out[4] == "\"sym\"");
  CHECK(out[5] == "[1,null]");
  CHECK(out[6] == "{\"a\":{\"b\":[true]}}");
  CHECK(out[7] == "[]");
  CHECK(out[8] == "{\"error\":\"Couldn't find User with 'id'=99\"}");
  CHECK(out[9] == "[[\"bob\",2]]");
  // a record: its columns in table order, datetimes as ActiveRecord writes them
  CHECK(out[10].rfind("{\"id\":1,\"user_id\":2,\"tweet_id\":1,\"created_at\":", 0) == 0);
  CHECK(shape(out[10]) ==
        "{\"id\":9,\"user_id\":9,\"tweet_id\":9,\"created_at\":\"9999-99-99T99:99:99.999Z\","
        "\"updated_at\":\"9999-99-99T99:99:99.999Z\"}");
  CHECK(out[11] == "{}");
}

TEST_CASE("--sql prints each query as Rails logs it, on standard error") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "--sql", "-e", "user(1)", "-e", "User.where(username: \"ann\").count", "-e",
                    "heart user=2 tweet=5"});
  CHECK(r.status == 0);
  CHECK(lines_of(r.out).size() == 3);
  CHECK_FALSE(contains(r.out, "SELECT"));
  auto err = lines_of(r.err);
  REQUIRE(err.size() >= 4);
  CHECK(timeless(err[0]) ==
        "User Load (Tms)  SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = ? LIMIT ?  [[\"id\", 1], [\"LIMIT\", 1]]");
  CHECK(timeless(err[1]) ==
        "User Count (Tms)  SELECT COUNT(*) FROM \"users\" WHERE \"users\".\"username\" = ?  [[\"username\", \"ann\"]]");
  std::string insert =
      "Heart Create (Tms)  INSERT INTO \"hearts\" (\"user_id\", \"tweet_id\", \"created_at\", \"updated_at\") VALUES (?, ?, "
      "?, ?)  [[\"user_id\", 2], [\"tweet_id\", 5], [\"created_at\", \"";
  bool inserted = false;
  for (const auto& line : err) {
    std::string l = timeless(line);
    if (l.rfind(insert, 0) != 0) continue;
    inserted = true;
    CHECK(shape(l.substr(insert.size())).rfind("9999-99-99 99:99:99", 0) == 0);
    CHECK(contains(l, "\"], [\"updated_at\", \""));
  }
  CHECK_MESSAGE(inserted, r.err);
  // without --sql, nothing of the kind
  auto quiet = json_run({"--db", db, "-e", "user(1)"});
  CHECK(quiet.err.empty());
}

TEST_CASE("--sql lines come before the result they belong to") {
  TempDir dir;
  auto db = seeded(dir);
  TempDir io;
  std::string command = fw::test::shell_quote(FWITTER_BINARY) + " --db " + fw::test::shell_quote(db) +
                        " --format json --sql -e 'user(1).id' -e 'Tweet.count' >" + fw::test::shell_quote(io / "both") + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  auto both = lines_of(fw::test::slurp(io / "both"));
  REQUIRE(both.size() == 4);
  CHECK(both[0].rfind("User Load (", 0) == 0);
  CHECK(both[1] == "1");
  CHECK(both[2].rfind("Tweet Count (", 0) == 0);
  CHECK(both[3] == "5");
}

TEST_CASE("db seed fills a migrated, empty database from the app's own seed script") {
  TempDir dir;
  auto db = dir / "empty.sqlite3";
  const std::string app_seed = "FWITTER_SEED=";  // scripts/seed.fw, not the tests' small world
  auto migrate = json_run({"--db", db, "db", "migrate"});
  REQUIRE(migrate.status == 0);
  CHECK(one(db, "[User.count, Tweet.count, Message.count, Follow.count, Heart.count]") == "[0,0,0,0,0]\n");
  auto seed = fwitter({"--format", "json", "--db", db, "db", "seed"}, "", app_seed);
  CHECK(seed.status == 0);
  CHECK(seed.out.empty());  // seeding is quiet
  CHECK(one(db, "[User.count, Tweet.count, Message.count, Follow.count, Heart.count]") == "[20,255,69,84,413]\n");
  CHECK(one(db, "tweet(5).likers.pluck(:username).first(3)") == "[\"cat\",\"fatima\",\"ivan\"]\n");
  // seeding again fails on the unique usernames and adds nothing
  auto again = fwitter({"--format", "json", "--db", db, "db", "seed"}, "", app_seed);
  CHECK(again.status == 1);
  CHECK(contains(again.err, "scripts/seed.fw:6:1: error: Validation failed: Username has already been taken, Email has already been taken"));
  CHECK(one(db, "[User.count, Tweet.count, Message.count, Follow.count, Heart.count]") == "[20,255,69,84,413]\n");
}

TEST_CASE("--seed and FWITTER_SEED name another seed script") {
  TempDir dir;
  std::ofstream(dir / "tiny.fw") << "user username=\"zoe\" email=\"zoe@example.com\"\n";
  auto r = json_run({"--db", dir / "a.sqlite3", "--seed", dir / "tiny.fw", "-e", "User.pluck(:username)"});
  CHECK(r.status == 0);
  CHECK(r.out == "[\"zoe\"]\n");
  CHECK(contains(r.err, "seeded from " + dir / "tiny.fw"));
  auto env = fwitter({"--format", "json", "--db", dir / "b.sqlite3", "-e", "User.count"}, "",
                     "FWITTER_SEED=" + fw::test::shell_quote(dir / "tiny.fw"));
  CHECK(env.out == "1\n");
  auto missing = json_run({"--db", dir / "c.sqlite3", "--seed", dir / "nope.fw", "-e", "User.count"});
  CHECK(missing.status == 2);
  CHECK(contains(missing.err, "cannot read the seed script"));
}

TEST_CASE("db setup creates, migrates and seeds a new file") {
  TempDir dir;
  auto db = dir / "new.sqlite3";
  auto setup = json_run({"--db", db, "db", "setup"});
  CHECK(setup.status == 0);
  CHECK(contains(setup.out, "== 0001 create_users: migrated"));
  CHECK(contains(setup.out, "== 0005 create_hearts: migrated"));
  CHECK(one(db, "[User.count, Tweet.count, Message.count, Follow.count, Heart.count]") == "[3,5,3,4,5]\n");
  auto again = json_run({"--db", db, "db", "setup"});
  CHECK(again.status == 1);
  CHECK(contains(again.err, "is already set up"));
  CHECK(one(db, "User.count") == "3\n");
}

TEST_CASE("a new database is created, migrated and seeded on first use, in one line") {
  TempDir dir;
  auto db = dir / "first.sqlite3";
  auto r = fwitter({"--format", "json", "--db", db, "-e", "user(1).sent_messages.count"}, "", "FWITTER_SEED=");
  CHECK(r.status == 0);
  CHECK(r.out == "4\n");
  CHECK(r.err == "fwitter: created " + db + " (5 migrations, seeded from scripts/seed.fw)\n");
}

// ---- bugs ----

// The parser limits a statement's tree depth, so a 20,000-link chain
// (`1 + 1 + ...`, `x.to_s.to_s...`, `a = a = ... = 1`) is an error, not a stack overflow.
TEST_CASE("long chains do not crash the program") {
  TempDir dir;
  auto db = seeded(dir);
  std::string sum = "1", calls = "1", assigns;
  for (int i = 0; i < 20000; ++i) sum += " + 1", calls += ".to_s", assigns += "a = ";
  for (const auto& entry : std::vector<std::pair<std::string, std::string>>{
           {"sum", sum}, {"calls", calls}, {"assignments", assigns + "1"}}) {
    const auto& name = entry.first;  // not [name, text]: CAPTURE cannot take a structured binding in clang 14
    const auto& text = entry.second;
    CAPTURE(name);
    auto script = write(dir, name + ".fw", text + "\nUser.count\n");
    auto r = json_run({"--db", db, "--keep-going", "run", script});
    CHECK((r.status == 0 || r.status == 1));
    CHECK_FALSE(contains(r.err, "Sanitizer"));  // under ASan a crash exits 1
    CHECK(contains(r.out, "3\n"));             // the next statement still ran
  }
}

// `a << a` makes an array contain itself: inspect prints [1, [...]], == stops,
// and JSON refuses it as Ruby's does (nesting of 101 is too deep).
TEST_CASE("an array that contains itself is refused") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "--keep-going", "-e", "a = [1]", "-e", "a << a", "-e", "b = [a]", "-e", "a << b",
                    "-e", "a << [2]", "-e", "User.count"});
  CHECK(r.status == 1);
  CHECK_FALSE(contains(r.err, "Sanitizer"));
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 6);
  CHECK(out[1] == R"({"error":"an array cannot contain itself in fwitter"})");
  CHECK(out[3] == R"({"error":"an array cannot contain itself in fwitter"})");
  CHECK(out[4] == "[1,[2]]");
  CHECK(out[5] == "3");
}

// --echo prints the whole statement before its result.
TEST_CASE("--echo prints each statement before its result") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "--echo", "-e", "User.count", "-e", "x = 1", "-e", "heart user=1 tweet=4", "-e",
                    "user(2).username"});
  CHECK(r.status == 0);
  auto out = lines_of(r.out);
  REQUIRE(out.size() == 8);
  CHECK(out[0] == "> User.count");
  CHECK(out[1] == "3");
  CHECK(out[2] == "> x = 1");
  CHECK(out[3] == "1");
  CHECK(out[4] == "> heart user=1 tweet=4");
  CHECK(out[6] == "> user(2).username");
  CHECK(out[7] == "\"bob\"");
}

// An unfinished last statement is reported just past its last character.
TEST_CASE("an unfinished last statement is reported on its own line") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "-e", "User.count +"});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "-e:1:13: error: unexpected end of input, expected a value\n    User.count +\n" +
                            std::string(4 + 12, ' ') + "^\n"));
  auto script = write(dir, "open.fw", "User.count\nclass Foo\n");
  auto c = json_run({"--db", db, "run", script});
  CHECK(c.status == 1);
  CHECK(contains(c.err, script + ":2:10: error: class Foo has no 'end'"));
}

// A console command in a script prints nothing in json; `sql on` switches the SQL log on.
TEST_CASE("console commands in a script print nothing and do not fail") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = json_run({"--db", db, "-e", "sql on", "-e", "User.count"});
  CHECK(r.status == 0);
  CHECK(r.out == "3\n");
  CHECK(contains(r.err, "User Count ("));
}

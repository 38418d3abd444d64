// Reliability through the real binary (issue 14): error display that stays
// readable for any input, hostile input, faults of the environment, SIGKILL in
// the middle of a script, and several processes writing one database.
// Each case checks the exit status, the message, and that the database is
// intact (PRAGMA integrity_check, and its rows exactly before or after).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <algorithm>
#include <vector>

#include "../support/child.hpp"
#include "../support/process.hpp"
#include "../support/terminal.hpp"
#include "../support/wait.hpp"
#include "base/value.hpp"
#include "storage/database.hpp"

using fw::test::fwitter;
using fw::test::contains;
using fw::test::seeded;
using fw::test::write;
using fw::test::Output;
using fw::test::TempDir;
using fw::test::Terminal;
using fw::test::Child;

namespace {

// Opens the file as another program would, without the console.
struct Peek {
  fw::storage::Database db;
  explicit Peek(const std::string& path) : db(path, fw::storage::Database::Options{5000, false}) {}
  std::string one(const std::string& sql) { return fw::value_to_s(db.scalar({"", sql, {}})); }
  std::string integrity() { return one("PRAGMA integrity_check"); }
  std::string count(const std::string& table) { return one("SELECT COUNT(*) FROM " + table); }
  // Every row of every app table, as text: equal before and after means nothing changed.
  std::string image() {
    std::string out;
    for (const char* table : {"users", "tweets", "messages", "follows", "hearts"})
      db.each({"", std::string("SELECT * FROM ") + table + " ORDER BY id", {}}, [&](const fw::storage::Row& row) {
        for (int i = 0; i < row.size(); ++i) out += fw::value_to_s(row[i]) + "|";
        out += "\n";
      });
    return out;
  }
};

// The longest line of a text: what a terminal has to show at once.
size_t longest_line(const std::string& text) {
  size_t longest = 0, at = 0;
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - at);
    at = end + 1;
  }
  return longest;
}

}  // namespace

// ---- Error display that stays readable for any input ----

TEST_CASE("a one-megabyte identifier makes a one-line error, its name cut with ...") {
  TempDir dir;
  auto db = seeded(dir);
  std::string name(1024 * 1024, 'a');
  auto r = fwitter({"--db", db, "run", write(dir, "long.fw", name + "\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "undefined local variable or method 'aaaa"));
  CHECK(contains(r.err, "...' for main"));
  CHECK(r.err.size() < 400);
}

TEST_CASE("a syntax error at the end of a long line shows a window of it around the caret") {
  TempDir dir;
  auto db = seeded(dir);
  std::string line = "x = [";
  for (int i = 0; i < 66666; ++i) line += "1, ";
  line += "1 2]";  // the error is at the 2
  auto column = std::to_string(line.find(" 2]") + 2);
  auto r = fwitter({"--db", db, "run", write(dir, "wide.fw", line + "\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "wide.fw:1:" + column + ": error:"));
  CHECK(r.err.size() < 600);
  CHECK(longest_line(r.err) < 200);
  // the window starts with ... (cut) and the caret stands under the 2
  auto lines = r.err.substr(r.err.find('\n') + 1);
  auto source = lines.substr(0, lines.find('\n'));
  auto caret = lines.substr(lines.find('\n') + 1);
  CHECK(source.rfind("    ...", 0) == 0);
  REQUIRE(caret.find('^') != std::string::npos);
  CHECK(source[caret.find('^')] == '2');
}

TEST_CASE("10,000 nested brackets, blocks and a 100,000-element list: short errors or an answer") {
  TempDir dir;
  auto db = seeded(dir);
  auto brackets = fwitter({"--db", db, "run", write(dir, "b.fw", std::string(10000, '(') + "1" + std::string(10000, ')') + "\n")});
  CHECK(brackets.status == 1);
  CHECK(contains(brackets.err, "nested too deeply"));
  CHECK(brackets.err.size() < 600);
  std::string blocks;
  for (int i = 0; i < 10000; ++i) blocks += "[1].each do |x|\n";
  for (int i = 0; i < 10000; ++i) blocks += "end\n";
  auto nested = fwitter({"--db", db, "run", write(dir, "n.fw", blocks)});
  CHECK(nested.status == 1);
  CHECK(contains(nested.err, "nested too deeply"));
  CHECK(nested.err.size() < 600);
  std::string list = "[";
  for (int i = 0; i < 100000; ++i) list += "1,";
  auto sum = fwitter({"--db", db, "--format", "json", "run", write(dir, "l.fw", list + "1].sum\n")});
  CHECK(sum.status == 0);
  CHECK(sum.out == "100001\n");
  auto call = fwitter({"--db", db, "run", write(dir, "c.fw", "frob(" + list.substr(1) + "1)\n")});
  CHECK(call.status == 1);
  CHECK(contains(call.err, "undefined method 'frob' for main"));
  CHECK(call.err.size() < 400);
  CHECK(Peek(db).integrity() == "ok");
}

TEST_CASE("NUL bytes, control characters and invalid UTF-8 show as ? in an error, never raw") {
  TempDir dir;
  auto db = seeded(dir);
  std::string script = std::string("x = 1 +\x01 2\n") + "User.where(\"\xff\xfe\").frist\n" + std::string("y = \0", 5) + "\n";
  auto r = fwitter({"--db", db, "--keep-going"}, script);  // piped: a file with NUL bytes is refused as binary
  CHECK(r.status == 1);
  CHECK(r.err.find('\x01') == std::string::npos);
  CHECK(r.err.find('\0') == std::string::npos);
  CHECK(contains(r.err, "(stdin):1:8: error: unexpected character '\\x01'\n    x = 1 +? 2\n           ^\n"));
  CHECK(contains(r.err, "(stdin):3:5: error: unexpected character '\\x00'\n    y = ?\n        ^\n"));
  CHECK(Peek(db).integrity() == "ok");
  auto file = fwitter({"--db", db, "run", write(dir, "bytes.fw", script)});
  CHECK(file.status == 2);
  CHECK(contains(file.err, "bytes.fw: it is a binary file, not a script"));
}

// ---- Every exception is the statement's error; the session goes on ----

TEST_CASE("errors from the libraries (regex, ranges) end the statement, not the run") {
  TempDir dir;
  auto db = seeded(dir);
  std::string script =
      "\"abc\" =~ /a{2,1}/\n"            // an invalid regex
      "(\"ab\" * 50000) =~ /^(a|b)*$/\n"  // 100,000 characters: the backtracking search overflowed the stack
      "[1, 2, 3].first(-1)\n"
      "\"abc\"[10**18, 2]\n"
      "tweet user=1 content=\"still here\"\n"
      "Tweet.last.content\n";
  auto r = fwitter({"--db", db, "--keep-going", "--format", "json", "run", write(dir, "lib.fw", script)});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "lib.fw:1:"));
  CHECK(contains(r.out, "\"still here\""));
  CHECK(!contains(r.err, "fwitter: "));  // no error escaped to end the run
  CHECK(Peek(db).count("tweets") == "6");
}

TEST_CASE("huge and negative integers: errors or right answers, never wrapped around") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = fwitter({"--db", db, "--keep-going", "--format", "json", "run",
                    write(dir, "int.fw",
                          "99999999999999999999999\n"
                          "9223372036854775807 + 1\n"
                          "-9223372036854775807 - 2\n"
                          "-9223372036854775807 - 1\n"
                          "2 ** 64\n"
                          "user(-1)\n"
                          "User.limit(-5).count\n"
                          "user(99999999999999999999)\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "int.fw:1:"));
  CHECK(contains(r.err, "int.fw:2:"));
  CHECK(contains(r.err, "int.fw:3:"));
  CHECK(contains(r.out, "-9223372036854775808\n"));
  CHECK(contains(r.err, "Couldn't find User with 'id'=-1"));
  CHECK(contains(r.err, "int.fw:8:"));
  CHECK(!contains(r.out, "-9223372036854775807\n"));
  CHECK(Peek(db).integrity() == "ok");
}

// ---- Hostile input ----

TEST_CASE("unterminated strings and blocks are syntax errors naming the line, and nothing is kept") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  auto s = fwitter({"--db", db, "run", write(dir, "s.fw", "tweet user=1 content=\"kept?\"\nx = \"never closed\n")});
  CHECK(s.status == 1);
  CHECK(contains(s.err, "s.fw:2:5: error: unterminated string"));
  auto b = fwitter({"--db", db, "run", write(dir, "b.fw", "tweet user=1 content=\"kept?\"\n[1, 2].each do |x|\n  x\n")});
  CHECK(b.status == 1);
  CHECK(contains(b.err, "b.fw:"));
  CHECK(contains(b.err, "end"));
  CHECK(Peek(db).image() == before);
}

TEST_CASE("an infinite loop is stopped by --timeout, rolled back, and the script's other work too") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  auto started = std::chrono::steady_clock::now();
  auto r = fwitter({"--db", db, "--timeout", "1", "run",
                    write(dir, "loop.fw", "tweet user=1 content=\"before the loop\"\nloop do\n  Tweet.count\nend\n")});
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(r.status == 1);
  CHECK(contains(r.err, "loop.fw:"));
  CHECK(contains(r.err, "error: execution expired (the statement ran past --timeout)"));
  CHECK(took < std::chrono::seconds(15));
  CHECK(Peek(db).image() == before);
  // rescue does not swallow it
  auto rescued = fwitter({"--db", db, "--timeout", "1", "-e", "(loop do end) rescue 1"});
  CHECK(rescued.status == 1);
  CHECK(contains(rescued.err, "execution expired"));
  auto bad = fwitter({"--db", db, "--timeout", "0", "-e", "1"});
  CHECK(bad.status == 2);
}

TEST_CASE("Ctrl-C stops a script's infinite loop; the database is as before") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  auto script = write(dir, "loop.fw", "tweet user=1 content=\"half\"\nputs \"looping\"\nloop do\n  Tweet.count\nend\n");
  Child child(dir, "loop", {"--db", db, "run", script});
  REQUIRE(child.wait_for_output("looping"));  // inside the loop, its tweet saved
  child.signal(SIGINT);
  CHECK(child.wait() == 130);  // as a shell reports a program Ctrl-C ended
  CHECK(contains(child.err(), "loop.fw:4:9: error: Interrupt"));  // where the loop was
  CHECK(contains(child.err(), "fwitter: " + script + " was stopped (Ctrl-C) at statement 3; none of it was kept"));
  Peek after(db);
  CHECK(after.integrity() == "ok");
  CHECK(after.image() == before);
}

// A query that never ends on its own, through a where fragment: it counts a
// recursive CTE's rows, which never run out (in constant memory).
const std::string kEndlessWhere =
    "where(\"(SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x FROM c)) > 0\")";
const std::string kEndlessQuery = "User." + kEndlessWhere + ".count";

TEST_CASE("--timeout stops one long SQL query: the statement's error, rolled back, and the script goes on") {
  TempDir dir;
  auto db = seeded(dir);
  auto started = std::chrono::steady_clock::now();
  auto r = fwitter({"--db", db, "--timeout", "1", "--keep-going", "run",
                    write(dir, "long.fw",
                          std::string("tweet user=1 content=\"kept\"\n[Tweet.create!(user: user(2), content: \"gone\"), ") +
                              kEndlessQuery + "]\nputs Tweet.count\n")});
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(r.status == 1);
  CHECK(contains(r.err, "long.fw:2"));
  CHECK(contains(r.err, "error: execution expired (the statement ran past --timeout)"));
  CHECK_FALSE(contains(r.err, "SQLite3::"));
  CHECK(took < std::chrono::seconds(15));
  CHECK(contains(r.out, "\n6\n"));  // the statement after it ran; the stopped one's tweet was rolled back
  Peek after(db);
  CHECK(after.integrity() == "ok");
  CHECK(after.count("tweets") == "6");
  CHECK(after.one("SELECT COUNT(*) FROM tweets WHERE content = 'gone'") == "0");
  // rescue does not swallow it
  auto rescued = fwitter({"--db", db, "--timeout", "1", "-e", std::string("(") + kEndlessQuery + ") rescue 1"});
  CHECK(rescued.status == 1);
  CHECK(contains(rescued.err, "execution expired"));
  // A write stopped halfway: SQLite rolls back the whole transaction, and says so
  auto update = fwitter({"--db", db, "--timeout", "1", "-e", "Tweet." + kEndlessWhere + ".update_all(content: \"x\")"});
  CHECK(update.status == 1);
  CHECK(contains(update.err, "execution expired"));
  CHECK(contains(update.err, "rolled back the whole transaction"));
  CHECK(Peek(db).one("SELECT COUNT(*) FROM tweets WHERE content = 'x'") == "0");
}

TEST_CASE("Ctrl-C stops one long SQL query at the prompt, rolls the statement back, and the console goes on") {
  TempDir dir;
  auto db = seeded(dir);
  Terminal t({"--db", db}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("fwitter> "));
  // `started` shows once the statement runs: Ctrl-C before it would be the prompt's
  t.type("puts \"started\"; [Tweet.create!(user: user(1), content: \"gone\"), " + kEndlessQuery + "]\n");
  REQUIRE(t.wait_for("started\r\n"));  // the statement runs: Ctrl-C stops it wherever it is (the query, or before it)
  t.type("\x03");
  CHECK(t.wait_for("error: Interrupt"));
  CHECK(t.wait_for("fwitter> "));
  t.type("Tweet.count\n");  // the tweet was rolled back with the statement
  CHECK(t.wait_for("=> 5"));
  // a printed relation runs its query while it is printed: stopped the same way
  t.type("puts \"again\"; User." + kEndlessWhere + "\n");
  REQUIRE(t.wait_for("again\r\n"));
  t.type("\x03");
  CHECK(t.wait_for("error: Interrupt"));
  CHECK(t.wait_for("fwitter> "));
  t.type("User.count\n");
  CHECK(t.wait_for("=> 3"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  CHECK(Peek(db).integrity() == "ok");
}

TEST_CASE("a string over 256 MiB or an array over 10 million items is NoMemoryError, not an exhausted machine") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = fwitter({"--db", db, "--keep-going", "--format", "json", "run",
                    write(dir, "big.fw",
                          "[[1] * 5000001].map { |a| (a + a) rescue 1 }\n"  // refused before the copy; no StandardError
                          "([\"x\" * 16000000] * 17).join.bytesize\n"     // 272,000,000 bytes
                          "[1, 2].size\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "big.fw:1:"));
  CHECK(contains(r.err, "big.fw:2:"));
  CHECK(contains(r.err, "error: failed to allocate memory (NoMemoryError)"));
  CHECK(r.out == "{\"error\":\"failed to allocate memory (NoMemoryError)\"}\n"
                 "{\"error\":\"failed to allocate memory (NoMemoryError)\"}\n2\n");  // and the script went on
}

TEST_CASE("SQL fragments cannot run a second statement or load an extension") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  auto r = fwitter({"--db", db, "--keep-going", "run",
                    write(dir, "sql.fw",
                          "User.where(\"1 = 1; DROP TABLE users\").count\n"
                          "User.order(\"id; DELETE FROM users\").first\n"
                          "User.where(\"load_extension('/lib/x86_64-linux-gnu/libc.so.6') IS NULL\").count\n"
                          "User.where(\"username = ?\", \"x'); DROP TABLE users; --\").count\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "sql.fw:1:"));
  CHECK(contains(r.err, "more than one statement"));
  CHECK(contains(r.err, "sql.fw:2:"));
  CHECK(contains(r.err, "sql.fw:3:"));
  CHECK(contains(r.err, "not authorized"));
  CHECK(!contains(r.err, "sql.fw:4:"));
  CHECK(Peek(db).image() == before);
}

TEST_CASE("load of a binary file, a directory, a device or a missing file: a clear error, the console goes on") {
  TempDir dir;
  auto db = seeded(dir);
  auto binary = write(dir, "binary.fw", std::string("\x7f" "ELF\0\0\0\x01\x02", 9));
  std::filesystem::create_directory(dir / "folder");
  auto r = fwitter({"--db", db, "--keep-going", "--format", "json", "run",
                    write(dir, "load.fw",
                          "load \"" + binary + "\"\n"
                          "load \"" + (dir / "folder") + "\"\n"
                          "load \"/dev/zero\"\n"
                          "load \"" + (dir / "missing.fw") + "\"\n"
                          "User.count\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "it is a binary file, not a script"));
  CHECK(contains(r.err, "it is a directory"));
  CHECK(contains(r.err, "/dev/zero: not a regular file"));
  CHECK(contains(r.err, "missing.fw: no such file"));
  CHECK(r.out.substr(r.out.size() - 2) == "3\n");  // after the errors (printed as JSON too)
  auto run_dir = fwitter({"--db", db, "run", dir / "folder"});
  CHECK(run_dir.status == 2);
  auto run_binary = fwitter({"--db", db, "run", binary});
  CHECK(run_binary.status == 2);
  CHECK(contains(run_binary.err, "binary file"));
}

TEST_CASE("unknown commands and options are usage errors (exit 2)") {
  TempDir dir;
  auto db = seeded(dir);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"frobnicate"}, {"--frob"}, {"db", "explode"}, {"--format", "xml", "-e", "1"},
        {"run"}, {"--timeout", "soon", "-e", "1"}}) {
    auto with_db = args;
    with_db.insert(with_db.begin(), {"--db", db});
    auto r = fwitter(with_db);
    INFO(args.front());
    CHECK(r.status == 2);
    CHECK(!r.err.empty());
  }
  auto command = fwitter({"--db", db, "-e", "frobnicate on"});
  CHECK(command.status == 1);
}

// ---- Faults of the environment ----

TEST_CASE("a missing directory, a file that is not a database, a truncated one: exit 3 and a clear error") {
  TempDir dir;
  auto missing = fwitter({"--db", dir / "no/such/folder/db.sqlite3", "-e", "User.count"});
  CHECK(missing.status == 3);
  CHECK(contains(missing.err, "unable to open database file"));
  auto text = write(dir, "notes.txt", std::string(8192, 'x'));
  auto not_db = fwitter({"--db", text, "-e", "User.count"});
  CHECK(not_db.status == 3);
  CHECK(contains(not_db.err, "file is not a database"));
  CHECK(fw::test::slurp(text) == std::string(8192, 'x'));  // and left as it was
  // a real database cut in half
  auto db = seeded(dir);
  auto size = std::filesystem::file_size(db);
  REQUIRE(size > 16384);
  std::filesystem::resize_file(db, size / 2);
  auto cut = fwitter({"--db", db, "-e", "Tweet.all.map(&:content).size"});
  CHECK(cut.status == 3);
  CHECK((contains(cut.err, "malformed") || contains(cut.err, "not a database")));
}

TEST_CASE("a read-only database file: the change is refused with a clear error, nothing is written") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  // Root may write any file: as root (CI), the console runs as user nobody
  // (util-linux's setpriv), in a folder nobody may read but not write.
  std::string as_user, binary = FWITTER_BINARY;
  if (geteuid() == 0) {
    chmod(dir.path().c_str(), 0755);
    as_user = "setpriv --reuid=nobody --regid=nogroup --clear-groups";
    // nobody may not reach the build folder (a checkout under /root): then a copy of the binary
    if (std::system((as_user + " test -x " + fw::test::shell_quote(binary)).c_str()) != 0) {
      std::filesystem::copy_file(binary, dir / "fwitter");
      std::filesystem::permissions(dir / "fwitter", std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                        std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                                        std::filesystem::perms::others_exec);
      binary = dir / "fwitter";
    }
    // it is not root: it cannot make a new database in that folder
    auto other = fw::test::run_program(binary, {"--db", dir / "new.sqlite3", "-e", "1"}, "", as_user);
    REQUIRE(other.status == 3);
    REQUIRE(contains(other.err, "unable to open"));
    REQUIRE_FALSE(std::filesystem::exists(dir / "new.sqlite3"));
  }
  chmod(db.c_str(), 0444);
  auto r = fw::test::run_program(binary, {"--db", db, "-e", "tweet user=1 content=\"no\""}, "", as_user);
  chmod(db.c_str(), 0644);
  CHECK(r.status != 0);
  CHECK((contains(r.err, "readonly") || contains(r.err, "unable to open")));
  CHECK(Peek(db).image() == before);
}

// ---- Crash safety ----

TEST_CASE("SIGKILL in the middle of a long script: the database is exactly before or after it") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = Peek(db).image();
  std::string script;
  // Killed at three points of its run, each reached by a line it prints; the
  // script goes on for 60,000 statements after the last, so that no
  // machine finishes it before the signal arrives.
  const int n = 40000;
  const std::vector<int> marks = {100, 2000, 10000};
  for (int i = 0; i < n; ++i) {
    if (std::find(marks.begin(), marks.end(), i) != marks.end()) script += "puts \"at " + std::to_string(i) + "\"\n";
    script += "u = User.create!(username: \"k" + std::to_string(i) + "\", email: \"k" + std::to_string(i) +
              "@example.com\")\ntweet user=(u) content=\"tweet " + std::to_string(i) + "\"\n";
  }
  auto path = write(dir, "long.fw", script);
  for (int mark : marks) {
    Child child(dir, "killed", {"--db", db, "run", path});
    REQUIRE(child.wait_for_output("at " + std::to_string(mark) + "\n"));
    child.signal(SIGKILL);
    int status = child.wait();
    INFO("killed after record " << mark);
    CHECK(status == -SIGKILL);  // not finished before the signal arrived
    Peek after(db);
    CHECK(after.integrity() == "ok");
    CHECK(after.one("PRAGMA foreign_key_check") == "");
    auto users = after.count("users");
    auto all = std::to_string(3 + n);
    CHECK((users == "3" || users == all));
    if (users == "3") CHECK(after.image() == before);
    if (users == all) CHECK(after.count("tweets") == std::to_string(5 + n));
  }
}

// ---- Concurrency ----

namespace {

// `n` processes at once, each adding `tweets` tweets through one script,
// with a busy timeout of `busy_ms`: as the README's Reliability section says,
// each finishes, or ends with exit 3 saying the database is locked, and only
// once it has waited out the busy timeout; every tweet of a finished one is
// there, none of one that ended. Returns how many gave up.
int writers(int n, int busy_ms, int tweets = 40) {
  TempDir dir;
  auto db = seeded(dir);
  std::vector<std::unique_ptr<Child>> children;
  auto started = std::chrono::steady_clock::now();
  for (int p = 0; p < n; ++p) {
    std::string script;
    for (int i = 0; i < tweets; ++i)
      script += "tweet user=" + std::to_string(1 + (p + i) % 3) + " content=\"p" + std::to_string(p) + " " +
                std::to_string(i) + "\"\n";
    auto path = write(dir, "w" + std::to_string(p) + ".fw", script);
    children.push_back(std::make_unique<Child>(dir, "w" + std::to_string(p), std::vector<std::string>{"--db", db, "run", path},
                                               std::vector<std::string>{"FWITTER_BUSY_TIMEOUT_MS=" + std::to_string(busy_ms)}));
  }
  // When each ended, seen as it happens.
  std::vector<double> took(static_cast<size_t>(n), -1);
  REQUIRE(fw::test::wait_until(
      [&] {
        bool all = true;
        for (size_t p = 0; p < children.size(); ++p) {
          if (took[p] < 0 && children[p]->ended())
            took[p] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          all = all && took[p] >= 0;
        }
        return all;
      },
      120));
  int finished = 0;
  Peek peek(db);
  for (int p = 0; p < n; ++p) {
    int status = children[static_cast<size_t>(p)]->wait();
    auto err = children[static_cast<size_t>(p)]->err();
    INFO("process " << p << " exit " << status << " after " << took[static_cast<size_t>(p)] << " s: " << err);
    CHECK((status == 0 || status == 3));
    if (status == 3) {
      CHECK(contains(err, "database is locked"));
      CHECK(took[static_cast<size_t>(p)] >= busy_ms / 1000.0);  // it waited its turn for the whole busy timeout
    }
    std::string mine = peek.one("SELECT COUNT(*) FROM tweets WHERE content LIKE 'p" + std::to_string(p) + " %'");
    CHECK(mine == (status == 0 ? std::to_string(tweets) : "0"));
    finished += status == 0;
  }
  CHECK(peek.integrity() == "ok");
  CHECK(peek.count("tweets") == std::to_string(5 + tweets * finished));
  MESSAGE(n << " writers, busy timeout " << busy_ms << " ms: " << finished << " finished, " << n - finished
            << " gave up");
  return n - finished;
}

}  // namespace

TEST_CASE("two, then eight processes writing one database wait their turn") {
  writers(2, 5000);
  writers(8, 5000);
}

TEST_CASE("eight writers with a tiny busy timeout: some give up, saying the database is locked") {
  CHECK(writers(8, 1, 400) >= 1);
}

TEST_CASE("a session holding begin makes another wait, then fail saying why; after commit it goes on") {
  TempDir dir;
  auto db = seeded(dir);
  Terminal holder({"--db", db}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(holder.wait_for("> "));
  holder.type("begin\n");
  REQUIRE(holder.wait_for("(transaction)> "));
  holder.type("tweet user=1 content=\"held\"\n");
  REQUIRE(holder.wait_for("(transaction)> "));
  // a script: exit 3, with the reason
  auto script = fwitter({"--db", db, "-e", "tweet user=2 content=\"blocked\""}, "", "FWITTER_BUSY_TIMEOUT_MS=300");
  CHECK(script.status == 3);
  CHECK(contains(script.err, "database is locked"));
  CHECK(contains(script.err, "begin"));
  // another console: the statement fails with the reason, the console stays
  Terminal other({"--db", db}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state2"),
                                "FWITTER_BUSY_TIMEOUT_MS=300"});
  REQUIRE(other.wait_for("> "));
  other.type("tweet user=2 content=\"blocked\"\n");
  CHECK(other.wait_for("database is locked"));
  other.type("Tweet.count\n");
  CHECK(other.wait_for("=> 5"));
  holder.type("commit\n");
  REQUIRE(holder.wait_for("> "));
  other.type("tweet user=2 content=\"after\"\n");
  other.type("Tweet.count\n");
  CHECK(other.wait_for("=> 7"));
  other.type("exit\n");
  holder.type("exit\n");
  CHECK(other.exit_status() == 0);
  CHECK(holder.exit_status() == 0);
  CHECK(Peek(db).count("tweets") == "7");
}

// ---- In-memory state follows the database ----

TEST_CASE("a record destroyed or saved inside a statement that failed is as the database has it") {
  TempDir dir;
  auto db = seeded(dir);
  auto r = fwitter({"--db", db, "--keep-going", "--format", "json", "run",
                    write(dir, "memory.fw",
                          "u = user(3)\n"
                          "t = Tweet.new(user: user(1), content: \"rolled back\")\n"
                          "[u.destroy, t.save, nil.frob]\n"
                          "u.destroyed?\n"
                          "t.new_record?\n"
                          "t.id\n"
                          "User.exists?(3)\n"
                          "u.update(email: \"cat2@example.com\")\n"
                          "user(3).email\n")});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "memory.fw:3:"));
  std::string expected = "false\ntrue\nnull\ntrue\ntrue\n\"cat2@example.com\"\n";  // from u.destroyed? on
  REQUIRE(r.out.size() > expected.size());
  CHECK(r.out.substr(r.out.size() - expected.size()) == expected);
}

TEST_CASE("after rollback at the prompt, records destroyed inside the transaction are not destroyed") {
  TempDir dir;
  auto db = seeded(dir);
  Terminal t({"--db", db, "--format", "json"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("> "));
  t.type("u = user(2)\n");
  REQUIRE(t.wait_for("> "));
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("u.destroy\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("rollback\n");
  REQUIRE(t.wait_for("> "));
  t.type("[u.destroyed?, u.persisted?, User.exists?(2)].inspect\n");
  CHECK(t.wait_for("[false, true, true]"));
  t.type("u.update(username: \"bob2\")\n");
  REQUIRE(t.wait_for("> "));
  t.type("User.find(2).username\n");
  CHECK(t.wait_for("\"bob2\""));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

// The console at a terminal with its line editor (libedit), driven through a
// pseudo-terminal as a person types: history kept across sessions, Ctrl-C
// cancelling a half-typed line, Ctrl-D, Tab completion, the prompt, and
// begin/rollback (SPEC section 8).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

using fw::test::TempDir;
using fw::test::Terminal;

// A key typed before the prompt shows reaches the terminal in its own mode,
// between two statements (Ctrl-D and Ctrl-R mean something else there), so
// the tests wait for the prompt before typing one, as a person does.
namespace {

const char* const kUp = "\x1b[A";
const char* const kCtrlC = "\x03";
const char* const kCtrlD = "\x04";

// A database and a home of its own, so the history never touches the real one.
struct Console {
  TempDir dir;
  std::vector<std::string> env() const {
    return {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")};
  }
  Terminal start(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--db", dir / "t.sqlite3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Terminal(args, env());
  }
};

}  // namespace

TEST_CASE("Up recalls the last statement, also in the next session; the history is a file in XDG_STATE_HOME") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    t.type("User.count + 40\n");
    REQUIRE(t.wait_for("=> 43"));
    t.type(std::string(kUp) + "\n");
    CHECK(t.wait_for("=> 43"));
    t.type("exit\n");
    CHECK(t.exit_status() == 0);
  }
  CHECK(fw::test::slurp(c.dir / "state/fwitter/history") == "User.count + 40\nUser.count + 40\nexit\n");
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type(std::string(kUp) + kUp + "\n");
  CHECK(t.wait_for("=> 43"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("a statement typed over several lines comes back from the history as one entry") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    t.type("[1, 2].map do |x|\n");
    REQUIRE(t.wait_for("fwitter*> "));
    t.type("  x * 7\nend\n");
    REQUIRE(t.wait_for("=> [7, 14]"));
    REQUIRE(t.wait_for("fwitter> "));
    t.type(kCtrlD);
    CHECK(t.exit_status() == 0);
  }
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type(std::string(kUp) + "\n");
  CHECK(t.wait_for("=> [7, 14]"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type(kCtrlD);
  CHECK(t.exit_status() == 0);
}

TEST_CASE("Ctrl-C on a half-typed line drops it and leaves a working prompt") {
  Console c;
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type("User.where(username: ");
  t.type(kCtrlC);
  REQUIRE(t.wait_for("User.where(username: ^C\r\nfwitter> "));
  t.type("1 + 1\n");
  CHECK(t.wait_for("=> 2"));
  t.type("[1,\n");  // Ctrl-C at the continuation prompt drops the whole statement
  REQUIRE(t.wait_for("fwitter*> "));
  t.type(kCtrlC);
  REQUIRE(t.wait_for("fwitter> "));
  t.type("2 + 2\n");
  CHECK(t.wait_for("=> 4"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type(kCtrlD);
  CHECK(t.exit_status() == 0);
}

TEST_CASE("Ctrl-D ends the session; its exit status says whether the last statement failed, as irb's does") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    t.type("user(99)\n");
    REQUIRE(t.wait_for("Couldn't find User"));
    REQUIRE(t.wait_for("fwitter> "));
    t.type(kCtrlD);
    CHECK(t.exit_status() == 1);
  }
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type("user(99)\n");
  REQUIRE(t.wait_for("Couldn't find User"));
  t.type("1\n");
  REQUIRE(t.wait_for("=> 1"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type(kCtrlD);
  CHECK(t.exit_status() == 0);
}

TEST_CASE("Tab completes by the type before the dot") {
  Console c;
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type("user(1).\t");
  CHECK(t.wait_for("liked_tweets"));
  CHECK(t.wait_for("fwitter> user(1)."));  // the line is drawn again under the list
  t.type("liked_t\t");
  CHECK(t.wait_for("weets"));
  t.type(".cou\t\n");
  CHECK(t.wait_for("=> 2"));
  t.type("User.whe\t(usern\t\"ann\").count\n");
  CHECK(t.wait_for("=> 1"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("the prompt names the app and shows the sandbox and an open transaction") {
  Console c;
  Terminal t = c.start({"--sandbox"});
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  t.type("begin\n");
  REQUIRE(t.wait_for("fwitter(sandbox)(transaction)> "));
  t.type("User.create!(username: \"zed\", email: \"zed@example.com\"); User.count\n");
  REQUIRE(t.wait_for("=> 4"));
  t.type("rollback\n");
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  t.type("User.count\n");
  CHECK(t.wait_for("=> 3"));
  t.type("rollback\n");
  CHECK(t.wait_for("no transaction is open"));
  std::ofstream(c.dir / "commit.fw") << "commit\n";
  t.type("begin\n");
  REQUIRE(t.wait_for("fwitter(sandbox)(transaction)> "));
  t.type("load \"" + (c.dir / "commit.fw") + "\"\n");  // a script cannot end the prompt's transaction
  CHECK(t.wait_for("commit works at the console's prompt"));
  CHECK(t.wait_for("fwitter(sandbox)(transaction)> "));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("begin ... commit keeps what the statements between did") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    t.type("begin\n");
    REQUIRE(t.wait_for("fwitter(transaction)> "));
    t.type("heart user=2 tweet=5\n");
    t.type("commit\n");
    REQUIRE(t.wait_for("fwitter> "));
    t.type("exit\n");
    CHECK(t.exit_status() == 0);
  }
  auto o = fw::test::fwitter({"--db", c.dir / "t.sqlite3", "-e", "Heart.count"});
  CHECK(o.out == "=> 6\n");
}

TEST_CASE("Ctrl-R searches the history back") {
  Console c;
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type("Tweet.count * 100\n");
  REQUIRE(t.wait_for("=> 500"));
  t.type("1\n");
  REQUIRE(t.wait_for("=> 1"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("\x12Tweet\n\n");
  CHECK(t.wait_for("=> 500"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("with --app the prompt names the app's folder") {
  Console c;
  std::filesystem::create_directories(c.dir / "apps/clinic/db");
  std::filesystem::copy(std::string(FWITTER_SOURCE_DIR) + "/db", c.dir / "apps/clinic/db",
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  Terminal t({"--app", c.dir / "apps/clinic/", "--db", c.dir / "clinic.sqlite3"}, c.env());
  CHECK(t.wait_for("clinic> "));
  t.type("User.count\n");
  CHECK(t.wait_for("=> 0"));  // no seed script in this app
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("leaving with a transaction open rolls it back, and says so") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    t.type("begin\n");
    REQUIRE(t.wait_for("fwitter(transaction)> "));
    t.type("heart user=2 tweet=5\n");
    REQUIRE(t.wait_for("fwitter(transaction)> "));
    t.type("exit\n");
    CHECK(t.wait_for("the open transaction was rolled back"));
    CHECK(t.exit_status() == 0);
  }
  CHECK(fw::test::fwitter({"--db", c.dir / "t.sqlite3", "-e", "Heart.count"}).out == "=> 5\n");
}

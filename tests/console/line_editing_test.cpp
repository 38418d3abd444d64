// The console at a terminal with its line editor (libedit), driven through a
// pseudo-terminal as a person types: history kept across sessions, Ctrl-C
// cancelling a half-typed line, Ctrl-D, Tab completion, the prompt, and
// begin/commit/rollback (docs/statement-language.md, The console).
//
// A key typed before the prompt shows reaches the terminal in its own mode,
// between two statements (Ctrl-D and Ctrl-R mean something else there), so
// the tests wait for the prompt before typing one, as a person does.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

using fw::test::TempDir;
using fw::test::Terminal;

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
  std::string count(const std::string& model) const {
    return fw::test::fwitter({"--db", dir / "t.sqlite3", "-e", model + ".count"}).out;
  }
};

// Types keys ending a statement; true when `shows` and then `prompt` appear.
bool enter(Terminal& t, const std::string& keys, const std::string& shows, const std::string& prompt = "fwitter> ") {
  t.type(keys + "\n");
  return t.wait_for(shows) && t.wait_for(prompt);
}

// Ctrl-D at the prompt; the exit status.
int leave(Terminal& t) {
  t.type(kCtrlD);
  return t.exit_status();
}

}  // namespace

TEST_CASE("Up recalls the last statement, also in the next session; the history is a file in XDG_STATE_HOME") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    REQUIRE(enter(t, "User.count + 40", "=> 43"));
    CHECK(enter(t, kUp, "=> 43"));
    CHECK(leave(t) == 0);
  }
  CHECK(fw::test::slurp(c.dir / "state/fwitter/history") == "User.count + 40\nUser.count + 40\n");
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  CHECK(enter(t, kUp, "=> 43"));
  CHECK(leave(t) == 0);
}

TEST_CASE("a statement typed over several lines comes back from the history as one entry") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    REQUIRE(enter(t, "[1, 2].map do |x|", "", "fwitter*> "));
    REQUIRE(enter(t, "  x * 7\nend", "=> [7, 14]"));
    CHECK(leave(t) == 0);
  }
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  CHECK(enter(t, kUp, "=> [7, 14]"));
  CHECK(leave(t) == 0);
}

TEST_CASE("Ctrl-C on a half-typed line drops it and leaves a working prompt") {
  Console c;
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  t.type(std::string("User.where(username: ") + kCtrlC);
  REQUIRE(t.wait_for("User.where(username: ^C\r\nfwitter> "));
  CHECK(enter(t, "1 + 1", "=> 2"));
  REQUIRE(enter(t, "[1,", "", "fwitter*> "));  // at the continuation prompt: the whole statement goes
  t.type(kCtrlC);
  REQUIRE(t.wait_for("fwitter> "));
  CHECK(enter(t, "2 + 2", "=> 4"));
  CHECK(leave(t) == 0);
}

TEST_CASE("Ctrl-D ends the session; its exit status says whether the last statement failed, as irb's does") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    REQUIRE(enter(t, "user(99)", "Couldn't find User"));
    CHECK(leave(t) == 1);
  }
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  REQUIRE(enter(t, "user(99)", "Couldn't find User"));
  REQUIRE(enter(t, "1", "=> 1"));
  CHECK(leave(t) == 0);
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
  CHECK(enter(t, ".cou\t", "=> 2"));
  CHECK(enter(t, "User.whe\t(usern\t\"ann\").count", "=> 1"));
  CHECK(leave(t) == 0);
}

TEST_CASE("the prompt shows the sandbox and an open transaction; rollback undoes the statements since begin") {
  Console c;
  std::ofstream(c.dir / "commit.fw") << "commit\n";
  Terminal t = c.start({"--sandbox"});
  const std::string in_transaction = "fwitter(sandbox)(transaction)> ";
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  REQUIRE(enter(t, "begin", "", in_transaction));
  REQUIRE(enter(t, "User.create!(username: \"zed\", email: \"zed@example.com\"); User.count", "=> 4", in_transaction));
  REQUIRE(enter(t, "rollback", "", "fwitter(sandbox)> "));
  CHECK(enter(t, "User.count", "=> 3", "fwitter(sandbox)> "));
  CHECK(enter(t, "rollback", "no transaction is open", "fwitter(sandbox)> "));
  REQUIRE(enter(t, "begin", "", in_transaction));
  // a script cannot end the prompt's transaction
  CHECK(enter(t, "load \"" + (c.dir / "commit.fw") + "\"", "commit works at the console's prompt", in_transaction));
  CHECK(leave(t) == 1);  // the last statement failed
}

TEST_CASE("begin ... commit keeps what the statements between did; leaving with one open rolls it back") {
  Console c;
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    REQUIRE(enter(t, "begin", "", "fwitter(transaction)> "));
    REQUIRE(enter(t, "heart user=2 tweet=5", "", "fwitter(transaction)> "));
    REQUIRE(enter(t, "commit", ""));
    CHECK(leave(t) == 0);
  }
  CHECK(c.count("Heart") == "=> 6\n");
  {
    Terminal t = c.start();
    REQUIRE(t.wait_for("fwitter> "));
    REQUIRE(enter(t, "begin", "", "fwitter(transaction)> "));
    REQUIRE(enter(t, "heart user=3 tweet=5", "", "fwitter(transaction)> "));
    t.type("exit\n");
    CHECK(t.wait_for("the open transaction was rolled back"));
    CHECK(t.exit_status() == 0);
  }
  CHECK(c.count("Heart") == "=> 6\n");
}

TEST_CASE("at the prompt, begin alone and transaction open a transaction; begin with Ruby after it is Ruby's begin ... rescue ... end") {
  Console c;
  Terminal t = c.start({"--sandbox"});
  REQUIRE(t.wait_for("fwitter(sandbox)> "));
  // Ruby's begin, over two lines: the first ends in the middle of it, so the prompt reads on
  t.type("begin; Integer(\"x7\")\n");
  REQUIRE(t.wait_for("fwitter(sandbox)*> "));
  REQUIRE(enter(t, "rescue ArgumentError => e; e.class; end", "=> ArgumentError", "fwitter(sandbox)> "));
  // the transaction command, by its own name
  REQUIRE(enter(t, "transaction", "", "fwitter(sandbox)(transaction)> "));
  REQUIRE(enter(t, "rollback", "", "fwitter(sandbox)> "));
  // one line, one value, as irb
  CHECK(enter(t, "a = 1; b = 2; [a, b]", "=> [1, 2]", "fwitter(sandbox)> "));
  CHECK_FALSE(fw::test::contains(t.screen(), "=> 1"));
  CHECK(leave(t) == 0);
}

TEST_CASE("Ctrl-R searches the history back") {
  Console c;
  Terminal t = c.start();
  REQUIRE(t.wait_for("fwitter> "));
  REQUIRE(enter(t, "Tweet.count * 100", "=> 500"));
  REQUIRE(enter(t, "1", "=> 1"));
  CHECK(enter(t, "\x12Tweet", "=> 500"));  // Enter ends the search and runs what it found
  CHECK(leave(t) == 0);
}

TEST_CASE("with --app the prompt names the app's folder") {
  Console c;
  std::filesystem::create_directories(c.dir / "apps/clinic/db");
  std::filesystem::copy(std::string(FWITTER_SOURCE_DIR) + "/db", c.dir / "apps/clinic/db",
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  Terminal t({"--app", c.dir / "apps/clinic/", "--db", c.dir / "clinic.sqlite3"}, c.env());
  REQUIRE(t.wait_for("clinic> "));
  CHECK(enter(t, "User.count", "=> 0", "clinic> "));  // no seed script in this app
  CHECK(leave(t) == 0);
}

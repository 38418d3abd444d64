// A PostgreSQL connection that goes under a console (the server ends the
// session, restarts, or is down) and under a script: the console says what
// was lost and connects again at the next statement, its session intact; a
// script stops, saying how many of its statements were applied, and exactly
// those are in the database.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "storage/database.hpp"
#include "support/child.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"
#include "support/terminal.hpp"

using namespace fw::test;

TEST_CASE("A console whose session the server ends says what was lost, connects again at the next statement, and its session goes on") {
  FW_POSTGRES_DATABASE(address, "reconnect_ended");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  fw::storage::Database admin(address);
  Terminal t({"--db", address}, home_in(dir));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("x = 42\n");
  REQUIRE(t.wait_for("=> 42"));
  t.type("u = User.first\n");
  REQUIRE(t.wait_for("fwitter> "));
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("Tweet.create!(user: u, content: \"in the lost begin\").content\n");
  REQUIRE(t.wait_for("=> \"in the lost begin\""));
  REQUIRE(t.wait_for("> "));

  // Between statements: found before the next one, which then runs.
  end_other_sessions(admin);
  t.type("User.count\n");
  INFO(t.screen());
  REQUIRE(t.wait_for(fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); the open transaction "
                                 "(begin, 1 statement) was rolled back by the server; connecting again",
                                 kEnded)));
  REQUIRE(t.wait_for("=> 3"));
  REQUIRE(t.wait_for("fwitter> "));  // the prompt says no transaction now
  t.type("[x, u.username, Tweet.where(content: \"in the lost begin\").count]\n");
  REQUIRE(t.wait_for("=> [42, \"ann\", 0]"));

  // During a statement: it fails, saying so; the next connects again.
  t.type("Tweet.where(\"pg_sleep(30) IS NOT NULL\").count\n");
  REQUIRE(wait_for_query(address, "pg_sleep(30)"));
  end_other_sessions(admin);
  REQUIRE(t.wait_for(fmt::format("the connection to the PostgreSQL server was lost during this statement ({}): it was "
                                 "not applied; the next statement connects again",
                                 kEnded)));
  t.type("x + 1\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again"));
  REQUIRE(t.wait_for("=> 43"));
  t.type("User.count\n");
  REQUIRE(t.wait_for("=> 3"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);

  // --sandbox: its changes went with the session; a new sandbox begins, and nothing is kept.
  Terminal sandbox({"--db", address, "--sandbox"}, home_in(dir));
  REQUIRE(sandbox.wait_for("fwitter(sandbox)> "));
  sandbox.type("t = Tweet.create!(user: User.first, content: \"sandboxed\")\n");
  REQUIRE(sandbox.wait_for("fwitter(sandbox)> "));
  end_other_sessions(admin);
  sandbox.type("[Tweet.where(content: \"sandboxed\").count, t.new_record?]\n");
  INFO(sandbox.screen());
  REQUIRE(sandbox.wait_for("the sandbox's changes (1 statement) were rolled back by the server, and a new sandbox "
                           "begins; connecting again"));
  REQUIRE(sandbox.wait_for("=> [0, true]"));
  sandbox.type("Tweet.create!(user: User.first, content: \"sandboxed\").content\n");
  REQUIRE(sandbox.wait_for("=> \"sandboxed\""));
  REQUIRE(sandbox.wait_for("fwitter(sandbox)> "));
  sandbox.type("exit\n");
  CHECK(sandbox.exit_status() == 0);
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content = 'sandboxed'") == "0");
}

TEST_CASE("A console survives its PostgreSQL server restarting, and a server that is down says how to check it until it is back") {
  OwnServer server;
  if (!server.installed()) FW_SKIP("PostgreSQL is not installed");
  std::string address = server.set_up("reconnect_restart");
  TempDir dir;
  Terminal t({"--db", address}, home_in(dir));
  INFO(t.screen());
  REQUIRE(t.wait_for("fwitter> "));
  t.type("x = 42\n");
  REQUIRE(t.wait_for("=> 42"));

  // The waits after the server's own steps allow 20 s: the machine's other
  // builds and tests slow a server's start more than the console.
  constexpr double kServerSeconds = 20;
  auto restarted = server.server({"restart", server.dir()});
  REQUIRE_MESSAGE(restarted.status == 0, restarted.err);
  t.type("User.count\n");
  REQUIRE(t.wait_for(fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); nothing was lost; "
                                 "connecting again",
                                 kEnded),
                     kServerSeconds));
  REQUIRE(t.wait_for("=> 3", kServerSeconds));

  auto halted = server.server({"halt", server.dir()});
  REQUIRE_MESSAGE(halted.status == 0, halted.err);
  t.type("User.count\n");
  REQUIRE(t.wait_for("fwitter: the connection to the PostgreSQL server was lost (", kServerSeconds));
  std::string check = fmt::format("is it running? `pg_isready -d reconnect_restart -h {} -p 5439` says; this statement "
                                  "was not run, and the next one tries again",
                                  server.dir());
  REQUIRE(t.wait_for("fwitter: cannot connect to the PostgreSQL server again (", kServerSeconds));
  REQUIRE(t.wait_for(check));
  REQUIRE(t.wait_for("fwitter> "));  // back at the prompt, not trying over and over
  t.type("x\n");
  REQUIRE(t.wait_for(check));
  REQUIRE(t.wait_for("fwitter> "));

  auto started = server.server({"start", server.dir()});
  REQUIRE_MESSAGE(started.status == 0, started.err);
  t.type("[x, User.count]\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again", kServerSeconds));
  REQUIRE(t.wait_for("=> [42, 3]", kServerSeconds));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("A script whose connection is lost stops, saying how many statements were applied: exactly those are in the database") {
  FW_POSTGRES_DATABASE(address, "reconnect_script");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  std::string text;
  for (int i = 1; i <= 20000; ++i) text += fmt::format("Tweet.create!(user_id: 1, content: \"s{}\")\n", i);
  auto script = write(dir, "long.fw", text);
  fw::storage::Database admin(address);
  auto rows = [&] { return std::atoi(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content LIKE 's%'").c_str()); };

  SUBCASE("each statement committed on its own (--no-transaction): those before the loss, none after") {
    Child child(dir, "each", {"--db", address, "--no-transaction", "run", script});
    REQUIRE(wait_until([&] { return rows() >= 50 || child.ended(); }, 30));
    REQUIRE_FALSE(child.ended());
    end_other_sessions(admin);
    CHECK(child.wait() == 3);
    std::string err = child.err();
    INFO(err);
    // (The server's FATAL error, or libpq's "server closed the connection
    // unexpectedly" when it went in the middle of a pipeline.)
    CHECK(contains(err, "fwitter: the connection to the PostgreSQL server was lost ("));
    CHECK(!contains(err, "pipeline mode"));
    auto at = err.find("; the ", err.find(" stopped "));  // long.fw stopped during statement N (line N); the N-1 statements before it ...
    REQUIRE(at != std::string::npos);
    int applied = std::atoi(err.c_str() + at + 6);
    CHECK(contains(err, " statements before it were applied"));
    CHECK(applied >= 50);
    if (contains(err, "whether this one was cannot be known")) CHECK((rows() == applied || rows() == applied + 1));
    else CHECK(rows() == applied);
  }
  SUBCASE("the script one transaction (the default): none of it") {
    Child child(dir, "whole", {"--db", address, "run", script});
    // Once its transaction has written.
    REQUIRE(wait_until([&] {
      return child.ended() || scalar_text(admin, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL") != "0";
    }, 30));
    REQUIRE_FALSE(child.ended());
    end_other_sessions(admin);
    CHECK(child.wait() == 3);
    std::string err = child.err();
    INFO(err);
    CHECK(contains(err, "; none of its statements were applied (the script is one transaction, which the server rolled "
                        "back)"));
    CHECK(rows() == 0);
  }
}

TEST_CASE("SIGKILL in the middle of a script on PostgreSQL: none of it is in the database, and running it again applies all of it once") {
  FW_POSTGRES_DATABASE(address, "reconnect_killed");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    if (i == 100) text += "puts \"at 100\"\n";
    text += fmt::format("Tweet.create!(user_id: 1, content: \"k{}\")\n", i);
  }
  auto script = write(dir, "long.fw", text);
  fw::storage::Database admin(address);
  {
    Child child(dir, "killed", {"--db", address, "run", script});
    REQUIRE(child.wait_for_output("at 100\n"));
    child.signal(SIGKILL);
    CHECK(child.wait() == -SIGKILL);  // not finished before the signal arrived
  }
  // The server ends the session once its socket closes, rolling its transaction back.
  REQUIRE(wait_until(
      [&] {
        return scalar_text(admin, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                             "pg_backend_pid()") == "0";
      },
      10));
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content LIKE 'k%'") == "0");
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets") == "5");
  auto again = fwitter({"--db", address, "run", script});
  REQUIRE_MESSAGE(again.status == 0, again.err);
  CHECK(scalar_text(admin, "SELECT COUNT(DISTINCT content) FROM tweets WHERE content LIKE 'k%'") == "3000");
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content LIKE 'k%'") == "3000");
}

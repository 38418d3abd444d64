// Issue 40's reliability tests on PostgreSQL (the SQLite ones are
// reliability_test.cpp's): Ctrl-C at the prompt and in a script, several
// processes writing one database at once, a session holding begin over a
// row another console writes, and a connection lost while COMMIT is on its
// way, where the console must say that whether it was applied cannot be known.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "support/child.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"
#include "support/terminal.hpp"

using namespace fw::test;

namespace {

std::string psql(const std::string& address, const std::string& sql) {
  auto r = run_program("psql", {"-X", "-q", "-v", "ON_ERROR_STOP=1", address, "-c", sql});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return r.out;
}

}  // namespace

// ---- Ctrl-C ----

TEST_CASE("Ctrl-C at the prompt on PostgreSQL cancels the query on the server, rolls the statement back, and the same connection goes on") {
  FW_POSTGRES_DATABASE(address, "reliability_ctrl_c");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  fw::storage::Database admin(address);
  Terminal t({"--db", address}, home_in(dir));
  INFO(t.screen());
  REQUIRE(t.wait_for("fwitter> "));
  const std::string sleeping = "SELECT pid " + std::string(kOtherSessions) + " AND state = 'active' AND strpos(query, 'pg_sleep(30)') > 0";

  // A statement that wrote, then waits on the server: Ctrl-C cancels the
  // query there (PQcancel), and the statement's tweet is rolled back.
  t.type("[Tweet.create!(user: user(1), content: \"gone\"), Tweet.where(\"pg_sleep(30) IS NOT NULL\").count]\n");
  REQUIRE(wait_for_query(address, "pg_sleep(30)"));
  std::string console = scalar_text(admin, sleeping);
  REQUIRE(!console.empty());
  auto pressed = std::chrono::steady_clock::now();
  t.type("\x03");
  REQUIRE(t.wait_for("error: Interrupt"));
  CHECK(std::chrono::steady_clock::now() - pressed < std::chrono::seconds(5));
  REQUIRE(t.wait_for("fwitter> "));
  // Cancelled on the server, not only no longer waited for.
  CHECK(wait_until([&] { return scalar_text(admin, sleeping).empty(); }));
  t.type("Tweet.where(content: \"gone\").count\n");
  REQUIRE(t.wait_for("=> 0"));

  // A write that is itself the long query: cancelled halfway, nothing of it kept.
  t.type("Tweet.where(\"pg_sleep(30) IS NOT NULL\").update_all(content: \"half\")\n");
  REQUIRE(wait_for_query(address, "pg_sleep(30)"));
  t.type("\x03");
  REQUIRE(t.wait_for("error: Interrupt"));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("[Tweet.count, Tweet.where(content: \"half\").count]\n");
  REQUIRE(t.wait_for("=> [5, 0]"));

  // The same session all along: no reconnecting, and the server knows one
  // session of the console's, the one the first query ran in.
  CHECK(!contains(t.screen(), "connect"));
  CHECK(wait_until([&] { return scalar_text(admin, std::string("SELECT string_agg(pid::text, ',') ") + kOtherSessions) == console; }));
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets") == "5");
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content IN ('gone', 'half')") == "0");
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("Ctrl-C stops a script on PostgreSQL, in an infinite loop or in a long query: the database is as before") {
  FW_POSTGRES_DATABASE(address, "reliability_script_ctrl_c");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  fw::storage::Database admin(address);
  auto before = scalar_text(admin, "SELECT string_agg(id || ':' || content, ',' ORDER BY id) FROM tweets");

  // Both at once (a case's database costs more than a script).
  auto loop = write(dir, "loop.fw", "tweet user=1 content=\"half\"\nputs \"looping\"\nloop do\n  Tweet.count\nend\n");
  auto long_query = write(dir, "long.fw", "tweet user=1 content=\"half\"\nTweet.where(\"pg_sleep(30) IS NOT NULL\").count\n");
  Child looping(dir, "loop", {"--db", address, "run", loop});
  Child waiting(dir, "long", {"--db", address, "run", long_query});
  REQUIRE(looping.wait_for_output("looping"));  // inside the loop, its tweet saved
  REQUIRE(wait_for_query(address, "pg_sleep(30)"));  // inside the long query, its tweet saved
  auto signalled = std::chrono::steady_clock::now();
  looping.signal(SIGINT);
  waiting.signal(SIGINT);
  CHECK(looping.wait() != 0);  // a script has no handler: SIGINT ends the process, as on SQLite
  CHECK(waiting.wait() != 0);
  CHECK(std::chrono::steady_clock::now() - signalled < std::chrono::seconds(5));
  // Their sessions ended with them, their transactions rolled back: nothing
  // of them kept. The server notices a client gone in the middle of a query within
  // a second (client_connection_check_interval): the query does not run on
  // for its 150 s, holding its transaction's locks.
  REQUIRE(no_other_sessions(admin));
  CHECK(scalar_text(admin, "SELECT string_agg(id || ':' || content, ',' ORDER BY id) FROM tweets") == before);
}

// ---- Several writers ----

namespace {

// `n` fwitter processes at once, each a script of `tweets` tweets (its
// `prefix` in their content) and then one increment of a column of user 1,
// a row every one of them writes (so each waits for the one before to
// commit). Each finishes; each one's tweets are there once, and user 1's
// count went up by exactly `n`.
void writers(const std::string& address, const std::string& prefix, int n, int tweets = 40) {
  TempDir dir;
  fw::storage::Database admin(address);
  int score = std::atoi(scalar_text(admin, "SELECT score FROM users WHERE id = 1").c_str());
  std::vector<std::unique_ptr<Child>> children;
  for (int p = 0; p < n; ++p) {
    std::string script;
    for (int i = 0; i < tweets; ++i)
      script += fmt::format("tweet user={} content=\"{}{} {}\"\n", 1 + (p + i) % 3, prefix, p, i);
    script += "User.find(1).increment!(:score)\n";
    auto path = write(dir, fmt::format("w{}.fw", p), script);
    children.push_back(std::make_unique<Child>(dir, fmt::format("w{}", p), std::vector<std::string>{"--db", address, "run", path}));
  }
  for (int p = 0; p < n; ++p) {
    auto& child = *children[static_cast<size_t>(p)];
    int status = child.wait();
    INFO("process " << p << " exit " << status << ": " << child.err());
    CHECK(status == 0);
    CHECK(scalar_text(admin, fmt::format("SELECT COUNT(DISTINCT content) FROM tweets WHERE content LIKE '{}{} %'", prefix, p)) ==
          std::to_string(tweets));
    CHECK(scalar_text(admin, fmt::format("SELECT COUNT(*) FROM tweets WHERE content LIKE '{}{} %'", prefix, p)) ==
          std::to_string(tweets));
  }
  CHECK(scalar_text(admin, fmt::format("SELECT COUNT(*) FROM tweets WHERE content LIKE '{}%'", prefix)) ==
        std::to_string(n * tweets));
  CHECK(scalar_text(admin, "SELECT score FROM users WHERE id = 1") == std::to_string(score + n));
}

}  // namespace

TEST_CASE("two, then eight fwitter processes writing one PostgreSQL database: every row of each lands once") {
  FW_POSTGRES_DATABASE(address, "reliability_writers");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  psql(address, "ALTER TABLE users ADD COLUMN score integer NOT NULL DEFAULT 0");
  writers(address, "two", 2);
  writers(address, "eight", 8);
  fw::storage::Database admin(address);
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets") == std::to_string(5 + 2 * 40 + 8 * 40));
}

TEST_CASE("a console holding begin over a row makes another's write to it wait: past the lock timeout it fails saying so, after commit it goes on") {
  FW_POSTGRES_DATABASE(address, "reliability_held_row");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  fw::storage::Database admin(address);
  auto email = [&] { return scalar_text(admin, "SELECT email FROM users WHERE id = 2"); };
  const std::string was = email();
  auto env = [&](const std::string& name, const std::string& busy) {
    auto e = std::vector<std::string>{"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / name)};
    if (!busy.empty()) e.push_back("FWITTER_BUSY_TIMEOUT_MS=" + busy);
    return e;
  };
  Terminal holder({"--db", address}, env("holder", ""));
  INFO("holder: " << holder.screen());
  REQUIRE(holder.wait_for("fwitter> "));
  holder.type("begin\n");
  REQUIRE(holder.wait_for("(transaction)> "));
  holder.type("User.find(2).update!(email: \"held@x\")\n");
  REQUIRE(holder.wait_for("=> true"));
  REQUIRE(holder.wait_for("(transaction)> "));

  // A script: it waits out the lock timeout (the busy timeout), then stops
  // with exit 3, as on SQLite, with the server's reason as ActiveRecord gives it.
  // (Waited for to a deadline: a script that waited on for ever fails here.)
  auto started = std::chrono::steady_clock::now();
  Child script(dir, "script", {"--db", address, "-e", "User.find(2).update!(email: \"script@x\")"},
               {"FWITTER_BUSY_TIMEOUT_MS=300"});
  REQUIRE(wait_until([&] { return script.ended(); }, 10));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
  INFO("script: " << script.err());
  CHECK(script.wait() == 3);
  CHECK(contains(script.err(), "PG::LockNotAvailable: ERROR:  canceling statement due to lock timeout"));

  // Another console: the statement fails the same way, and the console goes
  // on (reads are not blocked: the row as last committed).
  Terminal quick({"--db", address}, env("quick", "300"));
  INFO("quick: " << quick.screen());
  REQUIRE(quick.wait_for("fwitter> "));
  quick.type("User.find(2).update!(email: \"quick@x\")\n");
  REQUIRE(quick.wait_for("PG::LockNotAvailable: ERROR:  canceling statement due to lock timeout"));
  quick.type("User.find(2).email\n");
  REQUIRE(quick.wait_for(fmt::format("=> \"{}\"", was)));

  // A console with the default timeout (5 s) waits; the holder's commit lets it go on.
  Terminal patient({"--db", address}, env("patient", ""));
  INFO("patient: " << patient.screen());
  REQUIRE(patient.wait_for("fwitter> "));
  patient.type("User.find(2).update!(email: \"patient@x\")\n");
  REQUIRE(wait_until([&] { return scalar_text(admin, std::string("SELECT COUNT(*) ") + kOtherSessions + " AND wait_event_type = 'Lock'") == "1"; }));
  holder.type("commit\n");
  REQUIRE(holder.wait_for("fwitter> "));
  REQUIRE(patient.wait_for("=> true"));
  REQUIRE(patient.wait_for("fwitter> "));  // committed
  CHECK(email() == "patient@x");
  for (Terminal* t : {&holder, &quick, &patient}) {
    t->type("exit\n");
    CHECK(t->exit_status() == 0);
  }
}

// ---- A connection lost while COMMIT is on its way ----

namespace {

// A COMMIT that waits inside the server: a deferred constraint trigger on
// tweets whose content starts with "slow" sleeps when the transaction commits.
void slow_commits(const std::string& address) {
  psql(address,
       "CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; "
       "END $$; CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON tweets DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
       "WHEN (NEW.content LIKE 'slow%') EXECUTE FUNCTION slow_commit()");
}

// Waits until another session is inside a COMMIT (the trigger sleeping),
// then ends it, as a teacher's pg_terminate_backend would.
// (`sessions`: as many, each inside a COMMIT.)
void end_the_commit(fw::storage::Database& admin, int sessions = 1) {
  const std::string committing = std::string(kOtherSessions) + " AND state = 'active' AND upper(query) LIKE 'COMMIT%' AND wait_event = 'PgSleep'";
  std::string n = std::to_string(sessions);
  REQUIRE(wait_until([&] { return scalar_text(admin, "SELECT COUNT(*) " + committing) == n; }, 10));
  REQUIRE(scalar_text(admin, "SELECT COUNT(pg_terminate_backend(pid)) " + committing) == n);
}

}  // namespace

TEST_CASE("a connection lost while a commit typed at the prompt is on its way: the console says whether it was applied cannot be known") {
  FW_POSTGRES_DATABASE(address, "reliability_commit_prompt");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  slow_commits(address);
  TempDir dir;
  fw::storage::Database admin(address);
  Terminal t({"--db", address}, home_in(dir));
  INFO(t.screen());
  REQUIRE(t.wait_for("fwitter> "));
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("Tweet.create!(user_id: 1, content: \"slow at the prompt\").content\n");
  REQUIRE(t.wait_for("=> \"slow at the prompt\""));
  t.type("u = User.find(2); u.update!(email: \"committing@x\")\n");  // two statements
  REQUIRE(t.wait_for("=> true"));
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("commit\n");
  end_the_commit(admin);
  REQUIRE(t.wait_for(fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); whether the transaction "
                                 "(begin, 3 statements) was applied cannot be known: COMMIT was on its way; the next "
                                 "statement connects again",
                                 kEnded)));
  REQUIRE(t.wait_for("fwitter> "));  // the transaction is over, whatever became of it
  // What the database holds is one of the two, whole: here the server ended
  // the session before its COMMIT finished, so none of it.
  REQUIRE(no_other_sessions(admin));
  auto tweets = scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content = 'slow at the prompt'");
  auto emails = scalar_text(admin, "SELECT COUNT(*) FROM users WHERE email = 'committing@x'");
  CHECK(tweets == emails);
  CHECK(tweets == "0");
  t.type("Tweet.where(content: \"slow at the prompt\").count\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again"));
  REQUIRE(t.wait_for("=> " + tweets));

  // One statement at the prompt commits by itself: its COMMIT in doubt is said the same way.
  t.type("Tweet.create!(user_id: 1, content: \"slow alone\").content\n");
  end_the_commit(admin);
  REQUIRE(t.wait_for(fmt::format("the connection to the PostgreSQL server was lost during this statement ({}): its "
                                 "COMMIT was on its way, so whether it was applied cannot be known; the next statement "
                                 "connects again",
                                 kEnded)));
  REQUIRE(t.wait_for("fwitter> "));
  REQUIRE(no_other_sessions(admin));
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content = 'slow alone'") == "0");
  t.type("User.count\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again"));
  REQUIRE(t.wait_for("=> 3"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("a connection lost while a script's COMMIT is on its way: it stops saying whether it was applied cannot be known") {
  FW_POSTGRES_DATABASE(address, "reliability_commit_script");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  slow_commits(address);
  TempDir dir;
  fw::storage::Database admin(address);
  auto script = write(dir, "slow.fw",
                      "tweet user=1 content=\"slow from a script\"\n"
                      "tweet user=2 content=\"also from the script\"\n"
                      "User.find(3).update!(email: \"script@x\")\n");

  // The script as one transaction (the default), and each statement
  // committed on its own (--no-transaction), stopped at its first COMMIT:
  // both at once (a case's database costs more than a script).
  Child whole(dir, "whole", {"--db", address, "run", script});
  Child each(dir, "each", {"--db", address, "--no-transaction", "run", script});
  end_the_commit(admin, 2);
  CHECK(whole.wait() == 3);
  CHECK(each.wait() == 3);
  INFO("one transaction: " << whole.err());
  INFO("--no-transaction: " << each.err());
  CHECK(contains(whole.err(), fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}): ", kEnded)));
  CHECK(contains(whole.err(), "slow.fw stopped while its COMMIT was on its way; whether its 3 statements were applied "
                              "cannot be known; look once the server is back"));
  CHECK(contains(each.err(), "slow.fw stopped during statement 1 (line 1); the 0 statements before it were applied; "
                             "whether this one was cannot be known (its COMMIT was on its way)"));
  // All of each or none (the server ended the sessions before their COMMITs
  // finished: none), and nothing after the statement in doubt.
  REQUIRE(no_other_sessions(admin));
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM tweets WHERE content LIKE '%from%script'") == "0");
  CHECK(scalar_text(admin, "SELECT COUNT(*) FROM users WHERE email = 'script@x'") == "0");
}

TEST_CASE("a commit typed as the server restarts: in doubt while its COMMIT was on its way, rolled back when the server went before it") {
  OwnServer server;
  if (!server.installed()) FW_SKIP("PostgreSQL is not installed");
  std::string address = server.set_up("reliability_restart");
  slow_commits(address);
  TempDir dir;
  Terminal t({"--db", address}, home_in(dir));
  INFO(t.screen());
  REQUIRE(t.wait_for("fwitter> "));
  // The server's own steps get 20 s: the machine's other work slows a server's start more than the console.
  constexpr double kServerSeconds = 20;
  auto count = [&](const char* content) {
    fw::storage::Database admin(address);
    return scalar_text(admin, fmt::format("SELECT COUNT(*) FROM tweets WHERE content = '{}'", content));
  };

  // The COMMIT on its way when the server restarts (a fast shutdown ends each session).
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("Tweet.create!(user_id: 1, content: \"slow as it restarts\").content\n");
  REQUIRE(t.wait_for("=> \"slow as it restarts\""));
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("commit\n");
  {
    fw::storage::Database admin(address);
    const std::string committing =
        std::string(kOtherSessions) + " AND state = 'active' AND upper(query) LIKE 'COMMIT%' AND wait_event = 'PgSleep'";
    REQUIRE(wait_until([&] { return scalar_text(admin, "SELECT COUNT(*) " + committing) == "1"; }, 10));
  }
  auto restarted = server.server({"restart", server.dir()});
  REQUIRE_MESSAGE(restarted.status == 0, restarted.err);
  REQUIRE(t.wait_for(fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); whether the transaction "
                                 "(begin, 1 statement) was applied cannot be known: COMMIT was on its way; the next "
                                 "statement connects again",
                                 kEnded),
                     kServerSeconds));
  REQUIRE(t.wait_for("fwitter> "));
  t.type("Tweet.where(content: \"slow as it restarts\").count\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again", kServerSeconds));
  REQUIRE(t.wait_for("=> 0"));  // the server ended it before its COMMIT finished
  CHECK(count("slow as it restarts") == "0");

  // commit typed once the server has gone: the server rolled the transaction
  // back, which the console can know and says; the commit is not run.
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("Tweet.create!(user_id: 1, content: \"before the halt\").content\n");
  REQUIRE(t.wait_for("=> \"before the halt\""));
  REQUIRE(t.wait_for("(transaction)> "));
  auto halted = server.server({"halt", server.dir()});
  REQUIRE_MESSAGE(halted.status == 0, halted.err);
  t.type("commit\n");
  REQUIRE(t.wait_for(fmt::format("fwitter: the connection to the PostgreSQL server was lost ({}); the open transaction "
                                 "(begin, 1 statement) was rolled back by the server; connecting again",
                                 kEnded),
                     kServerSeconds));
  REQUIRE(t.wait_for("fwitter: cannot connect to the PostgreSQL server again (", kServerSeconds));
  REQUIRE(t.wait_for("this statement was not run, and the next one tries again"));
  REQUIRE(t.wait_for("fwitter> "));  // no transaction open now
  auto started = server.server({"start", server.dir()});
  REQUIRE_MESSAGE(started.status == 0, started.err);
  t.type("Tweet.where(content: \"before the halt\").count\n");
  REQUIRE(t.wait_for("fwitter: connected to the PostgreSQL server again", kServerSeconds));
  REQUIRE(t.wait_for("=> 0"));
  CHECK(count("before the halt") == "0");
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

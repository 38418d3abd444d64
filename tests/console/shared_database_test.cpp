// One database file shared with the learner's server and rake: another
// program writes while the console is open. Between statements the console
// holds no lock; its next statement sees what others committed; a record in
// a variable keeps what it loaded, as in rails console; undo never overwrites
// another program's change; a script beside an ActiveRecord writer loses no
// row on either side. Synchronised by what each program prints, never by sleeps.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "../support/child.hpp"
#include "../support/process.hpp"
#include "../support/skip.hpp"
#include "../support/terminal.hpp"
#include "../support/wait.hpp"
#include "base/value.hpp"
#include "storage/database.hpp"

using fw::test::Child;
using fw::test::contains;
using fw::test::fwitter;
using fw::test::home_in;
using fw::test::seeded;
using fw::test::TempDir;
using fw::test::Terminal;

namespace {

std::string sql(const std::string& db, const std::string& query) {
  fw::storage::Database peek(db, fw::storage::Database::Options{5000, false});
  return fw::value_to_s(peek.scalar({"", query, {}}));
}

// Another program's statement, with a busy timeout too short to wait out a
// lock: it succeeds only if the console holds none.
fw::test::Output other_program(const std::string& db, const std::string& statement) {
  return fwitter({"--db", db, "-e", statement}, "", "FWITTER_BUSY_TIMEOUT_MS=200");
}

}  // namespace

TEST_SUITE("stress") {

TEST_CASE("at the prompt the console holds no lock; its next statement sees another program's rows") {
  TempDir dir;
  auto db = seeded(dir);
  std::string mine = sql(db, "SELECT COUNT(*) FROM tweets WHERE user_id = 1");
  std::string more = std::to_string(std::stoi(mine) + 1);
  Terminal console({"--db", db, "--format", "inspect"}, home_in(dir));
  REQUIRE(console.wait_for("fwitter> "));
  console.type("u = user(1); u.tweets.to_a.size\r");
  REQUIRE(console.wait_for("=> " + mine));
  REQUIRE(console.wait_for("fwitter> "));

  auto wrote = other_program(db, "tweet user=1 content=\"from the server\"");
  CHECK(wrote.status == 0);
  CHECK(wrote.err.empty());

  console.type("Tweet.where(user_id: 1).count\r");  // a new statement: the new row is there
  CHECK(console.wait_for("=> " + more));
  console.type("u.tweets.size\r");  // u loaded its tweets before: rails console shows those
  CHECK(console.wait_for("=> " + mine));
  console.type("u.tweets.count\r");  // count asks the database
  CHECK(console.wait_for("=> " + more));
  console.type("u.reload.tweets.size\r");
  CHECK(console.wait_for("=> " + more));
  REQUIRE(console.wait_for("fwitter> "));
  CHECK(other_program(db, "tweet user=2 content=\"written while the console waits\"").status == 0);
  console.type("exit\r");
  CHECK(console.exit_status() == 0);
}

TEST_CASE("while a long result is in the pager, the statement that wrote it holds no lock") {
  TempDir dir;
  auto db = seeded(dir);
  // A pager that says it is open, then stays open until the test lets it go.
  std::string opened = dir / "opened", go = dir / "go";
  std::string pager = "cat > /dev/null; touch " + opened + "; while [ ! -e " + go + " ]; do sleep 0.01; done";
  auto env = home_in(dir);
  env.push_back("PAGER=" + pager);
  env.push_back("LINES=5");
  Terminal console({"--db", db}, env);
  REQUIRE(console.wait_for("fwitter> "));
  console.type("[Tweet.create!(user: user(1), content: \"written\"), Tweet.all.to_a]\r");
  REQUIRE(fw::test::wait_until([&] { return std::filesystem::exists(opened); }));  // the pager's own signal
  auto wrote = other_program(db, "tweet user=2 content=\"while the pager is open\"");
  CHECK(wrote.status == 0);
  CHECK(sql(db, "SELECT COUNT(*) FROM tweets WHERE content = 'written'") == "1");  // committed before the pager
  std::ofstream(go) << "";
  CHECK(console.wait_for("fwitter> "));
  console.type("exit\r");
  CHECK(console.exit_status() == 0);
}

TEST_CASE("undo refuses to overwrite a row another program changed or deleted since, and changes nothing") {
  TempDir dir;
  auto db = seeded(dir);
  Terminal console({"--db", db}, home_in(dir));
  REQUIRE(console.wait_for("fwitter> "));
  console.type("tweet(1).update(content: \"mine\")\r");
  REQUIRE(console.wait_for("fwitter> "));
  REQUIRE(other_program(db, "Tweet.where(id: 1).update_all(content: \"theirs\")").status == 0);  // updated_at stays
  console.type("undo\r");
  CHECK(console.wait_for("undo cannot revert `tweet(1).update(content: \"mine\")`: the tweets row id=1 was changed "
                         "since, by another program (content is \"theirs\" now, was \"mine\"), so nothing was changed"));
  REQUIRE(console.wait_for("fwitter> "));
  CHECK(sql(db, "SELECT content FROM tweets WHERE id = 1") == "theirs");

  console.type("tweet(2).update(content: \"edited\")\r");
  REQUIRE(console.wait_for("fwitter> "));
  REQUIRE(other_program(db, "tweet(2).destroy").status == 0);
  console.type("undo\r");
  CHECK(console.wait_for("the tweets row id=2 is gone since: another program deleted it, so nothing was changed"));
  REQUIRE(console.wait_for("fwitter> "));
  CHECK(sql(db, "SELECT COUNT(*) FROM tweets WHERE id = 2") == "0");
  console.type("exit\r");
  CHECK(console.exit_status() == 0);
}

TEST_CASE("a script beside an ActiveRecord process writing in a loop: no row lost on either side, errors clear") {
  if (!fw::test::ruby_runs("require 'active_record'; require 'sqlite3'"))
    FW_SKIP("ruby with the activerecord and sqlite3 gems is not installed");
  TempDir dir;
  auto db = seeded(dir);
  std::string before = sql(db, "SELECT COUNT(*) FROM tweets");
  std::string stop = dir / "stop";
  // The server's side: ActiveRecord 6.1 with its default 5 s busy timeout,
  // one INSERT per transaction until told to stop; prints how many it wrote.
  std::ofstream(dir / "writer.rb")
      << "require 'active_record'\n"
         "ActiveRecord::Base.establish_connection(adapter: 'sqlite3', database: ARGV[0], timeout: 5000)\n"
         "class Tweet < ActiveRecord::Base; end\n"
         "Tweet.count\n"
         "puts 'ready'; $stdout.flush\n"
         "n = 0\n"
         "until File.exist?(ARGV[1])\n"
         "  Tweet.create!(user_id: 2, content: \"from ruby #{n}\")\n"
         "  n += 1\n"
         "end\n"
         "puts \"wrote #{n}\"\n";
  Child ruby(dir, "ruby", {dir / "writer.rb", db, stop}, {}, "ruby");
  REQUIRE(ruby.wait_for_output("ready"));

  std::string script;
  for (int i = 0; i < 300; ++i) script += "tweet user=1 content=\"from the console " + std::to_string(i) + "\"\n";
  std::string path = fw::test::write(dir, "many.fw", script);
  int runs = 0, refused = 0;
  bool finished = false;
  while (!finished && runs < 3) {  // as a learner would: a refused script is run again
    ++runs;
    auto r = fwitter({"--db", db, "run", path});
    finished = r.status == 0;
    if (!finished) {
      ++refused;
      CAPTURE(r.err);
      CHECK(r.status == 3);
      CHECK(contains(r.err, "database is locked"));
      CHECK(contains(r.err, "nothing was changed"));
      CHECK(sql(db, "SELECT COUNT(*) FROM tweets WHERE content LIKE 'from the console %'") == "0");
    }
  }
  std::ofstream(stop) << "";
  REQUIRE(ruby.wait() == 0);
  std::string out = ruby.out();
  int written = std::stoi(out.substr(out.find("wrote ") + 6));
  MESSAGE("the script ran " << runs << " times (" << refused << " refused); ruby wrote " << written << " rows");
  CHECK(finished);
  CHECK(written > 0);
  CHECK(sql(db, "PRAGMA integrity_check") == "ok");
  CHECK(sql(db, "SELECT COUNT(*) FROM tweets WHERE content LIKE 'from the console %'") == "300");
  CHECK(sql(db, "SELECT COUNT(*) FROM tweets WHERE content LIKE 'from ruby %'") == std::to_string(written));
  CHECK(sql(db, "SELECT COUNT(*) FROM tweets") == std::to_string(std::stoi(before) + 300 + written));
}

}  // TEST_SUITE

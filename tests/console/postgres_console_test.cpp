// The console on PostgreSQL, through the real binary: --db postgres://, a
// lab's database.yml, the SQL log, explain, transactions, --timeout, and a
// class of consoles on one server at once.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <future>
#include <thread>

#include "support/http.hpp"
#include "support/lab.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"
#include "support/terminal.hpp"

using namespace fw::test;

TEST_CASE("fwitter on PostgreSQL: migrate, seed, the associations, the SQL log with $1 and explain with its plan") {
  FW_POSTGRES_DATABASE(address, "console_fwitter");
  auto migrated = fwitter({"--db", address, "db", "migrate"});
  REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
  CHECK(contains(migrated.out, "0005 create_hearts: migrated"));
  auto seeded = fwitter({"--db", address, "db", "seed"});
  REQUIRE_MESSAGE(seeded.status == 0, seeded.err);

  // The same statements on SQLite, seeded the same way, give the same.
  TempDir dir;
  std::string statements = "[user(1).sent_messages.count, user(1).followers.pluck(:username).sort, "
                           "Tweet.where(user_id: [1, 2]).order(:id).offset(1).limit(1).pluck(:id), "
                           "user(2).liked_tweets.count, Tweet.joins(:hearts).group(:user_id).count.sort.to_h]";
  auto r = fwitter({"--db", address, "--format", "json", "-e", statements});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  auto on_sqlite = fwitter({"--db", dir / "same.sqlite3", "--format", "json", "-e", statements});
  CHECK(r.out == on_sqlite.out);
  CHECK(r.out.rfind("[1,[\"bob\"],[2],", 0) == 0);

  auto logged = fwitter({"--db", address, "--sql", "-e", "User.find(2).username"});
  CHECK(contains(logged.out + logged.err, "SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = $1 LIMIT $2  [[\"id\", 2], [\"LIMIT\", 1]]"));

  auto taken = fwitter({"--db", address, "--format", "json", "-e", "User.create!(username: \"ann\", email: \"x@y\")"});
  CHECK(taken.status != 0);
  CHECK(contains(taken.err, "Validation failed: Username has already been taken"));

  auto explained = fwitter({"--db", address, "-e", "explain user(1).tweets"});
  REQUIRE_MESSAGE(explained.status == 0, explained.err);
  CHECK(contains(explained.out, "plan: finds the rows of users through the index users_pkey"));
  CHECK(contains(explained.out, "Nothing was changed"));

  // Relation#explain, as ActiveRecord 6.1's PostgreSQL adapter prints it: the header centred, a rule, the rows, their count.
  auto relation = fwitter({"--db", address, "-e", "puts User.where(id: 1).explain"});
  REQUIRE_MESSAGE(relation.status == 0, relation.err);
  CHECK(relation.out.rfind("EXPLAIN for: SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = $1 [[\"id\", 1]]\n", 0) == 0);
  CHECK(contains(relation.out, "QUERY PLAN\n---"));
  CHECK(contains(relation.out, " Index Scan using users_pkey on users"));
  CHECK(contains(relation.out, "(2 rows)\n"));

  auto would = fwitter({"--db", address, "-e", "explain user(3).destroy"});
  CHECK(contains(would.out, "Would change:\n"));
  CHECK(contains(would.out, "users: 1 row deleted"));
  CHECK(fwitter({"--db", address, "--format", "json", "-e", "User.exists?(3)"}).out == "true\n");
}

TEST_CASE("fwitter on PostgreSQL: undo puts back what a statement changed, and refuses when another program changed it since") {
  FW_POSTGRES_DATABASE(address, "console_undo");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  TempDir dir;
  auto script = write(dir, "undo.fw",
                      "User.find(2).update!(username: \"bobby\")\n"
                      "undo\n"
                      "User.find(2).username\n"
                      "user(3).destroy\n"
                      "undo\n"
                      "[User.find(3).username, user(3).tweets.count, Heart.where(user_id: 3).count]\n"
                      "Tweet.create!(user: user(1), content: \"gone soon\")\n"
                      "undo\n"
                      "Tweet.where(content: \"gone soon\").count\n"
                      // the rows it wrote, not those of the catalog query undo's journal asked after it
                      "User.where(id: [1, 2]).update_all(updated_at: Time.now)\n");
  auto before = fwitter({"--db", address, "--format", "json", "-e",
                         "[User.find(3).username, user(3).tweets.count, Heart.where(user_id: 3).count]"});
  auto r = fwitter({"--db", address, "--format", "json", "run", script});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() >= 6);
  CHECK(contains(r.out, "\"bob\"\n"));
  CHECK(contains(r.out, before.out));  // the user, their tweets and their hearts are back
  CHECK(lines[lines.size() - 2] == "0");
  CHECK(lines.back() == "2");

  // At the prompt: another program changes the row after the statement; undo names it and changes nothing.
  Terminal t({"--db", address}, home_in(dir));
  REQUIRE(t.wait_for("> "));
  // Another program migrates meanwhile: the statements prepared before are prepared again, and run.
  t.type("User.find(2).username\n");
  REQUIRE(t.wait_for("=> \"bob\""));
  REQUIRE(run_program("psql", {"-X", "-q", address, "-c", "ALTER TABLE users ADD COLUMN nickname varchar"}).status == 0);
  t.type("User.find(2).username\n");
  REQUIRE(t.wait_for("=> \"bob\""));
  t.type("User.find(1).update!(email: \"new@x\")\n");
  REQUIRE(t.wait_for("=> true"));
  REQUIRE(fwitter({"--db", address, "-e", "User.find(1).update!(username: \"other\")"}).status == 0);
  t.type("undo\n");
  INFO(t.screen());
  REQUIRE(t.wait_for("was changed since, by another program (username is \"other\" now, was \"ann\";"));
  REQUIRE(t.wait_for("> "));
  t.type("exit\n");
  CHECK(t.exit_status() >= 0);
  CHECK(fwitter({"--db", address, "--format", "json", "-e", "User.find(1).email"}).out == "\"new@x\"\n");
}

TEST_CASE("fwitter on PostgreSQL: a failed statement does not end the transaction around it; begin, rollback and the sandbox") {
  FW_POSTGRES_DATABASE(address, "console_transactions");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  // A script is one transaction: the statement the server refuses is rolled
  // back to its savepoint, and with --keep-going the rest runs and commits.
  TempDir dir;
  auto script = write(dir, "s.fw",
                      "User.create!(username: \"dee\", email: \"dee@x\")\n"
                      "User.where(\"nope = 1\").count\n"
                      "User.create!(username: \"eve\", email: \"eve@x\")\n");
  auto r = fwitter({"--db", address, "--keep-going", "run", script});
  CHECK(contains(r.err, "PG::UndefinedColumn: ERROR:  column \"nope\" does not exist"));
  auto after = fwitter({"--db", address, "--format", "json", "-e", "User.where(username: %w[dee eve]).count"});
  CHECK(after.out == "2\n");  // (the tests' small world has 3 users: 5 now)

  // At the prompt: inside begin, a statement the server refuses leaves the
  // transaction usable; Ctrl-C cancels a long query; rollback undoes the rest.
  Terminal t({"--db", address}, home_in(dir));
  REQUIRE(t.wait_for("> "));
  t.type("begin\n");
  REQUIRE(t.wait_for("(transaction)> "));
  t.type("User.create!(username: \"fay\", email: \"fay@x\").username\n");
  REQUIRE(t.wait_for("=> \"fay\""));
  t.type("User.where(\"nope = 1\").count\n");
  REQUIRE(t.wait_for("column \"nope\" does not exist"));
  t.type("User.where(\"id = (SELECT 1 FROM pg_sleep(30))\").count\n");
  REQUIRE(wait_for_query(address, "pg_sleep(30)"));  // Ctrl-C once the server runs it
  auto pressed = std::chrono::steady_clock::now();
  t.type("\x03");
  REQUIRE(t.wait_for("Interrupt"));
  CHECK(std::chrono::steady_clock::now() - pressed < std::chrono::seconds(5));
  t.type("User.count\n");
  REQUIRE(t.wait_for("=> 6"));
  t.type("rollback\n");
  REQUIRE(t.wait_for("fwitter> "));
  t.type("User.count\n");
  REQUIRE(t.wait_for("=> 5"));
  REQUIRE(t.wait_for("> "));  // Ctrl-D typed before the prompt can be lost as the terminal's mode changes
  t.type("\x04");
  INFO(t.screen());
  CHECK(t.exit_status() == 0);
  auto sandbox = fwitter({"--db", address, "--sandbox", "--format", "json", "-e", "User.destroy_all.size"});
  CHECK(sandbox.out == "5\n");
  CHECK(fwitter({"--db", address, "--format", "json", "-e", "User.count"}).out == "5\n");
}

TEST_CASE("fwitter on PostgreSQL: --timeout cancels a long query on the server") {
  FW_POSTGRES_DATABASE(address, "console_timeout");
  REQUIRE(fwitter({"--db", address, "db", "migrate"}).status == 0);
  auto started = std::chrono::steady_clock::now();
  auto r = fwitter({"--db", address, "--timeout", "1", "-e", "User.where(\"id = (SELECT 1 FROM pg_sleep(30))\").count"});
  CHECK(r.status != 0);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(15));
  CHECK(contains(r.err, "error: execution expired (the statement ran past --timeout)"));
}

TEST_CASE("A lab whose config/database.yml names PostgreSQL: its Ruby migrations and models, as tux opens them") {
  FW_POSTGRES_DATABASE(address, "console_lab");
  const char* dir = std::getenv("FWITTER_PG_DIR");
  Lab lab;
  std::filesystem::remove(lab.root / "config" / "environment.rb");
  lab.write("config/database.yml", std::string("development:\n  adapter: postgresql\n  database: console_lab\n") +
                                       "  host: " + dir + "\n  port: 5439\n  username: postgres\n");
  auto migrated = lab.run({"db", "migrate"});
  REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
  auto tables = lab.run({"--format", "json", "-e", "User.create!(username: \"ann\", email: \"a@x\", password: \"p\").id"});
  REQUIRE_MESSAGE(tables.status == 0, tables.err);
  CHECK(tables.out == "1\n");
}

TEST_CASE("Thirty consoles on one server at once, as a class: each runs its statements, nothing lost, nobody blocked") {
  FW_POSTGRES_DATABASE(address, "console_class");
  REQUIRE(fwitter({"--db", address, "db", "setup"}).status == 0);
  auto before = fwitter({"--db", address, "--format", "json", "-e", "user(1).hearts.count"});
  REQUIRE(before.status == 0);
  int hearts_before = std::stoi(before.out);
  constexpr int kStudents = 30;
  std::vector<std::future<Output>> runs;
  for (int i = 0; i < kStudents; ++i)
    runs.push_back(std::async(std::launch::async, [&, i] {
      std::string me = "student" + std::to_string(i);
      return fwitter({"--db", address, "--format", "json", "-e",
                      "me = User.create!(username: \"" + me + "\", email: \"" + me + "@class\"); "
                      "t = me.tweets.create!(content: \"hello from " + me + "\"); "
                      "user(1).hearts.create!(tweet: t); me.tweets.count"});
    }));
  int ok = 0;
  for (auto& run : runs) {
    Output r = run.get();
    if (r.status == 0 && r.out == "1\n") ++ok;
    else MESSAGE(std::string(r.out + r.err));
  }
  CHECK(ok == kStudents);
  auto counts = fwitter({"--db", address, "--format", "json", "-e",
                         "[User.where(\"username LIKE 'student%'\").count, user(1).hearts.count]"});
  CHECK(counts.out == fmt::format("[{},{}]\n", kStudents, hearts_before + kStudents));
}

namespace {

// An answer as the comparison sees it: timestamps left out of records, and a
// bcrypt digest (random each run) left out too.
nlohmann::json comparable(nlohmann::json v) {
  if (v.is_object()) {
    for (const char* key : {"created_at", "updated_at", "password_digest"}) v.erase(key);
    for (auto& [key, item] : v.items()) item = comparable(item);
  } else if (v.is_array()) {
    for (auto& item : v) item = comparable(item);
  }
  return v;
}

}  // namespace

TEST_CASE("A lab on PostgreSQL answers as ActiveRecord's PostgreSQL adapter does (scripts/ar-oracle)") {
  FW_POSTGRES_DATABASE(ours, "console_oracle_fwitter");
  FW_POSTGRES_DATABASE(theirs, "console_oracle_activerecord");
  if (!fw::test::ruby_runs("require 'active_record'; require 'pg'; require 'bcrypt'"))
    FW_SKIP("ruby with the activerecord, pg and bcrypt gems is not installed");
  Lab lab;
  REQUIRE(lab.run({"--db", ours, "db", "migrate"}).status == 0);
  REQUIRE(lab.run({"--db", theirs, "db", "migrate"}).status == 0);
  TempDir dir;
  auto script = write(dir, "workload.rb",
                      "User.create!(username: \"Ann\", email: \"ANN@x.org\", password: \"p1\")\n"
                      "User.create!(username: \"bob\", email: \"ann@x.org\", password: \"p2\")\n"
                      "User.create!(username: \"Bob\", email: \"bob@x.org\", password: \"p2\")\n"
                      "Post.create!(title: \"hello world\", content: \"first post here\", user_id: 1)\n"
                      "Post.create!(title: \"\", content: \"x\", user_id: 1)\n"
                      "Post.create!(title: \"second\", content: \"another post\", user_id: 2)\n"
                      "Comment.create!(content: \"nice\", post_id: 1)\n"
                      "Comment.create!(content: \"thanks\", post_id: 1)\n"
                      "Comment.create!(content: \"lost\", post_id: 42)\n"
                      "Post.find(1).comments.pluck(:content)\n"
                      "User.find(1).comments.count\n"
                      "Post.find(1).teaser\n"
                      "User.newest.username\n"
                      "Post.find(2).destroy\n"
                      "Post.create!(title: \"third\", content: \"again\", user_id: 3)\n"
                      "Post.where(user_id: [1, 3]).order(:id).pluck(:id, :title)\n"
                      "User.find(2).authenticate(\"p2\").username\n"
                      "Comment.where(approved: false).count\n"
                      "Post.where(user_id: 99).first\n");
  auto fw = lab.run({"--db", ours, "--format", "json", "--keep-going", "run", script});
  auto ar = run_program(std::string(FWITTER_SOURCE_DIR) + "/scripts/ar-oracle", {lab.root.string(), theirs, script});
  REQUIRE_MESSAGE(ar.status == 0, ar.err);
  auto mine = lines_of(fw.out), reference = lines_of(ar.out);
  REQUIRE(mine.size() == reference.size());
  for (size_t i = 0; i < mine.size(); ++i) {
    auto tab = reference[i].find('\t');
    INFO("statement " << i + 1 << ": fwitter " << mine[i] << ", ActiveRecord " << reference[i]);
    CHECK(comparable(nlohmann::json::parse(mine[i])) == comparable(nlohmann::json::parse(reference[i].substr(tab + 1))));
  }
}

TEST_CASE("A migration with a section of its own for PostgreSQL runs it there, and its SQLite text on SQLite") {
  FW_POSTGRES_DATABASE(address, "console_sections");
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "app" / "db" / "migrate");
  write(dir, "app/db/models.fw", "class Note\nend\n");
  write(dir, "app/db/migrate/0001_create_notes.sql",
        "-- migrate:up\n"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, body text, year text DEFAULT (strftime('%Y', 'now')));\n"
        "-- migrate:up postgresql\n"
        "CREATE TABLE notes (id bigserial PRIMARY KEY, body text, year text DEFAULT to_char(now(), 'YYYY'));\n"
        "-- migrate:down\n"
        "DROP TABLE notes;\n");
  std::string app = (dir.path() / "app").string();
  for (const std::string& db : {address, (dir.path() / "notes.sqlite3").string()}) {
    INFO(db);
    auto migrated = fwitter({"--app", app, "--db", db, "db", "migrate"});
    REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
    auto r = fwitter({"--app", app, "--db", db, "--format", "json", "-e",
                      "Note.create!(body: \"hi\").reload.year.to_i > 2000"});
    CHECK(r.out == "true\n");
    CHECK(fwitter({"--app", app, "--db", db, "db", "rollback"}).status == 0);
  }
}

namespace {

// A Rails lab whose config/database.yml names `database` on the tier's server, as `username`.
Lab rails_lab_on_server(const std::string& database, const std::string& username, const std::string& password = "") {
  Lab lab;
  std::filesystem::remove(lab.root / "config" / "environment.rb");
  lab.write("config/database.yml", fmt::format("default: &default\n  adapter: postgresql\n  encoding: unicode\n"
                                               "  host: {}\n  port: 5439\n  username: {}\n{}\n"
                                               "development:\n  <<: *default\n  database: {}\n",
                                               std::getenv("FWITTER_PG_DIR"), username,
                                               password.empty() ? "" : "  password: " + password + "\n", database));
  return lab;
}

}  // namespace

TEST_CASE("A Rails lab on a server without its database: db setup creates, migrates and seeds it; db drop, db create") {
  FW_POSTGRES_DATABASE(address, "console_tutorial");
  auto dropped = fwitter({"--db", address, "db", "drop"});
  REQUIRE_MESSAGE(dropped.status == 0, dropped.err);
  CHECK(dropped.out == "Dropped database 'console_tutorial'\n");
  Lab lab = rails_lab_on_server("console_tutorial", "postgres");

  auto migrate = lab.run({"db", "migrate"});
  CHECK(migrate.status == 3);
  CHECK(contains(migrate.err, "the server has no database console_tutorial: `fwitter db create` creates it"));

  auto setup = lab.run({"db", "setup"});
  REQUIRE_MESSAGE(setup.status == 0, setup.err);
  CHECK(setup.out.rfind("Created database 'console_tutorial'\n== 1 create_users: migrated\n", 0) == 0);
  auto seeded = lab.run({"--format", "json", "-e", "[User.count, Post.first.user.username]"});
  REQUIRE_MESSAGE(seeded.status == 0, seeded.err);
  CHECK(seeded.out == "[2,\"Ann Lee\"]\n");

  auto exists = lab.run({"db", "create"});
  CHECK(exists.status == 0);
  CHECK(exists.err == "Database 'console_tutorial' already exists\n");
  auto drop = lab.run({"db", "drop"});
  REQUIRE_MESSAGE(drop.status == 0, drop.err);
  CHECK(drop.out == "Dropped database 'console_tutorial'\n");
  CHECK(lab.run({"-e", "1"}).status == 3);
  auto create = lab.run({"db", "create"});
  REQUIRE_MESSAGE(create.status == 0, create.err);
  CHECK(create.out == "Created database 'console_tutorial'\n");
  CHECK(contains(lab.run({"db", "status"}).out, "  down   001             create_users"));

  // db reset drops the database and sets it up again, as rake db:reset
  REQUIRE(lab.run({"-e", "User.create!(username: \"x\", email: \"x@x\", password: \"p\")"}).status == 0);
  auto reset = lab.run({"db", "reset"});
  REQUIRE_MESSAGE(reset.status == 0, reset.err);
  CHECK(reset.out.rfind("Dropped database 'console_tutorial'\nCreated database 'console_tutorial'\n== 1", 0) == 0);
  CHECK(lab.run({"--format", "json", "-e", "User.count"}).out == "2\n");
}

TEST_CASE("A role without CREATEDB is told what to ask for, its password never shown; a server that is down says so") {
  FW_POSTGRES_DATABASE(admin, "console_nocreate_admin");
  auto made = run_program("psql", {"-X", "-q", admin, "-v", "ON_ERROR_STOP=1", "-c",
                                   "DROP DATABASE IF EXISTS console_student_lab", "-c", "DROP ROLE IF EXISTS fw_student",
                                   "-c", "CREATE ROLE fw_student LOGIN PASSWORD 'sekret'"});
  REQUIRE_MESSAGE(made.status == 0, made.err);
  Lab lab = rails_lab_on_server("console_student_lab", "fw_student", "sekret");
  const std::string refused =
      "fwitter: role \"fw_student\" may not create databases (PG::InsufficientPrivilege): ask the teacher for CREATEDB "
      "(ALTER ROLE fw_student CREATEDB) or to create console_student_lab\n";
  auto setup = lab.run({"db", "setup"});
  CHECK(setup.status == 1);
  CHECK(setup.err == refused);
  auto create = lab.run({"db", "create"});
  CHECK(create.status == 1);
  CHECK(create.err == refused);

  // The teacher creates it for the role: setup goes on; reset keeps the database and drops its tables.
  REQUIRE(run_program("psql", {"-X", "-q", admin, "-c", "CREATE DATABASE console_student_lab OWNER fw_student"}).status == 0);
  auto set_up = lab.run({"db", "setup"});
  REQUIRE_MESSAGE(set_up.status == 0, set_up.err);
  CHECK(set_up.out.rfind("== 1 create_users: migrated\n", 0) == 0);
  CHECK(lab.run({"db", "create"}).err == "Database 'console_student_lab' already exists\n");
  auto reset = lab.run({"db", "reset"});
  REQUIRE_MESSAGE(reset.status == 0, reset.err);
  CHECK(contains(reset.err, "this role may not create databases (no CREATEDB), so db reset dropped the tables of "
                            "console_student_lab and kept the database"));
  CHECK(reset.out.rfind("== 1 create_users: migrated\n", 0) == 0);

  lab.write("config/database.yml", "development:\n  adapter: postgresql\n  database: console_student_lab\n"
                                   "  host: /nonexistent\n  username: fw_student\n  password: sekret\n");
  for (const char* command : {"create", "drop", "setup", "reset"}) {
    auto down = lab.run({"db", command});
    INFO(command << ": " << down.err);
    CHECK(down.status == 3);
    CHECK(contains(down.err, "cannot open database"));
    CHECK(contains(down.err, "/nonexistent"));
    CHECK(!contains(setup.err + create.err + reset.err + down.err, "sekret"));
  }
}

TEST_CASE("the browser view on PostgreSQL: the session's changed rows, and a record's associations through its own connection") {
  FW_POSTGRES_DATABASE(address, "console_web");
  REQUIRE(fwitter({"--db", address, "db", "migrate"}).status == 0);
  REQUIRE(fwitter({"--db", address, "db", "seed"}).status == 0);
  TempDir dir;
  Terminal t({"--db", address, "--web", "0"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("fwitter> "));
  std::string screen = t.screen();
  auto at = screen.find("http://127.0.0.1:");
  REQUIRE(at != std::string::npos);
  int port = std::atoi(screen.c_str() + at + 17);
  t.type("Tweet.find(1).update(content: \"edited on PostgreSQL\")\n");
  REQUIRE(t.wait_for("fwitter> "));
  auto items = nlohmann::json::parse(http(port, "GET", "/session.json").body)["items"];
  REQUIRE(items.size() == 1);
  REQUIRE(items[0]["changes"].size() == 1);
  CHECK(items[0]["changes"][0]["table"] == "tweets");
  CHECK(items[0]["changes"][0]["after"]["content"] == "edited on PostgreSQL");
  CHECK(contains(items[0]["queries"].dump(), "$1"));
  auto tweet = nlohmann::json::parse(http(port, "GET", "/Tweet/1.json").body);  // committed: the view's connection sees it
  CHECK(tweet["label"] == "edited on PostgreSQL");
  auto user = nlohmann::json::parse(http(port, "GET", "/User/1.json").body);
  bool followers = false;
  for (const auto& a : user["associations"])
    if (a["name"] == "followers") followers = a["count"].get<int>() > 0 && a["kind"] == "has_many :through";
  CHECK(followers);
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
}

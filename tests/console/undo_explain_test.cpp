// undo, explain, diagram and record through the real binary:
// undo puts a cascade's every row back, explain changes nothing and counts
// what the statement then does, diagrams are drawn for every app.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "../support/process.hpp"
#include "../support/terminal.hpp"
#include "storage/database.hpp"

using fw::test::fwitter;
using fw::test::Output;
using fw::test::slurp;
using fw::test::TempDir;
using fw::test::Terminal;
namespace fs = std::filesystem;

namespace {

// Every table's rows, table by table, as text: a copy to compare against.
std::map<std::string, std::string> dump(const std::string& path) {
  fw::storage::Database db(path);
  std::map<std::string, std::string> out;
  std::vector<std::string> tables;
  db.each({"", "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", {}},
          [&](const fw::storage::Row& row) { tables.push_back(fw::value_to_s(row[0])); });
  for (const auto& table : tables) {
    std::string rows;
    db.each({"", "SELECT * FROM " + fw::storage::quote_identifier(table) + " ORDER BY rowid", {}},
            [&](const fw::storage::Row& row) {
              for (int i = 0; i < row.size(); ++i) rows += fw::value_to_s(row[i]) + "|";
              rows += "\n";
            });
    out[table] = rows;
  }
  return out;
}

std::int64_t count(const std::string& path, const std::string& table) {
  fw::storage::Database db(path);
  return std::get<std::int64_t>(db.scalar({"", "SELECT count(*) FROM " + fw::storage::quote_identifier(table), {}}));
}

// "  tweets: 3 rows deleted" lines of explain's "Would change:" part.
std::map<std::string, int> would_delete(const std::string& out) {
  std::map<std::string, int> deleted;
  std::regex line(R"(\n  (\w+): (\d+) rows? deleted)");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    deleted[(*it)[1]] = std::stoi((*it)[2]);
  return deleted;
}

}  // namespace

TEST_CASE("undo after a cascade puts every row back, table by table") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = dump(db);
  auto destroyed = fwitter({"--db", db, "-e", "user(1).destroy"});
  REQUIRE(destroyed.status == 0);
  auto after_destroy = dump(db);
  CHECK(after_destroy["users"] != before["users"]);
  CHECK(after_destroy["tweets"] != before["tweets"]);
  CHECK(after_destroy["hearts"] != before["hearts"]);

  // again on a fresh database, with undo in the same session
  auto copy = seeded(dir, "copy.sqlite3");
  before = dump(copy);
  auto o = fwitter({"--db", copy, "-e", "user(1).destroy", "-e", "undo"});
  CHECK(o.status == 0);
  CHECK(o.out.find("Reverted `user(1).destroy`:") != std::string::npos);
  CHECK(o.out.find("  users: 1 row put back") != std::string::npos);
  CHECK(o.out.find("  tweets: ") != std::string::npos);
  auto after_undo = dump(copy);
  for (const auto& entry : before) {
    const auto& table = entry.first;  // not [table, rows]: CAPTURE cannot take a structured binding in clang 14
    const auto& rows = entry.second;
    CAPTURE(table);
    CHECK(after_undo[table] == rows);
  }
  CHECK(after_undo.size() == before.size());
}

TEST_CASE("undo three times steps back three statements, saying which changed nothing") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = dump(db);
  std::string script =
      "n = Tweet.count\n"
      "name = user(2).username\n"
      "tweet user=1 content=\"one\"\n"
      "user(2).update(username: \"bobby\")\n"
      "Heart.where(user_id: 1).destroy_all\n"
      "Heart.where(user_id: 1).count\n"
      "undo\n"
      "Heart.where(user_id: 1).count > 0\n"
      "user(2).username\n"
      "undo\n"
      "user(2).username == name\n"
      "Tweet.count == n + 1\n"
      "undo\n"
      "Tweet.count == n\n"
      "undo\n";
  auto o = fwitter({"--db", db}, script);
  CHECK(o.status == 0);
  CHECK(o.out.find("=> 0\n`Heart.where(user_id: 1).count` changed nothing; undoing the statement before it\n"
                   "Reverted `Heart.where(user_id: 1).destroy_all`:\n  hearts: ") != std::string::npos);
  CHECK(o.out.find("=> true\n=> \"bobby\"\n`user(2).username` changed nothing; undoing the statement before it\n"
                   "Reverted `user(2).update(username: \"bobby\")`:\n  users: 1 row changed back\n") != std::string::npos);
  CHECK(o.out.find("=> true\n=> true\n`Tweet.count == n + 1` changed nothing; undoing the statement before it\n"
                   "Reverted `tweet user=1 content=\"one\"`:\n  tweets: 1 row removed\n") != std::string::npos);
  CHECK(o.out.find("=> true\n`Tweet.count == n` changed nothing\nNothing before it to undo.\n") != std::string::npos);
  CHECK(o.out.find("false") == std::string::npos);
  auto after = dump(db);
  after.erase("sqlite_sequence");  // AUTOINCREMENT's counter: ids are never reused
  before.erase("sqlite_sequence");
  CHECK(after == before);
}

TEST_CASE("undo with nothing to undo says so; a rolled back statement is not undone") {
  TempDir dir;
  auto db = seeded(dir);
  auto o = fwitter({"--db", db, "-e", "undo"});
  CHECK(o.status == 0);
  CHECK(o.out == "Nothing to undo.\n");
  o = fwitter({"--db", db, "--keep-going"}, "User.create!(username: \"\")\nundo\nundo extra\n");
  CHECK(o.status == 1);
  CHECK(o.out.find("Nothing to undo.") != std::string::npos);
  CHECK(o.err.find("undo takes nothing") != std::string::npos);
}

TEST_CASE("records held in variables show the undo") {
  TempDir dir;
  auto db = seeded(dir);
  std::string script =
      "u = user(1); name = u.username; nil\n"
      "u.destroy; u.destroyed?\n"
      "undo\n"
      "[u.destroyed?, u.persisted?, u.username == name]\n"
      "u.update(username: \"renamed\")\n"
      "undo\n"
      "u.username == name\n"
      "t = Tweet.create!(user_id: 2, content: \"soon gone\"); t.persisted?\n"
      "undo\n"
      "t.persisted?\n";
  auto o = fwitter({"--db", db}, script);
  CHECK(o.status == 0);
  CHECK(o.out.find("=> true\n`u.destroyed?` changed nothing; undoing the statement before it\nReverted `u.destroy`:\n") !=
        std::string::npos);
  CHECK(o.out.find("=> [false, true, true]\n") != std::string::npos);
  CHECK(o.out.find("users: 1 row changed back\n=> true\n") != std::string::npos);
  CHECK(o.out.find("Reverted `t = Tweet.create!(user_id: 2, content: \"soon gone\")`:\n  tweets: 1 row removed\n=> false\n") !=
        std::string::npos);
}

TEST_CASE("undo refuses a statement that changed a table without a primary key") {
  TempDir dir;
  fs::create_directories(dir.path() / "app" / "db" / "migrate");
  std::ofstream(dir.path() / "app" / "db" / "migrate" / "0001_parts.sql")
      << "-- migrate:up\n"
         "CREATE TABLE parts (id INTEGER PRIMARY KEY AUTOINCREMENT, name varchar);\n"
         "CREATE TABLE assemblies (id INTEGER PRIMARY KEY AUTOINCREMENT, name varchar);\n"
         "CREATE TABLE assemblies_parts (assembly_id integer, part_id integer);\n"
         "CREATE INDEX index_ap_a ON assemblies_parts (assembly_id);\n"
         "CREATE INDEX index_ap_p ON assemblies_parts (part_id);\n"
         "-- migrate:down\nDROP TABLE assemblies_parts; DROP TABLE assemblies; DROP TABLE parts;\n";
  std::ofstream(dir.path() / "app" / "db" / "models.fw")
      << "class Part\n  has_and_belongs_to_many :assemblies\nend\n"
         "class Assembly\n  has_and_belongs_to_many :parts\nend\n";
  std::string script =
      "Part.create!(name: \"bolt\")\nAssembly.create!(name: \"wing\")\n"
      "part(1).assemblies << assembly(1)\nundo\np Assembly.count\n";
  auto o = fwitter({"--app", dir / "app", "--db", dir / "a.sqlite3", "--keep-going"}, script);
  CHECK(o.status == 1);
  CHECK(o.err.find("undo cannot revert `part(1).assemblies << assembly(1)`: it changed assemblies_parts, which has "
                   "no primary key") != std::string::npos);
  CHECK(o.out.find("1\n") != std::string::npos);  // nothing was reverted
  CHECK(count(dir / "a.sqlite3", "assemblies_parts") == 1);
  auto explained = fwitter({"--app", dir / "app", "--db", dir / "a.sqlite3", "-e", "explain part(1).assemblies.delete(assembly(1))"});
  CHECK(explained.out.find("assemblies_parts: changed (no primary key, so not counted)") != std::string::npos);
  CHECK(count(dir / "a.sqlite3", "assemblies_parts") == 1);
}

TEST_CASE("explain of a destroy counts what the destroy then removes, and changes nothing") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = dump(db);
  auto o = fwitter({"--db", db, "-e", "explain user(1).destroy"});
  CHECK(o.status == 0);
  CHECK(dump(db) == before);
  CHECK(o.out.find("Associations:\n  User has_many :tweets, dependent: :destroy\n") != std::string::npos);
  CHECK(o.out.find("  Tweet has_many :hearts, dependent: :destroy\n") != std::string::npos);
  CHECK(o.out.find("User has_many :sent_messages, class_name: \"Message\", foreign_key: \"sender_id\", dependent: "
                   ":destroy") != std::string::npos);
  CHECK(o.out.find("User Load  SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = ? LIMIT ?  [[\"id\", 1], "
                   "[\"LIMIT\", 1]]\n    plan: finds the row of users by its primary key") != std::string::npos);
  CHECK(o.out.find("plan: finds the rows of tweets through the index index_tweets_on_user_id (user_id=?)") !=
        std::string::npos);
  CHECK(o.out.find("Nothing was changed: explain ran it in a savepoint and rolled it back.") != std::string::npos);
  CHECK(o.out.find("    foreign key check: finds the rows of tweets through the index index_tweets_on_user_id") !=
        std::string::npos);
  auto predicted = would_delete(o.out);
  REQUIRE(predicted.count("users"));
  CHECK(predicted["users"] == 1);

  std::map<std::string, std::int64_t> counts;
  for (const auto& [table, rows] : before) counts[table] = count(db, table);
  REQUIRE(fwitter({"--db", db, "-e", "user(1).destroy"}).status == 0);
  for (const auto& entry : counts) {
    const auto& table = entry.first;  // not [table, n]: CAPTURE cannot take a structured binding in clang 14
    const auto& n = entry.second;
    CAPTURE(table);
    auto removed = n - count(db, table);
    CHECK(removed == (predicted.count(table) ? predicted[table] : 0));
  }
}

TEST_CASE("explain tells what would stop a statement: restrict_with_error, a validation, an exception") {
  TempDir dir;
  auto app = fs::path(FWITTER_SOURCE_DIR) / "db" / "examples" / "music";
  auto o = fwitter({"--app", app.string(), "--db", dir / "m.sqlite3", "-e", "explain Genre.first.destroy"});
  CHECK(o.status == 0);
  CHECK(o.out.find("Would be stopped by: Cannot delete record because dependent songs exist (Genre has_many :songs, "
                   "dependent: :restrict_with_error)") != std::string::npos);
  CHECK(o.out.find("Would change: nothing, as it is stopped") != std::string::npos);
  TempDir other;
  auto db = seeded(other);
  o = fwitter({"--db", db, "-e", "explain tweet(1).update(content: \"\")"});
  CHECK(o.out.find("Would be stopped by: Content can't be blank") != std::string::npos);
  o = fwitter({"--db", db, "-e", "explain Tweet.create!(content: \"x\")"});
  CHECK(o.out.find("Would be stopped by: Validation failed: User must exist") != std::string::npos);
  o = fwitter({"--db", db, "-e", "explain user(2).liked_tweets"});
  CHECK(o.out.find("User has_many :liked_tweets, through: :hearts, source: :tweet\n") != std::string::npos);
  CHECK(o.out.find("Tweet Load  SELECT \"tweets\".* FROM \"tweets\" INNER JOIN \"hearts\"") != std::string::npos);
  CHECK(o.out.find("foreign key check") == std::string::npos);
  CHECK(o.out.find("Would change: nothing\n") != std::string::npos);
  o = fwitter({"--db", db, "-e", "explain undo"});
  CHECK(o.status == 1);
  CHECK(o.err.find("explain takes a statement, not the console command undo") != std::string::npos);
}

TEST_CASE("explain after a dry run leaves variables as the database has them") {
  TempDir dir;
  auto db = seeded(dir);
  auto o = fwitter({"--db", db}, "u = user(1)\nexplain u.destroy\n[u.destroyed?, u.persisted?]\n"
                                  "t = tweet(1)\nexplain t.update(content: \"\")\n[t.content.empty?, t.errors.empty?]\n");
  CHECK(o.status == 0);
  CHECK(o.out.find("=> [false, true]\n") != std::string::npos);
  CHECK(o.out.find("Would be stopped by: Content can't be blank") != std::string::npos);
  CHECK(o.out.find("=> [false, true]\n", o.out.find("Content can't be blank")) != std::string::npos);
}

TEST_CASE("diagram: Mermaid with every association labelled, through ones dotted") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "diagram"});
  CHECK(o.status == 0);
  CHECK(o.out.rfind("erDiagram\n", 0) == 0);
  CHECK(o.out.find("    integer user_id FK\n") != std::string::npos);
  CHECK(o.out.find("  User ||--o{ Tweet : \"tweets / user\"\n") != std::string::npos);
  CHECK(o.out.find("  User ||--o{ Message : \"sent_messages / sender\"\n") != std::string::npos);
  CHECK(o.out.find("  User ||--o{ Message : \"received_messages / receiver\"\n") != std::string::npos);
  CHECK(o.out.find("  User }o..o{ Tweet : \"liked_tweets (through hearts)\"\n") != std::string::npos);
  CHECK(o.out.find("  User }o..o{ User : \"followers (through passive_follows)\"\n") != std::string::npos);
  auto console = fwitter({"--db", dir / "t.sqlite3", "-e", "diagram"});
  CHECK(console.out == o.out);
  auto bad = fwitter({"--db", dir / "t.sqlite3", "diagram", "--format", "svg"});
  CHECK(bad.status == 2);
}

TEST_CASE("dot -Tsvg accepts the DOT diagram of every app in db/") {
  std::vector<std::string> apps = {""};
  for (const auto& entry : fs::directory_iterator(fs::path(FWITTER_SOURCE_DIR) / "db" / "examples"))
    apps.push_back(entry.path().string());
  REQUIRE(apps.size() >= 5);
  for (const auto& app : apps) {
    CAPTURE(app);
    TempDir dir;
    std::vector<std::string> args = {"--db", dir / "t.sqlite3", "diagram", "--format", "dot"};
    if (!app.empty()) args.insert(args.begin(), {"--app", app});
    auto o = fwitter(args);
    REQUIRE(o.status == 0);
    std::ofstream(dir / "d.dot") << o.out;
    int status = std::system(("dot -Tsvg " + fw::test::shell_quote(dir / "d.dot") + " -o " +
                              fw::test::shell_quote(dir / "d.svg") + " 2>" + fw::test::shell_quote(dir / "dot.err"))
                                 .c_str());
    CHECK(status == 0);
    CHECK(slurp(dir / "dot.err") == "");
    CHECK(slurp(dir / "d.svg").find("<svg") != std::string::npos);
    if (app.empty()) {
      for (const char* name : {"tweets / user", "sent_messages / sender", "received_messages / receiver",
                               "hearts / user", "active_follows / follower", "passive_follows / followed",
                               "liked_tweets (through hearts)", "following (through active_follows)",
                               "followers (through passive_follows)", "hearts / tweet", "likers (through hearts)"})
        CHECK(o.out.find(std::string("label=\"") + name + "\"") != std::string::npos);
    }
  }
}

TEST_CASE("record writes the session from then on as --echo prints it") {
  TempDir dir;
  auto db = seeded(dir);
  std::string statements = "# who is there\nUser.count\nuser(1).username\nuser(99)\n";
  auto echoed = fwitter({"--db", db, "--echo", "--keep-going"}, statements);
  auto o = fwitter({"--db", db, "--keep-going"},
                   "record \"" + (dir / "handout.txt") + "\"\n" + statements + "record off\np :after\n");
  CHECK(o.status == 1);
  CHECK(o.out.find("Recording to ") == 0);
  auto file = slurp(dir / "handout.txt");
  REQUIRE(file.find('\n') != std::string::npos);
  CHECK(file.rfind("# fwitter transcript", 0) == 0);
  auto body = file.substr(file.find('\n') + 1);
  if (!body.empty() && body[0] == '\n') body.erase(0, 1);  // a blank line after the heading, as between comment blocks
  CHECK(body.find("> User.count\n=> ") != std::string::npos);
  CHECK(body.find("# who is there\n> User.count") != std::string::npos);
  CHECK(body.find("Couldn't find User with 'id'=99") != std::string::npos);
  CHECK(body.find(":after") == std::string::npos);
  CHECK(body.find("record off") == std::string::npos);
  CHECK(body.find('\x1b') == std::string::npos);
  CHECK(echoed.out.find(body.substr(0, body.find("(stdin)"))) == 0);  // up to the error, as --echo printed it
  auto bad = fwitter({"--db", db, "-e", "record off"});
  CHECK(bad.status == 1);
  CHECK(bad.err.find("not recording") != std::string::npos);
}

TEST_CASE("at the console's prompt: destroy, undo, and the user is back; a handout recorded without colour") {
  TempDir dir;
  auto db = seeded(dir);
  auto before = dump(db);
  Terminal t({"--db", db}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("fwitter> "));
  t.type("record \"" + (dir / "session.txt") + "\"\n");
  REQUIRE(t.wait_for("Recording to"));
  t.type("u = user(1)\n");
  REQUIRE(t.wait_for("fwitter> "));
  t.type("explain u.destroy\n");
  CHECK(t.wait_for("Nothing was changed"));
  t.type("u.destroy\n");
  REQUIRE(t.wait_for("fwitter> "));
  t.type("User.exists?(1)\n");
  CHECK(t.wait_for("=> false"));
  t.type("undo\n");
  CHECK(t.wait_for("users: 1 row put back"));
  t.type("u.persisted? && User.exists?(1)\n");
  CHECK(t.wait_for("=> true"));
  t.type("record off\n");
  CHECK(t.wait_for("Stopped recording"));
  t.type("exit\n");
  CHECK(t.exit_status() == 0);
  auto after = dump(db);
  for (const auto& entry : before) {
    const auto& table = entry.first;  // not [table, rows]: CAPTURE cannot take a structured binding in clang 14
    const auto& rows = entry.second;
    CAPTURE(table);
    CHECK(after[table] == rows);
  }
  auto file = slurp(dir / "session.txt");
  CHECK(file.find("> u.destroy\n") != std::string::npos);
  CHECK(file.find("> undo\n`User.exists?(1)` changed nothing; undoing the statement before it\nReverted `u.destroy`:\n") !=
        std::string::npos);
  CHECK(file.find("  users: 1 row put back\n") != std::string::npos);
  CHECK(file.find("=> true\n") != std::string::npos);
  CHECK(file.find('\x1b') == std::string::npos);
}

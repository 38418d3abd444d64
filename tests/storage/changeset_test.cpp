#include <doctest/doctest.h>

#include <map>

#include "storage/changeset.hpp"
#include "storage/query_plan.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

// Every row of a table as text, in primary key order.
std::string dump(Database& db, const std::string& table) {
  std::string out;
  db.each({"", "SELECT * FROM " + quote_identifier(table) + " ORDER BY rowid", {}}, [&](const Row& row) {
    for (int i = 0; i < row.size(); ++i) out += value_to_s(row[i]) + (i + 1 < row.size() ? "," : "\n");
  });
  return out;
}

void make_tables(Database& db) {
  db.exec_script(
      "PRAGMA foreign_keys = ON;"
      "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);"
      "CREATE TABLE tweets (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER REFERENCES users(id), body TEXT);"
      "CREATE INDEX index_tweets_on_user_id ON tweets(user_id);"
      "CREATE TABLE tags_tweets (tag TEXT, tweet_id INTEGER);"
      "INSERT INTO users (name) VALUES ('ann'), ('bob');"
      "INSERT INTO tweets (user_id, body) VALUES (1, 'a'), (1, 'b'), (2, 'c');");
}

TableChanges of(const std::vector<TableChanges>& summary, const std::string& table) {
  for (const auto& t : summary)
    if (t.table == table) return t;
  return {table};
}

}  // namespace

TEST_CASE("ChangeRecorder counts each table's inserted, deleted, updated and nullified rows") {
  Database db(":memory:");
  make_tables(db);
  ChangeRecorder recorder(db);
  db.exec_script("INSERT INTO users (name) VALUES ('cy'); UPDATE tweets SET user_id = NULL WHERE user_id = 1;"
                 "UPDATE users SET name = 'bo' WHERE id = 2; DELETE FROM tweets WHERE id = 3;");
  auto summary = recorder.changeset().summary();
  REQUIRE(summary.size() == 2);
  CHECK(summary[0].table == "users");  // in the order tables first changed
  CHECK(of(summary, "users").inserted == 1);
  CHECK(of(summary, "users").updated == 1);
  CHECK(of(summary, "users").nullified == 0);
  CHECK(of(summary, "tweets").updated == 2);
  CHECK(of(summary, "tweets").nullified == 2);
  CHECK(of(summary, "tweets").deleted == 1);
  CHECK(recorder.untracked_tables().empty());
}

TEST_CASE("A changeset inverted and applied puts every row back, foreign keys and all") {
  Database db(":memory:");
  make_tables(db);
  auto users = dump(db, "users"), tweets = dump(db, "tweets");
  Changeset changes;
  {
    ChangeRecorder recorder(db);
    db.exec_script("DELETE FROM tweets WHERE user_id = 1; DELETE FROM users WHERE id = 1;"
                   "UPDATE tweets SET body = 'changed'; INSERT INTO users (name) VALUES ('dee')");
    changes = recorder.changeset();
  }
  REQUIRE_FALSE(changes.empty());
  CHECK(dump(db, "users") != users);
  auto undo = changes.inverted();
  CHECK(of(undo.summary(), "users").inserted == 1);  // ann put back
  CHECK(of(undo.summary(), "users").deleted == 1);   // dee removed
  CHECK(of(undo.summary(), "tweets").inserted == 2);
  CHECK(of(undo.summary(), "tweets").updated == 1);
  undo.apply(db);
  CHECK(dump(db, "users") == users);
  CHECK(dump(db, "tweets") == tweets);
}

TEST_CASE("A changeset that changed nothing is empty, rolled back changes included") {
  Database db(":memory:");
  make_tables(db);
  ChangeRecorder recorder(db);
  {
    Transaction tx(db);
    db.exec_script("DELETE FROM tweets; INSERT INTO users (name) VALUES ('x'); UPDATE users SET name = 'y'");
  }  // rolled back
  db.each({"", "SELECT * FROM users", {}}, [](const Row&) {});
  CHECK(recorder.changeset().empty());
}

TEST_CASE("Applying a changeset to rows changed since changes nothing and says why") {
  Database db(":memory:");
  make_tables(db);
  Changeset changes;
  {
    ChangeRecorder recorder(db);
    db.exec_script("UPDATE users SET name = 'ann2' WHERE id = 1; DELETE FROM tweets WHERE id = 3");
    changes = recorder.changeset();
  }
  db.exec_script("UPDATE users SET name = 'someone else' WHERE id = 1");
  auto before = dump(db, "tweets");
  CHECK_THROWS_WITH_AS(changes.inverted().apply(db),
                       "the users row id=1 was changed since, by another program (name is \"someone else\" now, was "
                       "\"ann2\"), so nothing was changed",
                       DbError);
  CHECK(dump(db, "tweets") == before);  // the tweet was not put back either
  CHECK(db.scalar({"", "SELECT name FROM users WHERE id = 1", {}}) == Value(std::string("someone else")));
}

TEST_CASE("Applying a changeset names a row deleted since, and one added since where a row would go back") {
  Database db(":memory:");
  make_tables(db);
  Changeset updated, deleted;
  {
    ChangeRecorder recorder(db);
    db.exec_script("UPDATE tweets SET body = 'b2' WHERE id = 2");
    updated = recorder.changeset();
  }
  {
    ChangeRecorder recorder(db);
    db.exec_script("DELETE FROM tweets WHERE id = 3");
    deleted = recorder.changeset();
  }
  db.exec_script("DELETE FROM tweets WHERE id = 2; INSERT INTO tweets (id, user_id, body) VALUES (3, 2, 'new')");
  CHECK_THROWS_WITH_AS(updated.inverted().apply(db),
                       "the tweets row id=2 is gone since: another program deleted it, so nothing was changed", DbError);
  CHECK_THROWS_WITH_AS(deleted.inverted().apply(db),
                       doctest::Contains("the tweets row id=3 was added since, by another program"), DbError);
}

TEST_CASE("A table without a primary key is named as untracked, by every recorder alive") {
  Database db(":memory:");
  make_tables(db);
  ChangeRecorder outer(db);
  {
    ChangeRecorder inner(db);
    db.exec_script("INSERT INTO tags_tweets VALUES ('x', 1); UPDATE users SET name = 'z' WHERE id = 2");
    CHECK(inner.untracked_tables() == std::vector<std::string>{"tags_tweets"});
    CHECK(of(inner.changeset().summary(), "users").updated == 1);
    CHECK(inner.changeset().summary().size() == 1);  // tags_tweets is not in it
  }
  db.exec_script("DELETE FROM tweets WHERE id = 1");
  CHECK(outer.untracked_tables() == std::vector<std::string>{"tags_tweets"});
  CHECK(of(outer.changeset().summary(), "tweets").deleted == 1);
  CHECK(of(outer.changeset().summary(), "users").updated == 1);
}

TEST_CASE("query_plan gives SQLite's plan: a scan, an index search, the primary key") {
  Database db(":memory:");
  make_tables(db);
  int heard = 0;
  db.listen([&](const Query&, std::chrono::microseconds) { ++heard; });
  auto scan = query_plan(db, {"", "SELECT * FROM tweets WHERE body = ?", {{"body", std::string("a")}}});
  REQUIRE(scan.size() == 1);
  CHECK(scan[0].detail == "SCAN tweets");
  auto index = query_plan(db, {"", "SELECT * FROM tweets WHERE user_id = ?", {{"user_id", std::int64_t{1}}}});
  REQUIRE(index.size() == 1);
  CHECK(index[0].detail.find("USING INDEX index_tweets_on_user_id") != std::string::npos);
  auto key = query_plan(db, {"", "SELECT * FROM users WHERE id = ?", {{"id", std::int64_t{1}}}});
  REQUIRE(key.size() == 1);
  CHECK(key[0].detail.find("INTEGER PRIMARY KEY") != std::string::npos);
  CHECK(heard == 0);  // the log hears nothing of a plan
}

TEST_CASE("Changeset::rows gives each row's change with its values before and after, by column name") {
  Database db(":memory:");
  make_tables(db);
  std::vector<RowChange> rows;
  {
    ChangeRecorder recorder(db);
    db.exec_script("UPDATE users SET name = 'anne' WHERE id = 1;"
                   "INSERT INTO users (name) VALUES ('cat');"
                   "DELETE FROM tweets WHERE id = 3;");
    rows = recorder.changeset().rows(db);
  }
  REQUIRE(rows.size() == 3);
  std::map<std::string, const RowChange*> by_table_op;
  for (const auto& r : rows) by_table_op[r.table + std::to_string(static_cast<int>(r.op))] = &r;
  const RowChange* update = by_table_op.at("users" + std::to_string(static_cast<int>(RowChange::Op::Update)));
  CHECK(update->columns == std::vector<std::string>{"id", "name"});  // the key and the changed column only
  CHECK(value_to_s(update->before[1]) == "ann");
  CHECK(value_to_s(update->after[1]) == "anne");
  const RowChange* insert = by_table_op.at("users" + std::to_string(static_cast<int>(RowChange::Op::Insert)));
  CHECK(value_to_s(insert->after[1]) == "cat");
  const RowChange* deleted = by_table_op.at("tweets" + std::to_string(static_cast<int>(RowChange::Op::Delete)));
  CHECK(deleted->columns == std::vector<std::string>{"id", "user_id", "body"});
  CHECK(value_to_s(deleted->before[2]) == "c");
}

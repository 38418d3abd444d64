// Queries asked ahead on PostgreSQL (Driver::read_ahead): the validations'
// lookups sent in one pipeline, each result handed to the very query when it
// is asked, in order; anything else asked first forgets them; one that fails
// leaves the transaction as it was. Through the real binary: a record's
// validations log and answer as before, in one round trip fewer.
#include <doctest/doctest.h>

#include "storage/database.hpp"
#include "storage/dialect.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"

using namespace fw;
using namespace fw::storage;

namespace {

struct Users {
  Database db;
  explicit Users(const std::string& address) : db(address) {
    db.exec_script(postgres_ddl("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, username varchar);"));
    add(db, "ann");
  }
  static void add(Database& on, const std::string& name) {
    on.changes({"User Create", "INSERT INTO \"users\" (\"username\") VALUES (?)", {{"username", name}}});
  }
};

Query named(std::int64_t id) { return {"User Load", "SELECT username FROM users WHERE id = ?", {{"id", id}}}; }
Query counted() { return {"User Count", "SELECT COUNT(*) FROM users", {}}; }

}  // namespace

TEST_CASE("PostgreSQL: queries asked ahead are answered at once, and handed to the same queries asked next") {
  FW_POSTGRES_DATABASE(address, "read_ahead_order");
  Users u(address);
  REQUIRE(u.db.reads_ahead());
  std::vector<std::string> heard;
  u.db.set_logger([&](const Query& q, std::chrono::microseconds) { heard.push_back(q.label); });

  u.db.read_ahead({named(1), counted()});
  Database other(address);
  Users::add(other, "bob");  // after the answers were read: they do not see it
  CHECK(value_to_s(u.db.scalar(named(1))) == "ann");
  CHECK(u.db.scalar(counted()) == Value(std::int64_t{1}));
  CHECK(u.db.scalar(counted()) == Value(std::int64_t{2}));  // asked again: asked now
  CHECK(heard == std::vector<std::string>{"User Load", "User Count", "User Count"});  // the log hears each as asked

  // Another query asked first: what was read ahead is forgotten, and asked when it comes.
  u.db.read_ahead({named(2), counted()});
  Users::add(other, "cy");
  CHECK(u.db.scalar(counted()) == Value(std::int64_t{3}));
  CHECK(value_to_s(u.db.scalar(named(2))) == "bob");
  u.db.read_ahead({named(1), counted()});
  u.db.exec_script("SET search_path TO public");  // a statement between them forgets them too
  Users::add(other, "dee");
  CHECK(u.db.scalar(counted()) == Value(std::int64_t{4}));
}

TEST_CASE("PostgreSQL: a query asked ahead that fails leaves the transaction as it was, and fails when it is asked") {
  FW_POSTGRES_DATABASE(address, "read_ahead_failure");
  Users u(address);
  {
    Transaction open(u.db);
    Users::add(u.db, "bob");
    Query missing{"Nope Load", "SELECT * FROM nope WHERE id = ?", {{"id", std::int64_t{1}}}};
    u.db.read_ahead({counted(), missing});
    CHECK(!u.db.transaction_lost());
    CHECK(u.db.scalar(counted()) == Value(std::int64_t{2}));  // asked again, in the transaction, which still stands
    CHECK_THROWS_WITH_AS(u.db.scalar(missing), doctest::Contains("relation \"nope\" does not exist"), DbError);
  }  // rolled back
  CHECK(u.db.scalar(counted()) == Value(std::int64_t{1}));
}

TEST_CASE("fwitter on PostgreSQL: a record's validations log and answer as on SQLite, their lookups asked at once") {
  FW_POSTGRES_DATABASE(address, "read_ahead_validations");
  auto migrated = test::fwitter({"--db", address, "db", "migrate"});
  REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
  std::string script =
      "user username=\"ann\" email=\"ann@example.com\"\n"
      "user username=\"bob\" email=\"bob@example.com\"\n"
      "tweet user=1 content=\"hello\"\n"
      "heart user=2 tweet=1\n";
  test::TempDir dir;
  auto seeded = test::fwitter({"--db", address, "--sql", "run", test::write(dir, "seed.fw", script)});
  REQUIRE_MESSAGE(seeded.status == 0, seeded.err);
  std::string log = seeded.out + seeded.err;
  auto at = [&](const std::string& text) { return log.find(text); };
  // A heart's lookups, in the order ActiveRecord asks them, then its INSERT.
  auto user = at("User Load"), tweet = at("Tweet Load"), unique = at("Heart Exists?"), insert = at("Heart Create");
  REQUIRE(insert != std::string::npos);
  CHECK(user < tweet);
  CHECK(tweet < unique);
  CHECK(unique < insert);

  auto again = test::fwitter({"--db", address, "-e", "Heart.create!(user_id: 2, tweet_id: 1)"});
  CHECK(again.status != 0);
  CHECK(test::contains(again.err, "Validation failed: Tweet has already been taken"));
  auto nobody = test::fwitter({"--db", address, "-e", "Heart.create!(user_id: 9, tweet_id: 1)"});
  CHECK(nobody.status != 0);
  CHECK(test::contains(nobody.err, "Validation failed: User must exist"));
  auto count = test::fwitter({"--db", address, "-e", "Heart.count"});
  CHECK(test::contains(count.out, "=> 1"));
}

TEST_CASE("PostgreSQL: savepoints go with the statement after them, and roll back as they did") {
  FW_POSTGRES_DATABASE(address, "deferred_savepoints");
  Users u(address);
  u.db.exec_script("CREATE UNIQUE INDEX users_username ON users (username)");
  auto names = [&] { return value_to_s(u.db.scalar({"q", "SELECT string_agg(username, ',' ORDER BY id) FROM users", {}})); };
  {
    Transaction outer(u.db);
    {
      Transaction reading(u.db);  // nothing written under it: never sent, nothing to undo
      CHECK(u.db.scalar(counted()) == Value(std::int64_t{1}));
    }
    {
      Transaction writing(u.db);
      Users::add(u.db, "bob");
      writing.commit();
    }
    {
      Transaction failing(u.db);
      CHECK_THROWS_AS(Users::add(u.db, "ann"), DbError);  // its savepoint was sent with it: rolled back to
    }
    CHECK(!u.db.transaction_lost());
    {
      Transaction undone(u.db);
      Users::add(u.db, "cy");
      {
        Transaction inner(u.db);
        Users::add(u.db, "dee");
        inner.commit();
      }
    }  // rolled back, with what the inner one wrote
    Users::add(u.db, "eve");
    outer.commit();
  }
  CHECK(names() == "ann,bob,eve");
}

TEST_CASE("PostgreSQL: a statement's INSERT sent with its lookups is kept when asked for next, and taken back otherwise") {
  FW_POSTGRES_DATABASE(address, "write_ahead");
  Users u(address);
  u.db.exec_script("CREATE UNIQUE INDEX users_username ON users (username)");
  Query bob{"User Create", "INSERT INTO \"users\" (\"username\") VALUES (?) RETURNING \"id\"", {{"username", std::string("bob")}}};
  // As the model sends it: written only where no user has the name.
  Query bob_if_new{"User Create",
                   "INSERT INTO \"users\" (\"username\") SELECT ? WHERE NOT EXISTS (SELECT 1 FROM users WHERE username = ?) RETURNING \"id\"",
                   {{"username", std::string("bob")}, {"username", std::string("bob")}}};
  auto names = [&] { return value_to_s(u.db.scalar({"q", "SELECT string_agg(username, ',' ORDER BY id) FROM users", {}})); };
  std::vector<std::string> heard;  // (the logger stays set to the end: this outlives it)
  {
    Transaction script(u.db, TransactionLog::Quiet);
    CHECK(!u.db.writes_ahead());  // a failure here would not undo all around it
    Transaction statement(u.db, TransactionLog::Quiet, Undo::WithOuter);
    REQUIRE(u.db.writes_ahead());
    // Something else asked before the INSERT: the row the server wrote is taken back first.
    u.db.read_ahead({named(1), bob}, &bob_if_new);
    CHECK(value_to_s(u.db.scalar(named(1))) == "ann");
    CHECK(u.db.scalar(counted()) == Value(std::int64_t{1}));
    // Asked for next: kept, and its id is the row's; the log shows the INSERT asked.
    u.db.set_logger([&](const Query& q, std::chrono::microseconds) { heard.push_back(q.sql); });
    u.db.read_ahead({named(1), bob}, &bob_if_new);
    CHECK(value_to_s(u.db.scalar(named(1))) == "ann");
    CHECK(u.db.changes(bob) == 1);
    CHECK(heard.back() == "INSERT INTO \"users\" (\"username\") VALUES ($1) RETURNING \"id\"");
    CHECK(value_to_s(Value(u.db.last_insert_id())) ==
          value_to_s(u.db.scalar({"q", "SELECT id FROM users WHERE username = 'bob'", {}})));
    CHECK(names() == "ann,bob");
    // Sent where its condition does not hold, it writes nothing: asked, it is
    // sent as asked, and fails as it would have.
    u.db.read_ahead({named(1), bob}, &bob_if_new);
    CHECK(!u.db.transaction_lost());
    CHECK(value_to_s(u.db.scalar(named(1))) == "ann");
    CHECK_THROWS_WITH_AS(u.db.changes(bob), doctest::Contains("duplicate key"), DbError);
  }  // the statement failed: all around it is undone, as Undo::WithOuter promises
  CHECK(names() == "ann");
}

TEST_CASE("fwitter on PostgreSQL: a seed script's INSERTs sent ahead are each written once, and a failed one stops it with nothing kept") {
  FW_POSTGRES_DATABASE(address, "write_ahead_script");
  auto migrated = test::fwitter({"--db", address, "db", "migrate"});
  REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
  std::string seed =
      "user username=\"ann\" email=\"ann@example.com\"\n"
      "user username=\"bob\" email=\"bob@example.com\"\n"
      "tweet user=1 content=\"hello\"\n"
      "tweet user=2 content=\"hi\"\n"
      "heart user=2 tweet=1\n"
      "heart user=1 tweet=2\n"
      "follow follower=1 followed=2\n";
  test::TempDir dir;
  auto seeded = test::fwitter({"--db", address, "run", test::write(dir, "seed.fw", seed)});
  REQUIRE_MESSAGE(seeded.status == 0, seeded.err);
  // Each row once: ids without gaps, as nothing was written twice nor taken back.
  auto ids = test::fwitter({"--db", address, "-e",
                            "p [User.pluck(:id), Tweet.pluck(:id), Heart.pluck(:id), Heart.pluck(:user_id, :tweet_id), Follow.count]"});
  CHECK(test::contains(ids.out, "[[1, 2], [1, 2], [1, 2], [[2, 1], [1, 2]], 1]"));

  // A heart already there, then one for a tweet that is not: the first stops
  // the script with the validation's message, and none of the script is kept.
  auto failed = test::fwitter({"--db", address, "run",
                               test::write(dir, "again.fw", "tweet user=1 content=\"more\"\nheart user=2 tweet=1\nheart user=1 tweet=9\n")});
  CHECK(failed.status != 0);
  CHECK(test::contains(failed.err, "again.fw:2:1: error: Validation failed: Tweet has already been taken"));
  CHECK(!test::contains(failed.err, "Tweet must exist"));
  auto counts = test::fwitter({"--db", address, "-e", "p [Tweet.count, Heart.count]"});
  CHECK(test::contains(counts.out, "[2, 2]"));

  // At the prompt nothing is sent ahead: a failed create takes no id.
  auto prompt = test::fwitter({"--db", address, "-e", "Heart.create!(user_id: 2, tweet_id: 1) rescue nil; Heart.create!(user_id: 2, tweet_id: 2).id"});
  CHECK(test::contains(prompt.out, "=> 3"));
}

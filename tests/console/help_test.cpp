// help, models, schema and associations (console/help.hpp,
// console/introspection.hpp) through the real binary; every example help
// shows is run on the fwitter app and must succeed.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "../support/process.hpp"
#include "../support/seeded_session.hpp"
#include "console/help.hpp"
#include "lang/vocabulary.hpp"

using fw::test::TempDir;
using fw::test::fwitter;

namespace {

// Runs statements as a script on a fresh seeded database (the session's
// commands work in scripts too).
fw::test::Output run(const std::string& script) {
  TempDir dir;
  std::ofstream(dir / "s.fw") << script;
  return fwitter({"--db", dir / "t.sqlite3", "--keep-going", "run", dir / "s.fw"});
}

}  // namespace

TEST_CASE("every topic's examples run on the fwitter app, or on the example app they name") {
  for (const auto& topic : fw::console::help_topics()) {
    std::string name = topic.name;
    CAPTURE(name);
    std::string script;
    std::map<std::string, std::string> on_apps;  // an example app's name -> its examples
    for (const auto& e : topic.examples)
      (e.app ? on_apps[e.app] : script) += std::string(e.statement) + "\n";
    auto o = run(script);
    CHECK(o.err.find("fwitter: created") == 0);
    CHECK(o.err.find("error") == std::string::npos);
    CHECK(o.status == 0);
    if (o.status != 0) MESSAGE(o.err);
    for (const auto& entry : on_apps) {
      const auto& app = entry.first;  // not [app, statements]: CAPTURE cannot take a structured binding in clang 14
      const auto& statements = entry.second;
      CAPTURE(app);
      TempDir dir;
      std::ofstream(dir / "s.fw") << statements;
      auto r = fwitter({"--app", std::string(FWITTER_SOURCE_DIR) + "/db/examples/" + app, "--db", dir / "t.sqlite3",
                        "--keep-going", "run", dir / "s.fw"});
      CHECK(r.err.find("error") == std::string::npos);
      CHECK(r.status == 0);
      if (r.status != 0) MESSAGE(r.err);
    }
  }
}

TEST_CASE("help associations shows a scoped and a polymorphic association among its examples") {
  std::string text = fw::console::help_text("associations");
  CHECK(text.find("author(1).books    # has_many :books, -> { order(published_at: :desc) }") != std::string::npos);
  CHECK(text.find("picture(1).imageable    # belongs_to :imageable, polymorphic: true") != std::string::npos);
  CHECK(text.find("(fwitter --app db/examples/guides)") != std::string::npos);
}

TEST_CASE("every method's example runs, each on the seed data") {
  fw::test::SeededSession w;
  int examples = 0;
  for (int k = 0; k <= static_cast<int>(fw::lang::Kind::Main); ++k) {
    auto kind = static_cast<fw::lang::Kind>(k);
    for (const auto& m : fw::lang::methods_of(kind)) {
      std::string example = fw::console::method_example(fw::lang::kind_name(kind), m.name);
      if (example.empty()) continue;
      ++examples;
      CAPTURE(example);
      fw::storage::Transaction rolled_back(w.env.db());
      w.err.str("");
      CHECK(w.session->run_script("(example)", example + "\n") == 0);
      CHECK(w.err.str() == "");
    }
  }
  CHECK(examples > 100);
}

TEST_CASE("help: the overview, a topic, a method, and a suggestion for a typo") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "-e", "help"});
  CHECK(o.out.find("associations") != std::string::npos);
  CHECK(o.out.find("schema [Model]") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help associations"});
  CHECK(o.out.find("user(2).liked_tweets") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help command form"});
  CHECK(o.out.find("heart user=2 tweet=5") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help undo"});
  CHECK(o.out.find("a destroy's whole cascade included") != std::string::npos);
  CHECK(o.out.find("explain user(3).destroy") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help where"});
  CHECK(o.out.find("Relation#where: records matching key: value pairs") != std::string::npos);
  CHECK(o.out.find("takes 0 or more arguments; returns a relation") != std::string::npos);
  CHECK(o.out.find("Example: User.where(username: \"ann\")") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help map"});
  CHECK(o.out.find("#map: ") != std::string::npos);
  CHECK(o.out.find("also called collect") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help strftime"});
  CHECK(o.out.find("DateAndTime#strftime: formatted") != std::string::npos);
  CHECK(o.out.find("Example: user(1).created_at.strftime(") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "help asociations"});
  CHECK(o.status == 1);
  CHECK(o.err.find("no help for 'asociations' (`help` lists the topics). Did you mean? associations") != std::string::npos);
}

TEST_CASE("models lists each model with its table and row count") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "--no-color", "-e", "models"}, "", "LANG=C");
  CHECK(o.out.find("| User    | users    |    3 |") != std::string::npos);  // numbers right-aligned
  CHECK(o.out.find("| Heart   | hearts   |    5 |") != std::string::npos);
}

TEST_CASE("schema Heart shows its columns, its foreign keys and its unique index") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "-e", "schema Heart"}, "", "LANG=C");
  CHECK(o.status == 0);
  CHECK(o.out.find("Heart (table hearts)") != std::string::npos);
  CHECK(o.out.find("| user_id    | INTEGER     | NOT NULL |") != std::string::npos);
  CHECK(o.out.find("index_hearts_on_user_id_and_tweet_id (user_id, tweet_id) UNIQUE") != std::string::npos);
  CHECK(o.out.find("index_hearts_on_user_id (user_id)\n") != std::string::npos);
  CHECK(o.out.find("user_id -> users.id") != std::string::npos);
  CHECK(o.out.find("tweet_id -> tweets.id") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "schema Hart"});
  CHECK(o.err.find("no model named 'Hart'. Did you mean? Heart") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "schema"});
  CHECK(o.out.find("User (table users)") != std::string::npos);
  CHECK(o.out.find("Follow (table follows)") != std::string::npos);
}

TEST_CASE("associations [Model]: every reflection with its options and its inverse") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "-e", "associations User"}, "", "LANG=C COLUMNS=200");
  CHECK(o.status == 0);
  CHECK(o.out.find("| tweets            | has_many | Tweet   | user_id     |                 |          | destroy   | Tweet#user       |\n") != std::string::npos);
  CHECK(o.out.find("| sent_messages     | has_many | Message | sender_id   |") != std::string::npos);
  CHECK(o.out.find("Message#sender") != std::string::npos);
  CHECK(o.out.find("| liked_tweets      | has_many | Tweet   |             | hearts          | tweet    |") != std::string::npos);
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "associations Heart"}, "", "LANG=C COLUMNS=200");
  CHECK(o.out.find("| user  | belongs_to | User  | user_id     |") != std::string::npos);
  CHECK(o.out.find("User#hearts") != std::string::npos);
  // with no model, every model's, a model column first
  o = fwitter({"--db", dir / "t.sqlite3", "-e", "associations"}, "", "LANG=C");
  CHECK(o.status == 0);
  CHECK(o.out.find("| model   | name ") != std::string::npos);
  CHECK(o.out.find("| User    | tweets            | has_many   | Tweet   | user_id     |") != std::string::npos);
  CHECK(o.out.find("| Heart   | user              | belongs_to | User    | user_id     |") != std::string::npos);
}

TEST_CASE("load runs a script inside the session; a failing one keeps nothing") {
  TempDir dir;
  std::ofstream(dir / "good.fw") << "x = 41\nheart user=2 tweet=5\n";
  std::ofstream(dir / "bad.fw") << "heart user=3 tweet=2\nuser(99)\n";
  auto o = fwitter({"--db", dir / "t.sqlite3", "--keep-going", "-e",
                    "load \"" + (dir / "good.fw") + "\"", "-e", "Heart.count", "-e", "x + 1", "-e",
                    "load \"" + (dir / "bad.fw") + "\"", "-e", "Heart.count"});
  CHECK(o.out.find("=> 41\n") == 0);  // a loaded script prints its results as a script run does
  CHECK(o.out.find("1 row\n=> 6\n=> 42\n") != std::string::npos);
  CHECK(o.out.substr(o.out.size() - 5) == "=> 6\n");  // the bad script's heart is gone
  CHECK(o.err.find("bad.fw:2:1: error: Couldn't find User with 'id'=99") != std::string::npos);
  CHECK(o.err.find("stopped; nothing it did was kept") != std::string::npos);
}

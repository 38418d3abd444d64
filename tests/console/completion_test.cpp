// Tab completion (console/completion.hpp): what it offers by the type of the
// receiver before the dot, inside where( and pluck(, and at the start of a
// line; and that learning a receiver's type never writes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "../support/seeded_session.hpp"
#include "console/commands.hpp"
#include "console/completion.hpp"
#include "console/printer.hpp"
#include "lang/vocabulary.hpp"

using fw::console::Completer;

namespace {

struct World : fw::test::SeededSession {
  Completer completer{*session};

  void run(const std::string& text) { REQUIRE(session->run_script("(test)", text) == 0); }
  std::vector<std::string> offers(const std::string& line) { return completer.complete(line).candidates; }
  bool offers(const std::string& line, const std::string& name) {
    auto c = offers(line);
    return std::find(c.begin(), c.end(), name) != c.end();
  }
};

}  // namespace

TEST_CASE("after a record: its columns, associations, delegations, predicates and the record methods") {
  World w;
  CHECK(w.offers("user(1).", "liked_tweets"));
  CHECK(w.offers("user(1).", "username"));
  CHECK(w.offers("user(1).", "username?"));
  CHECK(w.offers("user(1).", "save"));
  CHECK(w.offers("user(1).", "inspect"));  // Object's table
  CHECK_FALSE(w.offers("user(1).", "where"));
  CHECK(w.offers("tweet(1).", "username"));  // delegate :username, to: :user
  CHECK(w.offers("tweet(1).user.", "liked_tweets"));
  CHECK(w.completer.complete("x = user(1).liked_t").candidates == std::vector<std::string>{"liked_tweets"});
  CHECK(w.completer.complete("user(1).liked_t").word == "liked_t");
}

TEST_CASE("after a model class: class methods, scopes and relation methods; after an association: relation methods") {
  World w;
  CHECK(w.offers("User.", "where"));
  CHECK(w.offers("User.", "column_names"));
  CHECK_FALSE(w.offers("User.", "username"));
  CHECK(w.offers("user(1).tweets.", "where"));
  CHECK(w.offers("user(1).tweets.", "pluck"));
  CHECK_FALSE(w.offers("user(1).tweets.", "column_names"));
  CHECK_FALSE(w.offers("user(1).tweets.", "content"));
  CHECK(w.offers("User.where(username: \"ann\").first.", "tweets"));  // Relation#first returns a record
  CHECK(w.offers("User.find_by(username: \"ann\")&.", "tweets"));
  CHECK(w.offers("\"text\".", "upcase"));
  CHECK(w.offers("user(1).username.", "upcase"));  // a string column
  CHECK(w.offers("user(1).created_at.", "strftime"));  // a datetime column: a TimeWithZone
  CHECK(w.offers("user(1).created_at.", "hour"));
  CHECK_FALSE(w.offers("user(1).created_at.", "upcase"));
  CHECK(w.offers("Time.", "now"));
  CHECK(w.offers("Date.", "today"));
}

TEST_CASE("after a variable: what its value answers to") {
  World w;
  w.run("u = user(2)\nnames = User.pluck(:username)\n");
  CHECK(w.offers("u.", "liked_tweets"));
  CHECK(w.offers("names.", "join"));
  CHECK_FALSE(w.offers("names.", "liked_tweets"));
  CHECK(w.offers("u.tweets.", "where"));
}

TEST_CASE("a receiver the tables cannot type is evaluated, rolled back, and only when it reads") {
  World w;
  w.run("list = [user(1), user(2)]\n");
  CHECK(w.offers("list.first.", "liked_tweets"));  // Array#first returns any value: evaluated
  CHECK(w.offers("User.all.to_a.last.", "following"));
  CHECK(w.offers("User.create(username: \"zed\", email: \"z@example.com\").to_a.").empty());
  CHECK(w.offers("[User.create!(username: \"zed\", email: \"z@example.com\")].first.").empty());
  w.run("c = User.count\n");
  CHECK(*w.session->interpreter().variable("c")->get<std::int64_t>() == 3);  // nothing was created
  w.run("v = 5\n");
  CHECK(w.offers("_.").size() > 0);
  CHECK(w.session->interpreter().variable("_")->get<std::int64_t>());  // completion left _ alone
}

TEST_CASE("inside where( find_by( order( pluck(: column names") {
  World w;
  CHECK(w.completer.complete("User.where(usern").candidates == std::vector<std::string>{"username:"});
  CHECK(w.completer.complete("User.pluck(:id, :usern").candidates == std::vector<std::string>{":username"});
  CHECK(w.offers("Tweet.where(", "user:"));  // a belongs_to association as a condition
  CHECK(w.offers("user(1).tweets.order(", "created_at:"));
  CHECK(w.offers("user(1).tweets.order(:", ":created_at"));
  CHECK(w.offers("User.find_by(", "email:"));
  CHECK(w.offers("User.includes(:", ":liked_tweets"));
}

TEST_CASE("what a method's row says it takes is what completes inside its parentheses") {
  World w;
  using namespace fw::lang;
  int rows = 0;
  for (const auto& m : methods_of(Kind::Relation)) {
    std::string line = std::string("User.") + m.name + "(";
    CAPTURE(line);
    if (m.traits & kTakesAssociations) {
      CHECK(w.offers(line, ":tweets"));
    } else if (m.traits & (kTakesPairs | kTakesAttributes)) {
      CHECK(w.offers(line, "username:"));
      CHECK(w.offers(line + ":", ":username"));
    } else if (m.traits & kTakesColumns) {
      CHECK(w.offers(line, ":username"));
    } else {
      CHECK_FALSE(w.offers(line, "username:"));
      CHECK_FALSE(w.offers(line, ":username"));
      continue;
    }
    ++rows;
  }
  CHECK(rows >= 20);
  CHECK(w.offers("Tweet.create(", "user:"));        // attributes: belongs_to associations too
  CHECK_FALSE(w.offers("Tweet.update_all(", "user:"));  // one UPDATE of columns only
  CHECK(w.offers("Tweet.update_all(", "user_id:"));
}

TEST_CASE("only a method whose row says it reads is run to learn a receiver's type") {
  World w;
  w.run("t = user(1).tweets.count\n");
  std::int64_t before = *w.session->interpreter().variable("t")->get<std::int64_t>();
  CHECK(w.offers("user(1).tweets.destroy_all.first.").empty());  // typing it would run destroy_all
  CHECK(w.offers("user(1).tweets.to_a.first.", "hearts"));
  w.run("t = user(1).tweets.count\n");
  CHECK(*w.session->interpreter().variable("t")->get<std::int64_t>() == before);
}

TEST_CASE("at the start of a line: models, variables, functions, console commands and Kernel names") {
  World w;
  w.run("user_count = 3\ndef greet(n)\n  n\nend\n");
  CHECK(w.offers("", "User"));
  CHECK(w.offers("", "heart"));  // user(1) and the command form
  CHECK(w.offers("", "user_count"));
  CHECK(w.offers("", "greet"));
  CHECK(w.offers("", "schema"));
  CHECK(w.offers("", "puts"));
  CHECK_FALSE(w.offers("x = ", "schema"));  // commands only start a statement
  CHECK(w.offers("schema He", "Heart"));
  CHECK(w.offers("help assoc", "associations"));
  CHECK(w.offers("help wh", "where"));
  CHECK(w.offers("format j", "json"));
}

// ---- One source: what completion offers comes from the command table and
// the language's method tables, so a row added to either is completed. ----

namespace {

bool offered_name(const std::string& name) {  // completion offers names, not operators nor __send__
  return !name.empty() && (std::isalnum(static_cast<unsigned char>(name[0])) || name[0] == '_') && name.rfind("__", 0) != 0;
}

}  // namespace

TEST_CASE("every command of the table completes at the start of a line, from its first letters") {
  World w;
  for (const auto& c : fw::console::commands()) {
    CAPTURE(c.name);
    std::string name = c.name;
    CHECK(w.offers("", name));
    CHECK(w.offers(name.substr(0, 2), name));
    CHECK(w.offers("help " + name.substr(0, 2), name));  // help explains each command
  }
}

TEST_CASE("after a command, what its row says it completes") {
  World w;
  using fw::console::Completes;
  for (const auto& c : fw::console::commands()) {
    CAPTURE(c.name);
    std::string head = std::string(c.name) + " ";
    switch (c.completes) {
      case Completes::ModelNames:
        for (const auto& m : w.session->app().models()) CHECK(w.offers(head, m->name));
        break;
      case Completes::Formats:
        for (const auto& f : fw::console::formats()) CHECK(w.offers(head, f));
        break;
      case Completes::OnOff:
        CHECK(w.offers(head) == std::vector<std::string>{"off", "on"});
        break;
      case Completes::HelpTopics:
        CHECK(w.offers(head, "where"));
        CHECK(w.offers(head, "schema"));
        break;
      case Completes::Files:
      case Completes::Nothing:
        CHECK(w.offers(head).empty());
        break;
    }
  }
}

TEST_CASE("every method name of a table completes after a value of its kind, and help completes it too") {
  World w;
  using fw::lang::Kind;
  for (Kind kind : {Kind::String, Kind::Array, Kind::Hash, Kind::Integer, Kind::Symbol}) {
    std::string receiver = kind == Kind::String  ? "\"x\"."
                           : kind == Kind::Array ? "[1]."
                           : kind == Kind::Hash  ? "{a: 1}."
                           : kind == Kind::Integer ? "1."
                                                   : ":x.";
    auto offered = w.offers(receiver);
    auto topics = w.offers("help ");
    for (const auto& method : fw::lang::methods_of(kind)) {
      std::string name = method.name;
      if (!offered_name(name)) continue;
      CAPTURE(receiver);
      CAPTURE(name);
      CHECK(std::find(offered.begin(), offered.end(), name) != offered.end());
      CHECK(std::find(topics.begin(), topics.end(), name) != topics.end());
    }
  }
}

TEST_CASE("a command whose row completes files: the folder's entries, once its quote is open") {
  World w;
  fw::test::TempDir dir;
  std::ofstream(dir / "seed.fw") << "1\n";
  std::ofstream(dir / "second.fw") << "2\n";
  std::ofstream(dir / ".hidden.fw") << "3\n";
  std::filesystem::create_directory(dir / "scripts");
  std::string folder = dir.path().string() + "/";
  auto c = w.completer.complete("load \"" + folder + "se");
  CHECK(c.word == "se");
  CHECK(c.candidates == std::vector<std::string>{"second.fw", "seed.fw"});
  CHECK(w.offers("load '" + folder) == std::vector<std::string>{"scripts/", "second.fw", "seed.fw"});
  CHECK(w.offers("record \"" + folder + "sc") == std::vector<std::string>{"scripts/"});
  CHECK(w.offers("load \"" + folder + ".h") == std::vector<std::string>{".hidden.fw"});
  CHECK_FALSE(w.offers("load \"" + folder + "seed.fw\" ", "seed.fw"));  // the name is closed
  CHECK_FALSE(w.offers("schema \"" + folder + "se", "seed.fw"));  // schema takes a model
}

TEST_CASE("a receiver is evaluated on the session's own interpreter, leaving `_` and the output alone") {
  World w;
  w.run("v = 5\n");
  w.out.str("");
  CHECK(w.offers("User.first.", "liked_tweets"));  // Model.first returns a record: read through the runtime
  CHECK(w.offers("User.all.to_a.first.", "tweets"));  // Array#first: evaluated
  CHECK(*w.session->interpreter().variable("_")->get<std::int64_t>() == 5);
  CHECK(w.out.str().empty());
}

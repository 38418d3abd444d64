// The association cache and includes/preload: one query per association,
// none when reading what is loaded, a query again once chained.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Strings = std::vector<std::string>;

std::vector<std::string> usernames(const std::vector<RecordPtr>& users) {
  std::vector<std::string> out;
  for (const auto& u : users) out.push_back(text(u, "username"));
  return out;
}

}  // namespace

TEST_CASE("a belongs_to target is cached: one query, forgotten when the key changes or on reload") {
  Social s;
  auto t = s.find("Tweet", 1);
  SqlLog log(s.db);
  CHECK(text(s.target(t, "user"), "username") == "ann");
  CHECK(text(s.target(t, "user"), "username") == "ann");
  CHECK(log.size() == 1);
  CHECK(s.target(t, "user") == s.target(t, "user"));  // the same record
  t->set("user_id", Value(2));
  CHECK(text(s.target(t, "user"), "username") == "bob");
  CHECK(log.size() == 2);
  s.store.persistence().reload(*t);
  CHECK(text(s.target(t, "user"), "username") == "ann");
  CHECK(log.size() == 4);  // the reload and the user again
  // an absent has_one target is cached too
  auto decls = fwitter_models();
  decls[0].has_one("latest_tweet", {{"class_name", str("Tweet")}});
  TestApp a(fwitter_schema(), std::move(decls));
  auto dee = a.create("User", {{"username", Value("dee")}, {"email", Value("dee@x.io")}});
  SqlLog log2(a.db);
  CHECK(a.target(dee, "latest_tweet") == nullptr);
  CHECK(a.target(dee, "latest_tweet") == nullptr);
  CHECK(log2.size() == 1);
}

TEST_CASE("includes a belongs_to: one IN query for all the records, then no query per record") {
  Social s;
  SqlLog log(s.db);
  auto tweets = s.store.queries().to_a(s.all("Tweet").preload({{"user"}}));
  CHECK(log.lines() == Strings{R"(Tweet Load  SELECT "tweets".* FROM "tweets")",
                               R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" IN (?, ?)  )"
                               R"([["id", 1], ["id", 2]])"});
  Strings names;
  for (const auto& t : tweets) names.push_back(text(s.target(t, "user"), "username"));
  CHECK(names == Strings{"ann", "bob", "ann"});
  CHECK(log.size() == 2);
  CHECK(s.target(tweets[0], "user") == s.target(tweets[2], "user"));  // one record per row, as ActiveRecord shares it
  // one key: = ?; no records: no query
  log.clear();
  s.store.queries().to_a(s.all("Tweet").where({{"id", Value(2)}}).preload({{"user"}}));
  CHECK(log.last() == R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" = ?  [["id", 2]])");
  log.clear();
  CHECK(s.store.queries().to_a(s.all("Tweet").where({{"id", Value(0)}}).preload({{"user"}})).empty());
  CHECK(log.size() == 1);
}

TEST_CASE("preload a collection: read, size, first, include? use it; count and chaining query again") {
  Social s;
  SqlLog log(s.db);
  auto users = s.store.queries().to_a(s.all("User").preload({{"tweets"}}));
  CHECK(log.last() == R"(Tweet Load  SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" IN (?, ?, ?)  )"
                      R"([["user_id", 1], ["user_id", 2], ["user_id", 3]])");
  log.clear();
  Relation anns = s.assoc(users[0], "tweets");
  REQUIRE(s.store.associations().loaded(anns) != nullptr);
  CHECK(s.store.associations().loaded(anns)->size() == 2);
  CHECK(s.store.queries().size(anns) == 2);
  CHECK(s.store.queries().size(s.assoc(users[2], "tweets")) == 0);
  CHECK(s.ids(anns) == std::vector<std::int64_t>{1, 3});
  CHECK(id_of(s.store.queries().first(anns)) == 1);
  CHECK(id_of(s.store.queries().last(anns)) == 3);
  CHECK(s.store.associations().includes(anns, s.t3));
  CHECK_FALSE(s.store.associations().includes(anns, s.t2));
  int streamed = 0;
  s.store.queries().each(anns, [&](const RecordPtr&) { ++streamed; });
  CHECK(streamed == 2);
  CHECK(log.size() == 0);
  // count always asks the database, as ActiveRecord's does; chaining is a new query
  CHECK(s.store.queries().count(anns) == 2);
  CHECK(log.size() == 1);
  CHECK(s.ids(anns.where({{"content", Value("a1")}})) == std::vector<std::int64_t>{1});
  CHECK(log.size() == 2);
  CHECK(s.store.associations().loaded(anns.where({{"content", Value("a1")}})) == nullptr);
  CHECK(s.store.associations().loaded(s.assoc(s.ann, "tweets")) == nullptr);  // another record of ann: nothing loaded
  // writing through the collection forgets what was loaded
  s.store.associations().create_in(anns, {{"content", Value("a3")}}, true);
  CHECK(s.store.associations().loaded(anns) == nullptr);
  CHECK(s.store.queries().size(anns) == 3);
}

TEST_CASE("preload nested, through, several at once") {
  Social s;
  SqlLog log(s.db);
  auto users = s.store.queries().to_a(s.all("User").preload({{"tweets", {{"hearts"}}}}));
  CHECK(log.lines() == Strings{R"(User Load  SELECT "users".* FROM "users")",
                               R"(Tweet Load  SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" IN (?, ?, ?)  )"
                               R"([["user_id", 1], ["user_id", 2], ["user_id", 3]])",
                               // the tweets in the order they loaded (SQLite reads them by the user_id index)
                               R"(Heart Load  SELECT "hearts".* FROM "hearts" WHERE "hearts"."tweet_id" IN (?, ?, ?)  )"
                               R"([["tweet_id", 1], ["tweet_id", 3], ["tweet_id", 2]])"});
  log.clear();
  std::vector<std::vector<std::int64_t>> hearts;
  for (const auto& u : users) {
    hearts.push_back({});
    for (const auto& t : *s.store.associations().loaded(s.assoc(u, "tweets")))
      hearts.back().push_back(s.store.queries().size(s.assoc(t, "hearts")));
  }
  CHECK(hearts == std::vector<std::vector<std::int64_t>>{{2, 0}, {1}, {}});
  CHECK(log.size() == 0);

  auto followed = s.store.queries().to_a(s.all("User").preload({{"followers"}}));
  CHECK(log.lines() == Strings{R"(User Load  SELECT "users".* FROM "users")",
                               R"(Follow Load  SELECT "follows".* FROM "follows" WHERE "follows"."followed_id" IN (?, ?, ?)  )"
                               R"([["followed_id", 1], ["followed_id", 2], ["followed_id", 3]])",
                               R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" IN (?, ?)  )"
                               R"([["id", 1], ["id", 3]])"});
  CHECK(usernames(s.store.queries().to_a(s.assoc(followed[1], "followers"))) == Strings{"ann", "cy"});
  CHECK(s.store.queries().to_a(s.assoc(followed[0], "followers")).empty());
  CHECK(log.size() == 3);

  log.clear();
  auto tweets = s.store.queries().to_a(s.all("Tweet").preload({{"user"}, {"hearts"}, {"likers"}}));
  CHECK(log.size() == 5);  // tweets, users, hearts, and the likers' hearts and users
  CHECK(usernames(s.store.queries().to_a(s.assoc(tweets[0], "likers"))) == Strings{"bob", "cy"});
  CHECK(log.size() == 5);

  // preload records already loaded; each batch of find_each too
  auto plain = s.store.queries().to_a(s.all("Tweet"));
  log.clear();
  s.store.associations().preload(plain, {{"user"}});
  CHECK(log.size() == 1);
  CHECK(text(s.target(plain[1], "user"), "username") == "bob");
  CHECK(log.size() == 1);
  log.clear();
  s.store.queries().find_each(s.all("Tweet").preload({{"user"}}), 2, [&](const RecordPtr& t) { s.target(t, "user"); });
  CHECK(log.size() == 4);  // two batches, each with its users
}

TEST_CASE("preload names are checked, with ActiveRecord's words") {
  Social s;
  CHECK_THROWS_WITH_AS(s.all("User").preload({{"tweetz"}}),
                       "Association named 'tweetz' was not found on User; perhaps you misspelled it? Did you mean? tweets",
                       ModelError);
  CHECK_THROWS_WITH_AS(s.all("User").preload({{"tweets", {{"likerz"}}}}),
                       "Association named 'likerz' was not found on Tweet; perhaps you misspelled it? Did you mean? likers",
                       ModelError);
  CHECK_THROWS_WITH_AS(s.all("User").preload({{"foo"}}),
                       "Association named 'foo' was not found on User; perhaps you misspelled it?", ModelError);
}

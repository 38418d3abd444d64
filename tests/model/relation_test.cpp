// Relations: building and running queries, one statement each.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

struct Seeded : Fwitter {
  RecordPtr ann, bob, cy;
  std::vector<RecordPtr> tweets;
  Seeded() {
    ann = user("ann");
    bob = user("bob");
    cy = user("cy");
    tweets.push_back(tweet(ann, "a1"));  // 1
    tweets.push_back(tweet(bob, "b1"));  // 2
    tweets.push_back(tweet(ann, "a2"));  // 3
    tweets.push_back(tweet(cy, "c1"));   // 4
    tweets.push_back(tweet(ann, "a3"));  // 5
  }
  std::vector<std::string> contents(const Relation& r) {
    std::vector<std::string> out;
    for (const auto& t : store.queries().to_a(r)) out.push_back(text(t, "content"));
    return out;
  }
};

using Strings = std::vector<std::string>;
using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("where: a column, a belongs_to association given a record, a list, nil") {
  Seeded s;
  Relation tweets = s.all("Tweet");
  CHECK(s.contents(tweets.where({{"content", Value("b1")}})) == Strings{"b1"});
  CHECK(s.contents(tweets.where({{"user_id", s.ann}})) == Strings{"a1", "a2", "a3"});  // a record for a column: its id
  CHECK(s.contents(tweets.where({{"user", s.ann}})) == Strings{"a1", "a2", "a3"});
  CHECK(s.contents(tweets.where({{"user", Value(id_of(s.cy))}})) == Strings{"c1"});
  CHECK(s.contents(tweets.where({{"user", s.ann}, {"content", Value("a2")}})) == Strings{"a2"});
  CHECK(s.contents(tweets.where({{"user", s.ann}}).where({{"content", Value("b1")}})).empty());
  CHECK(s.contents(tweets.where({{"content", Input::list_of({Value("a1"), Value("c1"), Value("zz")})}})) ==
        Strings{"a1", "c1"});
  CHECK(s.contents(tweets.where({{"user", Input::list_of({s.bob, s.cy})}})) == Strings{"b1", "c1"});
  CHECK(s.contents(tweets.where({{"content", Input::list_of({})}})).empty());
  CHECK(s.contents(tweets.where({{"content", Value()}})).empty());
  // an integer column given "2" compares as 2
  CHECK(s.contents(tweets.where({{"user_id", Value("2")}})) == Strings{"b1"});

  auto sql = tweets.where({{"user", s.ann}, {"content", Value()}}).select("COUNT(*)", "").sql;
  CHECK(sql == "SELECT COUNT(*) FROM \"tweets\" WHERE \"tweets\".\"user_id\" = ? AND \"tweets\".\"content\" IS NULL");

  CHECK_THROWS_WITH_AS(tweets.where({{"contnt", Value("x")}}),
                       "Tweet has no column or belongs_to association named contnt. Did you mean? content", ModelError);
  CHECK_THROWS_AS(tweets.where({{"hearts", Value(1)}}), ModelError);
}

TEST_CASE("order, limit, offset, first, last") {
  Seeded s;
  Relation tweets = s.all("Tweet");
  CHECK(s.contents(tweets.order("content", true)) == Strings{"c1", "b1", "a3", "a2", "a1"});
  CHECK(s.contents(tweets.order("user_id", false).order("id", true)) == Strings{"a3", "a2", "a1", "b1", "c1"});
  CHECK(s.contents(tweets.order("id", false).limit(2)) == Strings{"a1", "b1"});
  CHECK(s.contents(tweets.order("id", false).limit(2).offset(1)) == Strings{"b1", "a2"});
  CHECK(s.contents(tweets.order("id", false).offset(3)) == Strings{"c1", "a3"});
  CHECK(text(s.store.queries().first(tweets), "content") == "a1");
  CHECK(text(s.store.queries().last(tweets), "content") == "a3");
  CHECK(text(s.store.queries().first(tweets.order("content", true)), "content") == "c1");
  CHECK(text(s.store.queries().last(tweets.order("content", true)), "content") == "a1");
  CHECK(text(s.store.queries().last(tweets.where({{"user", s.bob}})), "content") == "b1");
  CHECK(s.store.queries().first(tweets.where({{"content", Value("none")}})) == nullptr);
  CHECK(s.store.queries().last(tweets.where({{"content", Value("none")}})) == nullptr);
  CHECK_THROWS_WITH_AS(tweets.order("contents", false), "Tweet has no column contents to order by. Did you mean? content",
                       ModelError);
  auto q = tweets.order("id", true).limit(2).offset(1).select("*", "");
  CHECK(q.sql == "SELECT * FROM \"tweets\" ORDER BY \"tweets\".\"id\" DESC LIMIT ? OFFSET ?");
  REQUIRE(q.binds.size() == 2);
  CHECK(q.binds[0].name == "LIMIT");
  CHECK(q.binds[0].value == Value(std::int64_t{2}));
  CHECK(q.binds[1].value == Value(std::int64_t{1}));
}

TEST_CASE("find and find_by") {
  Seeded s;
  auto u = s.store.queries().find(s.all("User"), Value(id_of(s.bob)));
  CHECK(text(u, "username") == "bob");
  CHECK(text(s.store.queries().find(s.all("User"), Value("3")), "username") == "cy");
  CHECK_THROWS_WITH_AS(s.store.queries().find(s.all("User"), Value(99)), "Couldn't find User with 'id'=99", RecordNotFound);
  // find within a relation: another user's tweet is not found
  CHECK_THROWS_WITH_AS(s.store.queries().find(s.assoc(s.ann, "tweets"), Value(2)), "Couldn't find Tweet with 'id'=2",
                       RecordNotFound);
  CHECK(text(s.store.queries().find(s.assoc(s.ann, "tweets"), Value(3)), "content") == "a2");

  auto t = s.store.queries().find_by(s.all("Tweet"), {{"user", s.ann}, {"content", Value("a3")}});
  REQUIRE(t != nullptr);
  CHECK(id_of(t) == 5);
  CHECK(s.store.queries().find_by(s.all("Tweet"), {{"content", Value("nope")}}) == nullptr);
  CHECK(text(s.store.queries().find_by(s.all("User"), {{"email", Value("cy@example.com")}}), "username") == "cy");
}

TEST_CASE("count, exists, pluck") {
  Seeded s;
  Relation tweets = s.all("Tweet");
  CHECK(s.store.queries().count(tweets) == 5);
  CHECK(s.store.queries().count(tweets.where({{"user", s.ann}})) == 3);
  CHECK(s.store.queries().count(tweets.limit(2)) == 2);
  CHECK(s.store.queries().count(tweets.limit(10)) == 5);
  CHECK(s.store.queries().count(tweets.offset(1)) == 4);
  CHECK(s.store.queries().count(tweets.limit(3).offset(4)) == 1);
  CHECK(s.store.queries().count(s.assoc(s.bob, "tweets")) == 1);
  CHECK(s.store.queries().exists(tweets));
  CHECK(s.store.queries().exists(tweets.where({{"user", s.cy}})));
  CHECK_FALSE(s.store.queries().exists(tweets.where({{"content", Value("zz")}})));
  CHECK_FALSE(s.store.queries().exists(s.assoc(s.cy, "hearts")));

  std::vector<std::vector<Value>> rows;
  s.store.queries().pluck(tweets.where({{"user", s.ann}}).order("id", true), {"id", "content"},
                [&](std::vector<Value>&& row) { rows.push_back(std::move(row)); });
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<Value>{Value(std::int64_t{5}), Value("a3")});
  CHECK(rows[2] == std::vector<Value>{Value(std::int64_t{1}), Value("a1")});
  CHECK_THROWS_WITH_AS(s.store.queries().pluck(tweets, {"body"}, [](std::vector<Value>&&) {}),
                       "Tweet has no column body to pluck.", ModelError);
}

TEST_CASE("delete_all deletes exactly the rows selected, without callbacks; destroy_all runs dependents") {
  Seeded s;
  s.heart(s.bob, s.tweets[0]);
  s.heart(s.cy, s.tweets[0]);
  s.heart(s.cy, s.tweets[2]);
  // the last by id, not the first: a limited delete keeps its order
  CHECK(s.store.queries().delete_all(s.all("Heart").order("id", true).limit(1)) == 1);
  CHECK(s.ids(s.all("Heart")) == Ids{1, 2});
  CHECK(s.store.queries().delete_all(s.all("Heart").where({{"user", s.bob}})) == 1);
  CHECK(s.ids(s.all("Heart")) == Ids{2});

  // delete_all on tweets with hearts fails at the foreign key, and changes nothing
  CHECK_THROWS_AS(s.store.queries().delete_all(s.assoc(s.ann, "tweets")), StatementInvalid);
  CHECK(s.rows("tweets") == 5);

  auto destroyed = s.store.queries().destroy_all(s.all("Tweet").where({{"user", s.ann}}));
  CHECK(destroyed.size() == 3);
  CHECK(destroyed[0]->destroyed());
  CHECK(s.rows("tweets") == 2);
  CHECK(s.rows("hearts") == 0);  // tweet 1's heart went with it
  CHECK(s.store.queries().count(s.all("User")) == 3);
}

TEST_CASE("a through association is one statement with INNER JOIN, and keeps the join's duplicates") {
  auto decls = fwitter_models();
  decls[0].has_many("liked_authors", {{"through", sym("liked_tweets")}, {"source", sym("user")}});
  TestApp a(fwitter_schema(), std::move(decls));
  auto ann = a.create("User", {{"username", Value("ann")}, {"email", Value("ann@x.io")}});
  auto bob = a.create("User", {{"username", Value("bob")}, {"email", Value("bob@x.io")}});
  auto b1 = a.create("Tweet", {{"user", bob}, {"content", Value("b1")}});
  auto b2 = a.create("Tweet", {{"user", bob}, {"content", Value("b2")}});
  a.create("Heart", {{"user", ann}, {"tweet", b1}});
  a.create("Heart", {{"user", ann}, {"tweet", b2}});

  Relation liked = a.assoc(ann, "liked_tweets");
  auto q = liked.select("\"tweets\".*", "Tweet Load");
  CHECK(q.sql ==
        "SELECT \"tweets\".* FROM \"tweets\" INNER JOIN \"hearts\" ON \"tweets\".\"id\" = \"hearts\".\"tweet_id\" "
        "WHERE \"hearts\".\"user_id\" = ?");
  REQUIRE(q.binds.size() == 1);
  CHECK(q.binds[0].value == ann->id());

  Relation authors = a.assoc(ann, "liked_authors");
  auto sql = authors.select("\"users\".*", "").sql;
  CHECK(sql.find("INNER JOIN") != std::string::npos);
  CHECK(sql.find(';') == std::string::npos);

  int statements = 0;
  std::string last_sql;
  a.db.set_logger([&](const storage::Query& query, std::chrono::microseconds) {
    ++statements;
    last_sql = query.sql;
  });
  auto rows = a.store.queries().to_a(authors);
  CHECK(statements == 1);  // no query per row
  CHECK(last_sql.find("INNER JOIN") != std::string::npos);
  REQUIRE(rows.size() == 2);  // bob once per liked tweet, as ActiveRecord returns him
  CHECK(id_of(rows[0]) == id_of(bob));
  CHECK(id_of(rows[1]) == id_of(bob));
  statements = 0;
  CHECK(a.store.queries().count(authors) == 2);
  CHECK(statements == 1);
  a.db.set_logger(nullptr);

  // where, order and count compose with the join
  CHECK(a.ids(liked.where({{"content", Value("b2")}})) == Ids{id_of(b2)});
  CHECK(a.ids(liked.order("id", true)) == Ids{id_of(b2), id_of(b1)});
  CHECK(a.store.queries().count(a.assoc(bob, "liked_tweets")) == 0);
  CHECK(a.ids(a.assoc(b1, "likers")) == Ids{id_of(ann)});
}

TEST_CASE("a self-referential through chain aliases the tables it meets again") {
  auto decls = fwitter_models();
  // the followers of the users I follow
  decls[0].has_many("followers_of_following", {{"through", sym("following")}, {"source", sym("followers")}});
  TestApp a(fwitter_schema(), std::move(decls));
  std::vector<RecordPtr> u;
  for (const char* n : {"ann", "bob", "cy", "dee", "eve"})
    u.push_back(a.create("User", {{"username", Value(n)}, {"email", Value(std::string(n) + "@x.io")}}));
  auto follow = [&](size_t from, size_t to) { a.create("Follow", {{"follower", u[from]}, {"followed", u[to]}}); };
  follow(0, 1);  // ann follows bob and cy
  follow(0, 2);
  follow(3, 1);  // dee and eve follow bob; eve follows cy
  follow(4, 1);
  follow(4, 2);
  follow(1, 3);  // bob follows dee: not a follower of bob or cy
  Relation r = a.assoc(u[0], "followers_of_following");
  auto sql = r.select("\"users\".*", "").sql;
  CHECK(sql ==
        "SELECT \"users\".* FROM \"users\" INNER JOIN \"follows\" ON \"users\".\"id\" = \"follows\".\"follower_id\" "
        "INNER JOIN \"users\" \"users_2\" ON \"follows\".\"followed_id\" = \"users_2\".\"id\" "
        "INNER JOIN \"follows\" \"follows_1\" ON \"users_2\".\"id\" = \"follows_1\".\"followed_id\" "
        "WHERE \"follows_1\".\"follower_id\" = ?");
  // bob's followers ann, dee, eve and cy's followers ann, eve
  CHECK(a.ids(r.order("id", false)) == Ids{1, 1, 4, 5, 5});
  CHECK(a.store.queries().count(r) == 5);
  CHECK(a.store.queries().count(r.where({{"username", Value("eve")}})) == 2);
  CHECK(a.store.queries().count(a.assoc(u[3], "followers_of_following")) == 3);  // dee follows bob: ann, dee, eve
}

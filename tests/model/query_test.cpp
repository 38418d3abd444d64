// The query methods after the basics: where.not, fragments, ranges,
// subqueries, joined tables' hashes, joins, distinct, select, or. The SQL
// expected is what ActiveRecord 6.1 logs for the same relation.
#include <algorithm>
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Ids = std::vector<std::int64_t>;

std::string sql_of(const Relation& r) { return r.select(r.projection(), "").sql; }

std::vector<Value> bind_values(const Relation& r) {
  std::vector<Value> out;
  for (const auto& b : r.select(r.projection(), "").binds) out.push_back(b.value);
  return out;
}

Value i(std::int64_t n) { return Value(n); }

// Ids in ascending order, for queries whose row order SQLite chooses.
Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("where.not: one condition inverted, several as NOT (a AND b)") {
  Social s;
  Relation tweets = s.all("Tweet");
  auto one = tweets.where_not({{"user_id", Value(1)}});
  CHECK(sql_of(one) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" != ?)");
  CHECK(s.ids(one) == Ids{2});
  auto two = tweets.where_not({{"user_id", Value(1)}, {"content", Value("x")}});
  CHECK(sql_of(two) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE NOT ("tweets"."user_id" = ? AND "tweets"."content" = ?))");
  CHECK(s.ids(two) == Ids{1, 2, 3});
  CHECK(sql_of(tweets.where_not({{"content", Value()}})) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."content" IS NOT NULL)");
  auto not_in = tweets.where_not({{"user_id", Input::list_of({Value(1), Value(2)})}});
  CHECK(sql_of(not_in) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" NOT IN (?, ?))");
  CHECK(s.ids(not_in).empty());
  CHECK(s.ids(tweets.where_not({{"user", s.ann}})) == Ids{2});  // an association given a record
  // where.not twice: two conditions, each inverted
  CHECK(sql_of(s.all("User").where_not({{"id", Value(1)}}).where_not({{"username", Value("x")}})) ==
        R"(SELECT "users".* FROM "users" WHERE "users"."id" != ? AND "users"."username" != ?)");
  CHECK(sql_of(s.all("User").where_not({{"id", Input::list_of({Value(1), Value()})}})) ==
        R"(SELECT "users".* FROM "users" WHERE NOT (("users"."id" = ? OR "users"."id" IS NULL)))");
  CHECK(sql_of(s.all("User").where_not({{"id", Input::list_of({})}})) ==
        R"(SELECT "users".* FROM "users" WHERE 1=1)");
}

TEST_CASE("where with a list of one is =, with nil in it OR IS NULL, empty 1=0") {
  Social s;
  Relation users = s.all("User");
  CHECK(sql_of(users.where({{"id", Input::list_of({Value(1)})}})) ==
        R"(SELECT "users".* FROM "users" WHERE "users"."id" = ?)");
  CHECK(sql_of(users.where({{"id", Input::list_of({Value(1), Value()})}})) ==
        R"(SELECT "users".* FROM "users" WHERE ("users"."id" = ? OR "users"."id" IS NULL))");
  CHECK(sql_of(users.where({{"id", Input::list_of({})}})) == R"(SELECT "users".* FROM "users" WHERE 1=0)");
  CHECK(s.ids(users.where({{"id", Input::list_of({Value(2), Value(3), Value(9)})}})) == Ids{2, 3});
}

TEST_CASE("where with ranges: BETWEEN, >= AND <, endless and beginless") {
  Social s;
  Relation tweets = s.all("Tweet");
  auto incl = tweets.where({{"id", Input::range(i(1), i(2), false)}});
  CHECK(sql_of(incl) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" BETWEEN ? AND ?)");
  CHECK(bind_values(incl) == std::vector<Value>{i(1), i(2)});
  CHECK(s.ids(incl) == Ids{1, 2});
  auto excl = tweets.where({{"id", Input::range(i(1), i(2), true)}});
  CHECK(sql_of(excl) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" >= ? AND "tweets"."id" < ?)");
  CHECK(s.ids(excl) == Ids{1});
  auto endless = tweets.where({{"id", Input::range(i(2), Value(), false)}});
  CHECK(sql_of(endless) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" >= ?)");
  CHECK(s.ids(endless) == Ids{2, 3});
  CHECK(sql_of(tweets.where({{"id", Input::range(Value(), i(2), false)}})) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" <= ?)");
  auto beginless = tweets.where({{"id", Input::range(Value(), i(2), true)}});
  CHECK(sql_of(beginless) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" < ?)");
  CHECK(s.ids(beginless) == Ids{1});
  // strings compare as strings; a range of an integer column casts its ends
  CHECK(s.ids(tweets.where({{"content", Input::range(Value("a"), Value("b"), false)}})) == Ids{1, 3});
  CHECK(s.ids(tweets.where({{"user_id", Input::range(Value("2"), Value("9"), false)}})) == Ids{2});
  // negated as ActiveRecord inverts them
  CHECK(sql_of(tweets.where_not({{"id", Input::range(i(1), i(2), false)}})) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE NOT ("tweets"."id" BETWEEN ? AND ?))");
  CHECK(sql_of(tweets.where_not({{"id", Input::range(i(2), Value(), false)}})) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" < ?)");
  CHECK(sql_of(tweets.where_not({{"id", Input::range(Value(), i(3), false)}})) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."id" > ?)");
  CHECK(s.ids(tweets.where_not({{"id", Input::range(i(1), i(3), true)}})) == Ids{3});
}

TEST_CASE("where with SQL fragments: positional and named binds, lists, one statement only") {
  Social s;
  Relation tweets = s.all("Tweet");
  auto like = tweets.where_sql("content LIKE ?", {Value("%rails%")});
  CHECK(sql_of(like) == R"(SELECT "tweets".* FROM "tweets" WHERE (content LIKE ?))");
  CHECK(bind_values(like) == std::vector<Value>{Value("%rails%")});
  CHECK(s.ids(like) == Ids{2, 3});
  auto named = tweets.where_sql("id > :n AND id < :m", NamedBinds{{"n", Value(1)}, {"m", Value(9)}});
  CHECK(sql_of(named) == R"(SELECT "tweets".* FROM "tweets" WHERE (id > ? AND id < ?))");
  CHECK(named.select("*", "").binds.front().name == "n");
  CHECK(s.ids(named) == Ids{2, 3});
  // a list expands; a placeholder inside quotes is text
  auto in = tweets.where_sql("id IN (?) AND content != '?'", {Input::list_of({Value(1), Value(3)})});
  CHECK(sql_of(in) == R"(SELECT "tweets".* FROM "tweets" WHERE (id IN (?, ?) AND content != '?'))");
  CHECK(s.ids(in) == Ids{1, 3});
  // ::casts are not names; fragments combine with hash conditions
  CHECK(s.ids(tweets.where_sql("CAST(id AS TEXT) = :id", NamedBinds{{"id", Value("2")}})) == Ids{2});
  CHECK(s.ids(tweets.where({{"user", s.ann}}).where_sql("content LIKE ?", {Value("%rails")})) == Ids{3});
  CHECK(s.ids(tweets.where_not_sql("id > ?", {Value(1)})) == Ids{1});
  CHECK(sql_of(tweets.where_not_sql("id > ?", {Value(1)})) == R"(SELECT "tweets".* FROM "tweets" WHERE NOT (id > ?))");
  CHECK(s.ids(tweets.where_not_sql("id > :n AND id < :m", NamedBinds{{"n", Value(1)}, {"m", Value(3)}})) == Ids{1, 3});

  CHECK_THROWS_WITH_AS(tweets.where_sql("id > ? AND id < ?", {Value(5)}),
                       "wrong number of bind variables (1 for 2) in: id > ? AND id < ?", ModelError);
  CHECK_THROWS_WITH_AS(tweets.where_sql("id > :n", NamedBinds{{"m", Value(5)}}), "missing value for :n in id > :n",
                       ModelError);
  CHECK_THROWS_WITH_AS(tweets.where_sql("id > 1; DROP TABLE users"),
                       "SQL fragment holds more than one statement (a ';' outside quotes): id > 1; DROP TABLE users; "
                       "a fragment is one condition or order, with values bound through ? or :name",
                       ModelError);
  CHECK_THROWS_AS(tweets.where_sql("content = ?; DELETE FROM tweets", {Value("x")}), ModelError);
  CHECK(s.ids(tweets.where_sql("content != ';'")) == Ids{1, 2, 3});  // a ; inside quotes is text
  CHECK(s.rows("users") == 3);
}

TEST_CASE("order with a fragment passes it through, reversed for last; a ; is refused") {
  Social s;
  Relation tweets = s.all("Tweet");
  auto desc = tweets.order_sql("content DESC");
  CHECK(sql_of(desc) == R"(SELECT "tweets".* FROM "tweets" ORDER BY content DESC)");
  CHECK(s.ids(desc) == Ids{2, 3, 1});
  CHECK(id_of(s.store.queries().last(desc)) == 1);
  SqlLog log(s.db);
  s.store.queries().last(tweets.order_sql("user_id DESC, id"));
  CHECK(log.last() ==
        R"(Tweet Load  SELECT "tweets".* FROM "tweets" ORDER BY user_id ASC, id DESC LIMIT ?  [["LIMIT", 1]])");
  CHECK_THROWS_AS(tweets.order_sql("id; DROP TABLE tweets"), ModelError);
}

TEST_CASE("joins: INNER JOIN on the association's keys, nested, through, aliased when a table repeats") {
  Social s;
  Relation users = s.all("User");
  CHECK(sql_of(users.joins({{"tweets"}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");
  CHECK(s.ids(users.joins({{"tweets"}})) == Ids{1, 1, 2});
  CHECK(sql_of(s.all("Tweet").joins({{"user"}})) ==
        R"(SELECT "tweets".* FROM "tweets" INNER JOIN "users" ON "users"."id" = "tweets"."user_id")");
  CHECK(sql_of(users.joins({{"tweets", {{"hearts"}}}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" )"
        R"(INNER JOIN "hearts" ON "hearts"."tweet_id" = "tweets"."id")");
  CHECK(sorted(s.ids(users.joins({{"tweets", {{"hearts"}}}}))) == Ids{1, 1, 2});
  CHECK(sql_of(users.joins({{"liked_tweets"}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "hearts" ON "hearts"."user_id" = "users"."id" )"
        R"(INNER JOIN "tweets" ON "tweets"."id" = "hearts"."tweet_id")");
  CHECK(sql_of(users.joins({{"tweets"}, {"hearts"}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" )"
        R"(INNER JOIN "hearts" ON "hearts"."user_id" = "users"."id")");
  // the same path twice is joined once; a nested path reuses its parent's join
  CHECK(sql_of(users.joins({{"tweets"}}).joins({{"tweets"}})) == sql_of(users.joins({{"tweets"}})));
  CHECK(sql_of(users.joins({{"tweets"}}).joins({{"tweets", {{"hearts"}}}})) ==
        sql_of(users.joins({{"tweets", {{"hearts"}}}})));
  CHECK(sql_of(users.joins({{"following"}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "follows" ON "follows"."follower_id" = "users"."id" )"
        R"(INNER JOIN "users" "followings_users" ON "followings_users"."id" = "follows"."followed_id")");
  CHECK(s.ids(users.joins({{"following"}})) == Ids{1, 3});
  CHECK(sql_of(users.joins({{"followers"}, {"following"}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "follows" ON "follows"."followed_id" = "users"."id" )"
        R"(INNER JOIN "users" "followers_users" ON "followers_users"."id" = "follows"."follower_id" )"
        R"(INNER JOIN "follows" "active_follows_users_join" ON "active_follows_users_join"."follower_id" = "users"."id" )"
        R"(INNER JOIN "users" "followings_users" ON "followings_users"."id" = "active_follows_users_join"."followed_id")");
  CHECK(sql_of(s.all("Tweet").joins({{"user"}, {"hearts", {{"user"}}}})) ==
        R"(SELECT "tweets".* FROM "tweets" INNER JOIN "users" ON "users"."id" = "tweets"."user_id" )"
        R"(INNER JOIN "hearts" ON "hearts"."tweet_id" = "tweets"."id" )"
        R"(INNER JOIN "users" "users_hearts" ON "users_hearts"."id" = "hearts"."user_id")");

  CHECK_THROWS_WITH_AS(users.joins({{"tweetz"}}),
                       "Can't join 'User' to association named 'tweetz'; perhaps you misspelled it? Did you mean? tweets",
                       ModelError);
  CHECK_THROWS_WITH_AS(users.joins({{"tweets", {{"heart"}}}}),
                       "Can't join 'Tweet' to association named 'heart'; perhaps you misspelled it? Did you mean? hearts",
                       ModelError);
}

TEST_CASE("left_joins: LEFT OUTER JOIN keeps the rows with no match") {
  Social s;
  Relation users = s.all("User");
  CHECK(sql_of(users.left_joins({{"tweets"}})) ==
        R"(SELECT "users".* FROM "users" LEFT OUTER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");
  CHECK(s.ids(users.left_joins({{"tweets"}})) == Ids{1, 1, 2, 3});
  CHECK(s.ids(users.left_joins({{"tweets"}}).where({{"tweets", Input::hash_of({{"id", Value()}})}})) == Ids{3});
  CHECK(sql_of(users.left_joins({{"tweets", {{"hearts"}}}})) ==
        R"(SELECT "users".* FROM "users" LEFT OUTER JOIN "tweets" ON "tweets"."user_id" = "users"."id" )"
        R"(LEFT OUTER JOIN "hearts" ON "hearts"."tweet_id" = "tweets"."id")");
  CHECK(s.ids(users.left_joins({{"tweets", {{"hearts"}}}})).size() == 5);
  // joined, then left joined: the inner join stays
  CHECK(sql_of(users.joins({{"tweets"}}).left_joins({{"tweets"}})) == sql_of(users.joins({{"tweets"}})));
}

TEST_CASE("a joined table's hash: qualified with that table, by table or association name") {
  Social s;
  auto r = s.all("User").joins({{"tweets"}}).where({{"tweets", Input::hash_of({{"user_id", Value(1)}})}});
  CHECK(sql_of(r) == R"(SELECT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" )"
                     R"(WHERE "tweets"."user_id" = ?)");
  CHECK(s.ids(r) == Ids{1, 1});
  auto by_name = s.all("Tweet").joins({{"user"}}).where({{"user", Input::hash_of({{"username", Value("ann")}})}});
  CHECK(sql_of(by_name) == R"(SELECT "tweets".* FROM "tweets" INNER JOIN "users" ON "users"."id" = "tweets"."user_id" )"
                           R"(WHERE "users"."username" = ?)");
  CHECK(s.ids(by_name) == Ids{1, 3});
  CHECK(s.ids(s.all("Tweet").joins({{"user"}}).where({{"users", Input::hash_of({{"username", Value("bob")}})}})) ==
        Ids{2});
  // an aliased table by its association's name
  auto likers = s.all("Tweet").joins({{"user"}, {"likers"}});
  CHECK(s.ids(likers.where({{"likers", Input::hash_of({{"username", Value("cy")}})}})) == Ids{1});
  // where.not on a joined table
  CHECK(sql_of(s.all("User").joins({{"tweets"}}).where_not({{"tweets", Input::hash_of({{"user_id", Value(1)}})}})) ==
        R"(SELECT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" )"
        R"(WHERE "tweets"."user_id" != ?)");
  // ranges and lists work there too; the own table may be named
  CHECK(s.ids(s.all("User").joins({{"tweets"}}).where(
            {{"tweets", Input::hash_of({{"id", Input::range(i(2), i(3), false)}})}})) == Ids{2, 1});
  CHECK(s.ids(s.all("User").where({{"users", Input::hash_of({{"id", Value(2)}})}})) == Ids{2});
  // a through association's join model, reached from the association reader
  CHECK(s.ids(s.assoc(s.cy, "liked_tweets").where({{"hearts", Input::hash_of({{"user_id", Value(3)}})}})) == Ids{1});

  CHECK_THROWS_WITH_AS(s.all("User").where({{"tweets", Input::hash_of({{"user_id", Value(1)}})}}),
                       "tweets is not a table of this User query; join it first: joins(:tweets).", ModelError);
  CHECK_THROWS_WITH_AS(s.all("User").joins({{"tweets"}}).where({{"tweetz", Input::hash_of({{"id", Value(1)}})}}),
                       "tweetz is not a table of this User query. Did you mean? tweets", ModelError);
  CHECK_THROWS_WITH_AS(s.all("User").joins({{"tweets"}}).where({{"tweets", Input::hash_of({{"contnt", Value(1)}})}}),
                       "Tweet has no column or belongs_to association named contnt. Did you mean? content", ModelError);
}

TEST_CASE("distinct and select") {
  Social s;
  auto authors = s.all("User").joins({{"tweets"}}).distinct();
  CHECK(sql_of(authors) ==
        R"(SELECT DISTINCT "users".* FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");
  CHECK(s.ids(authors) == Ids{1, 2});
  CHECK(s.store.queries().count(authors) == 2);
  SqlLog log(s.db);
  s.store.queries().count(authors);
  CHECK(log.last() == R"(User Count  SELECT COUNT(DISTINCT "users"."id") FROM "users" )"
                      R"(INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");

  auto picked = s.all("User").select_columns({"id", "username"});
  CHECK(sql_of(picked) == R"(SELECT "users"."id", "users"."username" FROM "users")");
  auto rows = s.store.queries().to_a(picked);
  REQUIRE(rows.size() == 3);
  CHECK(text(rows[1], "username") == "bob");
  CHECK(is_null(rows[1]->get("email")));  // not selected
  CHECK(sql_of(s.all("User").select_columns({"username"}).distinct()) ==
        R"(SELECT DISTINCT "users"."username" FROM "users")");
  CHECK(sql_of(s.all("User").joins({{"tweets"}}).select_columns({"tweets.content"})) ==
        R"(SELECT "tweets"."content" FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");
  CHECK_THROWS_WITH_AS(s.all("User").select_columns({"usename"}),
                       "User has no column usename to select. Did you mean? username", ModelError);
}

TEST_CASE("subqueries: where(id: relation.select(:col)) is IN (SELECT ...) with the binds carried over") {
  Social s;
  auto followers = s.all("Follow").where({{"followed_id", Value(2)}}).select_columns({"follower_id"});
  auto r = s.all("User").where({{"id", Input::subquery(followers)}});
  CHECK(sql_of(r) == R"(SELECT "users".* FROM "users" WHERE "users"."id" IN )"
                     R"((SELECT "follows"."follower_id" FROM "follows" WHERE "follows"."followed_id" = ?))");
  CHECK(bind_values(r) == std::vector<Value>{i(2)});
  CHECK(s.ids(r) == Ids{1, 3});
  // binds of the outer query stay in order around the subquery's
  auto mixed = s.all("User").where({{"username", Value("cy")}}).where({{"id", Input::subquery(followers)}}).limit(5);
  CHECK(bind_values(mixed) == std::vector<Value>{Value("cy"), i(2), i(5)});
  CHECK(s.ids(mixed) == Ids{3});
  // no select list: the primary key; a belongs_to compares its foreign key
  CHECK(sql_of(s.all("User").where({{"id", Input::subquery(s.all("Follow").where({{"followed_id", Value(2)}}))}})) ==
        R"(SELECT "users".* FROM "users" WHERE "users"."id" IN )"
        R"((SELECT "follows"."id" FROM "follows" WHERE "follows"."followed_id" = ?))");
  auto by_ann = s.all("Tweet").where({{"user", Input::subquery(s.all("User").where({{"username", Value("ann")}}))}});
  CHECK(sql_of(by_ann) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" IN )"
                          R"((SELECT "users"."id" FROM "users" WHERE "users"."username" = ?))");
  CHECK(s.ids(by_ann) == Ids{1, 3});
  auto not_following = s.all("User").where_not({{"id", Input::subquery(s.all("Follow").select_columns({"follower_id"}))}});
  CHECK(sql_of(not_following) ==
        R"(SELECT "users".* FROM "users" WHERE "users"."id" NOT IN (SELECT "follows"."follower_id" FROM "follows"))");
  CHECK(s.ids(not_following) == Ids{2});
  // a column takes one value when assigned
  CHECK_THROWS_WITH_AS(s.store.persistence().build(s.model("User"), {{"username", Input::range(Value("a"), Value("b"), false)}}),
                       "User.username takes one value, not a range", ModelError);
  // a subquery in a fragment
  CHECK(s.ids(s.all("User").where_sql("id IN (?)", {Input::subquery(followers)})) == Ids{1, 3});
}

TEST_CASE("or: WHERE (a OR b), shared conditions outside, flat when chained") {
  Social s;
  Relation tweets = s.all("Tweet");
  auto either = tweets.where({{"user_id", Value(1)}}).or_(tweets.where({{"content", Value("b1 rails")}}));
  CHECK(sql_of(either) == R"(SELECT "tweets".* FROM "tweets" WHERE ("tweets"."user_id" = ? OR "tweets"."content" = ?))");
  CHECK(s.ids(either) == Ids{1, 2, 3});
  auto multi = tweets.where({{"user_id", Value(1)}}).where({{"content", Value("x")}}).or_(tweets.where({{"id", Value(3)}}));
  CHECK(sql_of(multi) == R"(SELECT "tweets".* FROM "tweets" WHERE ("tweets"."user_id" = ? AND "tweets"."content" = ? )"
                         R"(OR "tweets"."id" = ?))");
  CHECK(s.ids(multi) == Ids{3});
  auto common = tweets.where({{"user_id", Value(1)}})
                    .where({{"content", Value("x")}})
                    .or_(tweets.where({{"user_id", Value(1)}}).where({{"id", Value(3)}}));
  CHECK(sql_of(common) == R"(SELECT "tweets".* FROM "tweets" WHERE "tweets"."user_id" = ? )"
                          R"(AND ("tweets"."content" = ? OR "tweets"."id" = ?))");
  CHECK(sql_of(tweets.or_(tweets.where({{"id", Value(3)}}))) == R"(SELECT "tweets".* FROM "tweets")");
  auto three = tweets.where({{"id", Value(1)}}).or_(tweets.where({{"id", Value(2)}})).or_(tweets.where({{"id", Value(3)}}));
  CHECK(sql_of(three) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE ("tweets"."id" = ? OR "tweets"."id" = ? OR "tweets"."id" = ?))");
  CHECK(bind_values(three) == std::vector<Value>{i(1), i(2), i(3)});
  auto then_where = tweets.where({{"id", Value(1)}}).or_(tweets.where({{"id", Value(2)}})).where({{"user_id", Value(2)}});
  CHECK(sql_of(then_where) ==
        R"(SELECT "tweets".* FROM "tweets" WHERE ("tweets"."id" = ? OR "tweets"."id" = ?) AND "tweets"."user_id" = ?)");
  CHECK(s.ids(then_where) == Ids{2});
  CHECK(sorted(s.ids(tweets.where_sql("id > ?", {Value(2)}).or_(tweets.where({{"id", Value(1)}})))) == Ids{1, 3});
  // an association's relation or'ed with the model's
  CHECK(sorted(s.ids(s.assoc(s.bob, "tweets").or_(tweets.where({{"id", Value(1)}})))) == Ids{1, 2});

  CHECK_THROWS_WITH_AS(tweets.distinct().or_(tweets.where({{"id", Value(2)}})),
                       "Relation passed to #or must be structurally compatible. Incompatible values: [:distinct]",
                       ModelError);
  CHECK_THROWS_WITH_AS(tweets.where({{"user_id", Value(1)}}).or_(tweets.where({{"id", Value(1)}}).limit(1)),
                       "Relation passed to #or must be structurally compatible. Incompatible values: [:limit]",
                       ModelError);
  CHECK_THROWS_WITH_AS(tweets.where({{"id", Value(1)}}).or_(s.all("User").where({{"id", Value(2)}})),
                       "Relation passed to #or must be structurally compatible. Incompatible values: [:model] "
                       "(Tweet and User)",
                       ModelError);
  CHECK_THROWS_AS(tweets.or_(tweets.joins({{"user"}})), ModelError);
  CHECK_NOTHROW(tweets.joins({{"user"}}).or_(tweets));
}

TEST_CASE("find by id builds its query once per model and gives it each id") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  SqlLog log(f.db);
  CHECK(text(f.store.queries().find(f.all("User"), ann->id()), "username") == "ann");
  CHECK(text(f.store.queries().find(f.all("User"), bob->id()), "username") == "bob");
  CHECK_THROWS_WITH_AS(f.store.queries().find(f.all("User"), Value(std::int64_t{999})), "Couldn't find User with 'id'=999",
                       RecordNotFound);
  // A relation with a condition is no plain find: its own query, not the cached one.
  CHECK_THROWS_AS(f.store.queries().find(f.all("User").where({{"username", Value("bob")}}), ann->id()), RecordNotFound);
  CHECK(text(f.store.queries().find(f.all("User"), Value("1")), "username") == "ann");  // a string id is cast
  REQUIRE(log.size() == 5);
  const std::string sql = R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" = ? LIMIT ?  )";
  CHECK(log.line(0) == sql + R"([["id", 1], ["LIMIT", 1]])");
  CHECK(log.line(1) == sql + R"([["id", 2], ["LIMIT", 1]])");
  CHECK(log.line(2) == sql + R"([["id", 999], ["LIMIT", 1]])");
  CHECK(log.line(3).find(R"("users"."username" = ?)") != std::string::npos);
}

// count, sum, average, minimum, maximum, plain and grouped: values as
// ActiveRecord returns them and the SQL it runs.
#include <algorithm>
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

Value i(std::int64_t n) { return Value(n); }
using Key = std::vector<Value>;

}  // namespace

TEST_CASE("count, sum, average, minimum, maximum of a column") {
  Social s;
  Relation tweets = s.all("Tweet");
  SqlLog log(s.db);
  CHECK(s.store.queries().calculate(tweets, Aggregate::Count) == i(3));
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT(*) FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets, Aggregate::Count, "content") == i(3));
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT("tweets"."content") FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets.distinct(), Aggregate::Count, "user_id") == i(2));
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT(DISTINCT "tweets"."user_id") FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets, Aggregate::Sum, "user_id") == i(4));
  CHECK(log.last() == R"(Tweet Sum  SELECT SUM("tweets"."user_id") FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets.where({{"id", Value(0)}}), Aggregate::Sum, "user_id") == i(0));
  Value average = s.store.queries().calculate(tweets, Aggregate::Average, "user_id");
  REQUIRE(std::holds_alternative<double>(average));
  CHECK(std::get<double>(average) == doctest::Approx(4.0 / 3));
  CHECK(log.last() == R"(Tweet Average  SELECT AVG("tweets"."user_id") FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets.where({{"id", Value(1)}}), Aggregate::Average, "id") == Value(1.0));
  CHECK(is_null(s.store.queries().calculate(tweets.where({{"id", Value(0)}}), Aggregate::Average, "user_id")));
  CHECK(s.store.queries().calculate(tweets, Aggregate::Minimum, "content") == Value("a1"));
  CHECK(log.last() == R"(Tweet Minimum  SELECT MIN("tweets"."content") FROM "tweets")");
  CHECK(s.store.queries().calculate(tweets, Aggregate::Maximum, "id") == i(3));
  CHECK(is_null(s.store.queries().calculate(tweets.where({{"id", Value(0)}}), Aggregate::Maximum, "id")));
  // a joined table's column
  CHECK(s.store.queries().calculate(s.all("User").joins({{"tweets"}}), Aggregate::Sum, "tweets.id") == i(6));
  CHECK(log.last() ==
        R"(User Sum  SELECT SUM("tweets"."id") FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id")");
  // a limited count counts a subquery; a limited sum is what ActiveRecord runs
  CHECK(s.store.queries().calculate(tweets.limit(2), Aggregate::Count) == i(2));
  CHECK(log.last() ==
        R"(Tweet Count  SELECT COUNT(*) FROM (SELECT 1 AS one FROM "tweets" LIMIT ?) subquery_for_count  [["LIMIT", 2]])");
  CHECK(s.store.queries().calculate(tweets.limit(2), Aggregate::Count, "content") == i(2));
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT(count_column) FROM (SELECT "tweets"."content" AS count_column )"
                      R"(FROM "tweets" LIMIT ?) subquery_for_count  [["LIMIT", 2]])");

  CHECK(s.store.queries().calculate(s.all("User").joins({{"tweets"}}).distinct().limit(2), Aggregate::Count) == i(2));
  CHECK(log.last() == R"(User Count  SELECT COUNT(count_column) FROM (SELECT DISTINCT "users"."id" AS count_column )"
                      R"(FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" LIMIT ?) subquery_for_count  )"
                      R"([["LIMIT", 2]])");
  CHECK(s.store.queries().calculate(s.all("User").select_columns({"username"}), Aggregate::Count) == i(3));
  CHECK(log.last() == R"(User Count  SELECT COUNT("users"."username") FROM "users")");

  CHECK(aggregate_named("average") == Aggregate::Average);
  CHECK_FALSE(aggregate_named("median"));
  CHECK_THROWS_WITH_AS(s.store.queries().calculate(tweets, Aggregate::Sum, "user"),
                       "Tweet has no column user to sum. Did you mean? user_id", ModelError);
  CHECK_THROWS_WITH_AS(s.store.queries().calculate(tweets, Aggregate::Sum), "sum needs a column: sum(:column)", ModelError);
  CHECK_THROWS_WITH_AS(s.store.queries().calculate(tweets, Aggregate::Maximum, "users.id"),
                       "users is not a table of this Tweet query; join it first: joins(:user).", ModelError);
}

TEST_CASE("grouped: an ordered list of (key, value), keys typed by their columns") {
  Social s;
  SqlLog log(s.db);
  auto counts = s.store.queries().calculate_grouped(s.all("Heart").group({"tweet_id"}), Aggregate::Count);
  CHECK(log.last() == R"(Heart Count  SELECT COUNT(*) AS count_all, "hearts"."tweet_id" AS hearts_tweet_id )"
                      R"(FROM "hearts" GROUP BY "hearts"."tweet_id")");
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].first == Key{i(1)});
  CHECK(counts[0].second == i(2));
  CHECK(counts[1].first == Key{i(2)});
  CHECK(counts[1].second == i(1));

  auto pairs = s.store.queries().calculate_grouped(s.all("Heart").group({"tweet_id", "user_id"}), Aggregate::Count);
  CHECK(log.last() == R"(Heart Count  SELECT COUNT(*) AS count_all, "hearts"."tweet_id" AS hearts_tweet_id, )"
                      R"("hearts"."user_id" AS hearts_user_id FROM "hearts" GROUP BY "hearts"."tweet_id", "hearts"."user_id")");
  REQUIRE(pairs.size() == 3);
  std::vector<Key> keys;  // in the order of the unique index SQLite groups by
  for (const auto& p : pairs) keys.push_back(p.first);
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<Key>{{i(1), i(2)}, {i(1), i(3)}, {i(2), i(1)}});

  auto sums = s.store.queries().calculate_grouped(s.all("Heart").group({"tweet_id"}), Aggregate::Sum, "user_id");
  CHECK(log.last() == R"(Heart Sum  SELECT SUM("hearts"."user_id") AS sum_user_id, "hearts"."tweet_id" AS hearts_tweet_id )"
                      R"(FROM "hearts" GROUP BY "hearts"."tweet_id")");
  CHECK(sums[0].second == i(5));
  auto averages = s.store.queries().calculate_grouped(s.all("Heart").group({"tweet_id"}), Aggregate::Average, "user_id");
  CHECK(averages[0].second == Value(2.5));
  CHECK(averages[1].second == Value(1.0));
  auto minimums = s.store.queries().calculate_grouped(s.all("Heart").group({"tweet_id"}), Aggregate::Minimum, "user_id");
  CHECK(log.last().find("MIN(\"hearts\".\"user_id\") AS minimum_user_id") != std::string::npos);
  CHECK(minimums[0].second == i(2));

  // joins(:tweets).group(:username).count: the column is the model's own
  auto per_user = s.store.queries().calculate_grouped(s.all("User").joins({{"tweets"}}).group({"username"}), Aggregate::Count);
  CHECK(log.last() == R"(User Count  SELECT COUNT(*) AS count_all, "users"."username" AS users_username FROM "users" )"
                      R"(INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."username")");
  REQUIRE(per_user.size() == 2);
  CHECK(per_user[0] == std::pair{Key{Value("ann")}, i(2)});
  CHECK(per_user[1] == std::pair{Key{Value("bob")}, i(1)});
  // a qualified group column and a joined aggregate column
  auto by_tweet_user = s.store.queries().calculate_grouped(s.all("User").joins({{"tweets"}}).group({"username"}),
                                                 Aggregate::Maximum, "tweets.id");
  CHECK(log.last().find(R"(User Maximum  SELECT MAX("tweets"."id") AS maximum_tweets_id, "users"."username" AS )"
                        R"(users_username FROM "users")") == 0);
  CHECK(by_tweet_user[0].second == i(3));
  auto qualified = s.store.queries().calculate_grouped(s.all("User").joins({{"tweets"}}).group({"tweets.user_id"}), Aggregate::Count);
  CHECK(log.last().find(R"("tweets"."user_id" AS tweets_user_id)") != std::string::npos);
  CHECK(qualified[0] == std::pair{Key{i(1)}, i(2)});
  // where, order and limit compose
  auto limited = s.store.queries().calculate_grouped(
      s.all("Tweet").where({{"user_id", Input::list_of({Value(1), Value(2)})}}).group({"user_id"}).order("user_id", true).limit(1),
      Aggregate::Count);
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT(*) AS count_all, "tweets"."user_id" AS tweets_user_id FROM "tweets" )"
                      R"(WHERE "tweets"."user_id" IN (?, ?) GROUP BY "tweets"."user_id" ORDER BY "tweets"."user_id" DESC )"
                      R"(LIMIT ?  [["user_id", 1], ["user_id", 2], ["LIMIT", 1]])");
  CHECK(limited == GroupedValues{{Key{i(2)}, i(1)}});
  auto distinct = s.store.queries().calculate_grouped(s.all("User").joins({{"tweets"}}).distinct().group({"username"}),
                                           Aggregate::Count);
  CHECK(log.last() == R"(User Count  SELECT COUNT(DISTINCT "users"."id") AS count_id, "users"."username" AS users_username )"
                      R"(FROM "users" INNER JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."username")");
  CHECK(distinct == GroupedValues{{Key{Value("ann")}, i(1)}, {Key{Value("bob")}, i(1)}});
  // count(:column) grouped
  s.store.queries().calculate_grouped(s.all("Tweet").group({"user_id"}), Aggregate::Count, "content");
  CHECK(log.last().find(R"(COUNT("tweets"."content") AS count_content)") != std::string::npos);

  // an expression passes through, its alias as ActiveRecord makes it
  auto initials = s.store.queries().calculate_grouped(s.all("Tweet").group({"substr(content, 1, 1)"}), Aggregate::Count);
  CHECK(log.last() == R"(Tweet Count  SELECT COUNT(*) AS count_all, substr(content, 1, 1) AS substr_content_1_1 )"
                      R"(FROM "tweets" GROUP BY substr(content, 1, 1))");
  CHECK(initials == GroupedValues{{Key{Value("a")}, i(2)}, {Key{Value("b")}, i(1)}});
  CHECK_THROWS_AS(s.all("Tweet").group({"user_id; DROP TABLE tweets"}), ModelError);
  CHECK_THROWS_WITH_AS(s.all("Tweet").group({"usr_id"}), "Tweet has no column usr_id to group by. Did you mean? user_id",
                       ModelError);
  CHECK_THROWS_AS(s.store.queries().calculate_grouped(s.all("Tweet"), Aggregate::Count), ModelError);
  CHECK_THROWS_AS(s.store.queries().count(s.all("Tweet").group({"user_id"})), ModelError);
  CHECK(s.all("Tweet").group({"user_id"}).is_grouped());
}

TEST_CASE("pluck takes a joined table's column") {
  Social s;
  std::vector<std::vector<Value>> rows;
  s.store.queries().pluck(s.all("User").joins({{"tweets"}}).order("id", false), {"username", "tweets.content"},
                [&](std::vector<Value>&& row) { rows.push_back(std::move(row)); });
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][0] == Value("ann"));
  CHECK_THROWS_WITH_AS(s.store.queries().pluck(s.all("User"), {"usrname"}, [](std::vector<Value>&&) {}),
                       "User has no column usrname to pluck. Did you mean? username", ModelError);
}

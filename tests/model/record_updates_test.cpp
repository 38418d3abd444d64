// update_all, find_or_create_by, find_or_initialize_by, increment!,
// decrement!, toggle!, touch, exists?(...), find_each and find_in_batches.
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "storage/changeset.hpp"

using namespace fixtures;

namespace {

Value i(std::int64_t n) { return Value(n); }
using Ids = std::vector<std::int64_t>;

// Social with a boolean column to toggle.
struct WithAdmin : TestApp {
  WithAdmin() : TestApp(fwitter_schema() + "ALTER TABLE users ADD COLUMN admin boolean DEFAULT 0 NOT NULL;\n",
                        fwitter_models()) {}
};

}  // namespace

TEST_CASE("update_all: one UPDATE through the write path, the number of rows") {
  Social s;
  storage::ChangeRecorder changes(s.db);  // what SQLite saw change
  SqlLog log(s.db);
  CHECK(s.store.queries().update_all(s.all("Tweet").where({{"user_id", Value(1)}}), {{"content", Value("x")}}) == 2);
  CHECK(log.last() == R"(Tweet Update All  UPDATE "tweets" SET "content" = ? WHERE "tweets"."user_id" = ?  )"
                      R"([["content", "x"], ["user_id", 1]])");
  auto summary = changes.changeset().summary();
  REQUIRE(summary.size() == 1);
  CHECK(summary[0].table == "tweets");
  CHECK(summary[0].updated == 2);
  CHECK(s.store.queries().count(s.all("Tweet").where({{"content", Value("x")}})) == 2);
  // joined: the rows by a subquery on the primary key
  auto bobs = s.all("Tweet").joins({{"user"}}).where({{"users", Input::hash_of({{"username", Value("bob")}})}});
  CHECK(s.store.queries().update_all(bobs, {{"content", Value("y")}}) == 1);
  CHECK(log.last() == R"(Tweet Update All  UPDATE "tweets" SET "content" = ? WHERE "tweets"."id" IN )"
                      R"((SELECT "tweets"."id" FROM "tweets" INNER JOIN "users" ON "users"."id" = "tweets"."user_id" )"
                      R"(WHERE "users"."username" = ?)  [["content", "y"], ["username", "bob"]])");
  // limited: the subquery keeps its order
  CHECK(s.store.queries().update_all(s.all("Tweet").order("id", false).limit(1), {{"content", Value("q")}}) == 1);
  CHECK(log.last() == R"(Tweet Update All  UPDATE "tweets" SET "content" = ? WHERE "tweets"."id" IN (SELECT "tweets"."id" )"
                      R"(FROM "tweets" ORDER BY "tweets"."id" ASC LIMIT ?)  [["content", "q"], ["LIMIT", 1]])");
  CHECK(text(s.find("Tweet", 1), "content") == "q");
  // a belongs_to by record; values cast by column
  CHECK(s.store.queries().update_all(s.all("Tweet").where({{"id", Value(3)}}), {{"user", s.cy}}) == 1);
  CHECK(s.find("Tweet", 3)->get("user_id") == i(3));
  CHECK(s.store.queries().update_all(s.all("Tweet"), {{"user_id", Value("2")}}) == 3);
  CHECK(log.queries.back().binds.front().value == i(2));
  CHECK_THROWS_WITH_AS(s.store.queries().update_all(s.all("Tweet"), {{"contnt", Value("z")}}),
                       "unknown attribute 'contnt' for Tweet. Did you mean? content", UnknownAttributeError);
}

TEST_CASE("find_or_create_by and find_or_initialize_by") {
  Social s;
  SqlLog log(s.db);
  auto ann = s.store.queries().find_or_create_by(s.all("User"), {{"username", Value("ann")}}, false);
  CHECK(id_of(ann) == 1);
  CHECK(log.lines() == std::vector<std::string>{
                           R"(User Load  SELECT "users".* FROM "users" WHERE "users"."username" = ? LIMIT ?  )"
                           R"([["username", "ann"], ["LIMIT", 1]])"});
  auto dan = s.store.queries().find_or_create_by(s.all("User"), {{"username", Value("dan")}, {"email", Value("dan@x.io")}}, false);
  CHECK(dan->persisted());
  CHECK(id_of(dan) == 4);
  // invalid: not saved (create), or RecordInvalid (create!)
  auto bad = s.store.queries().find_or_create_by(s.all("User"), {{"username", Value("eve")}}, false);
  CHECK(bad->new_record());
  CHECK_THROWS_WITH_AS(s.store.queries().find_or_create_by(s.all("User"), {{"username", Value("eve")}}, true),
                       "Validation failed: Email can't be blank, Email is invalid", RecordInvalid);
  // on a collection: the owner's key is set; on a relation: its where-hash too
  auto hello = s.store.queries().find_or_create_by(s.assoc(s.bob, "tweets"), {{"content", Value("hello")}}, true);
  CHECK(hello->get("user_id") == i(2));
  CHECK(id_of(s.store.queries().find_or_create_by(s.assoc(s.bob, "tweets"), {{"content", Value("hello")}}, true)) == id_of(hello));
  auto scoped = s.store.queries().find_or_create_by(s.all("Tweet").where({{"user", s.cy}}), {{"content", Value("c1")}}, true);
  CHECK(scoped->get("user_id") == i(3));

  log.clear();
  auto eve = s.store.queries().find_or_initialize_by(s.all("User"), {{"username", Value("eve")}});
  CHECK(eve->new_record());
  CHECK(text(eve, "username") == "eve");
  CHECK(log.size() == 1);  // the find only
  CHECK(id_of(s.store.queries().find_or_initialize_by(s.all("User"), {{"username", Value("cy")}})) == 3);
  auto built = s.store.queries().find_or_initialize_by(s.assoc(s.ann, "tweets"), {{"content", Value("new")}});
  CHECK(built->get("user_id") == i(1));
  CHECK(built->new_record());
}

TEST_CASE("increment!, decrement!: SET c = COALESCE(c, 0) + ?, other changes left unsaved") {
  Social s;
  auto t = s.find("Tweet", 1);
  SqlLog log(s.db);
  s.store.persistence().increment(*t, "user_id", i(1));
  CHECK(log.last() == R"(Tweet Update All  UPDATE "tweets" SET "user_id" = COALESCE("user_id", 0) + ? )"
                      R"(WHERE "tweets"."id" = ?  [["user_id", 1], ["id", 1]])");
  CHECK(t->get("user_id") == i(2));
  CHECK_FALSE(t->changed());
  CHECK(s.find("Tweet", 1)->get("user_id") == i(2));
  s.store.persistence().increment(*t, "user_id", i(-1));  // decrement!
  CHECK(log.last() == R"(Tweet Update All  UPDATE "tweets" SET "user_id" = COALESCE("user_id", 0) - ? )"
                      R"(WHERE "tweets"."id" = ?  [["user_id", 1], ["id", 1]])");
  CHECK(s.find("Tweet", 1)->get("user_id") == i(1));
  // another unsaved change stays unsaved
  t->set("content", Value("edited"));
  s.store.persistence().increment(*t, "user_id", i(2));
  CHECK(t->changed());
  CHECK(text(s.find("Tweet", 1), "content") == "a1");
  CHECK_THROWS_AS(s.store.persistence().increment(*t, "content", i(1)), ModelError);
  CHECK_THROWS_AS(s.store.persistence().increment(*t, "nope", i(1)), UnknownAttributeError);
}

TEST_CASE("toggle! flips a boolean and saves without validations; touch sets updated_at only") {
  WithAdmin a;
  auto ann = a.create("User", {{"username", Value("ann")}, {"email", Value("ann@x.io")}});
  CHECK(ann->get("admin") == Value(false));
  a.db.exec_script("UPDATE users SET email = 'not an email'");  // invalid now: toggle! saves anyway
  a.store.persistence().reload(*ann);
  a.store.persistence().toggle(*ann, "admin");
  CHECK(ann->get("admin") == Value(true));
  CHECK(a.find("User", 1)->get("admin") == Value(true));
  a.store.persistence().toggle(*ann, "admin");
  CHECK(a.find("User", 1)->get("admin") == Value(false));

  SqlLog log(a.db);
  ann->set("username", Value("changed"));
  Value before = ann->get("updated_at");
  a.store.persistence().touch(*ann);
  REQUIRE(log.size() == 1);
  CHECK(log.queries[0].sql == R"(UPDATE "users" SET "updated_at" = ? WHERE "users"."id" = ?)");
  CHECK(log.queries[0].label == "User Update");
  CHECK(text(a.find("User", 1), "username") == "ann");  // touch saves nothing else
  CHECK(ann->changed());
  a.store.persistence().touch(*ann, {"created_at"});
  CHECK(log.queries.back().sql == R"(UPDATE "users" SET "updated_at" = ?, "created_at" = ? WHERE "users"."id" = ?)");
  CHECK(ann->get("created_at") == ann->get("updated_at"));
  auto fresh = a.store.persistence().build(a.model("User"), {});
  CHECK_THROWS_WITH_AS(a.store.persistence().touch(*fresh),
                       "cannot touch on a new or destroyed record object. Consider using persisted?, new_record?, "
                       "or destroyed? before touching.",
                       ModelError);
  CHECK_THROWS_AS(a.store.persistence().touch(*ann, {"nope"}), UnknownAttributeError);
}

TEST_CASE("exists?(id) and exists?(conditions)") {
  Social s;
  SqlLog log(s.db);
  CHECK(s.store.queries().exists(s.all("User"), Value(1)));
  CHECK(log.last() == R"(User Exists?  SELECT 1 AS one FROM "users" WHERE "users"."id" = ? LIMIT ?  [["id", 1], ["LIMIT", 1]])");
  CHECK(s.store.queries().exists(s.all("User"), Value("2")));
  CHECK_FALSE(s.store.queries().exists(s.all("User"), Value(9)));
  CHECK(s.store.queries().exists(s.all("User"), Attributes{{"username", Value("ann")}}));
  CHECK_FALSE(s.store.queries().exists(s.assoc(s.cy, "tweets"), Attributes{{"content", Value("a1")}}));
  CHECK(s.store.queries().exists(s.assoc(s.ann, "tweets"), Value(3)));
}

TEST_CASE("find_in_batches and find_each: by primary key, LIMIT, then id > the last") {
  Social s;
  s.user("dan");
  s.user("eve");
  SqlLog log(s.db);
  std::vector<Ids> batches;
  s.store.queries().find_in_batches(s.all("User").order("username", true), 2, [&](const std::vector<RecordPtr>& batch) {
    Ids ids;
    for (const auto& r : batch) ids.push_back(id_of(r));
    batches.push_back(ids);
  });
  CHECK(batches == std::vector<Ids>{{1, 2}, {3, 4}, {5}});
  CHECK(log.lines() ==
        std::vector<std::string>{
            R"(User Load  SELECT "users".* FROM "users" ORDER BY "users"."id" ASC LIMIT ?  [["LIMIT", 2]])",
            R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" > ? ORDER BY "users"."id" ASC LIMIT ?  )"
            R"([["id", 2], ["LIMIT", 2]])",
            R"(User Load  SELECT "users".* FROM "users" WHERE "users"."id" > ? ORDER BY "users"."id" ASC LIMIT ?  )"
            R"([["id", 4], ["LIMIT", 2]])"});
  // conditions stay; a full last batch asks once more and gets nothing
  log.clear();
  Ids seen;
  s.store.queries().find_each(s.all("User").where_sql("id > ?", {Value(1)}), 2, [&](const RecordPtr& r) { seen.push_back(id_of(r)); });
  CHECK(seen == Ids{2, 3, 4, 5});
  CHECK(log.size() == 3);
  CHECK(log.queries[1].sql == R"(SELECT "users".* FROM "users" WHERE (id > ?) AND "users"."id" > ? )"
                              R"(ORDER BY "users"."id" ASC LIMIT ?)");
  // a limit caps the total
  seen.clear();
  s.store.queries().find_each(s.all("User").limit(3), 2, [&](const RecordPtr& r) { seen.push_back(id_of(r)); });
  CHECK(seen == Ids{1, 2, 3});
  seen.clear();
  s.store.queries().find_each(s.all("User"), 1000, [&](const RecordPtr& r) { seen.push_back(id_of(r)); });
  CHECK(seen.size() == 5);
  CHECK_THROWS_AS(s.store.queries().find_each(s.all("User"), 0, [](const RecordPtr&) {}), ModelError);
}

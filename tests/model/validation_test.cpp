// Each validation, with ActiveModel's exact messages.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Strings = std::vector<std::string>;

struct Products : TestApp {
  Products()
      : TestApp(table_sql("products",
                          "  name varchar, code varchar, size varchar, price integer, quantity integer,"
                          " shelf integer, note text, discount integer"),
                {ModelDecl("Product")
                     .validates({"name"}, {{"length", hash({{"minimum", num(3)}})}})
                     .validates({"code"}, {{"length", hash({{"is", num(5)}})},
                                           {"format", hash({{"with", Arg::regex(R"(\A[A-Z]+\z)")}})},
                                           {"allow_nil", yes()}})
                     .validates({"size"}, {{"inclusion", hash({{"in", Arg::array({str("S"), str("M"), str("L")})}})}})
                     .validates({"price"}, {{"numericality", hash({{"greater_than", num(0)}})}})
                     .validates({"quantity"}, {{"numericality", hash({{"only_integer", yes()}})}})
                     .validates({"shelf"}, {{"comparison", hash({{"other_than", num(7)}})}})
                     .validates({"note"}, {{"length", hash({{"maximum", num(1)}})}, {"message", str("is way too long")}})
                     .validates({"discount"}, {{"comparison", hash({{"less_than", sym("price")}})}, {"allow_nil", yes()}})}) {}

  // The errors of a product valid but for `attributes`.
  Strings errors(const Attributes& attributes) {
    Attributes all = {{"name", Value("Lamp")}, {"size", Value("M")}, {"price", Value(10)}, {"quantity", Value(1)},
                      {"shelf", Value(1)}};
    for (const auto& a : attributes) {
      bool replaced = false;
      for (auto& b : all)
        if (b.first == a.first) b.second = a.second, replaced = true;
      if (!replaced) all.push_back(a);
    }
    auto p = store.persistence().build(model("Product"), all);
    store.persistence().valid(*p);
    return p->errors().full_messages();
  }
};

}  // namespace

TEST_CASE("presence: can't be blank, white space included") {
  Fwitter f;
  auto u = f.store.persistence().build(f.model("User"), {{"username", Value("   ")}, {"email", Value("a@b.c")}});
  CHECK_FALSE(f.store.persistence().valid(*u));
  CHECK(u->errors().full_messages() == Strings{"Username can't be blank"});
  f.store.persistence().assign(*u, "username", Value("ann"));
  CHECK(f.store.persistence().valid(*u));
}

TEST_CASE("uniqueness, alone and with scope: has already been taken") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto dup = f.store.persistence().build(f.model("User"), {{"username", Value("ann")}, {"email", Value("other@example.com")}});
  CHECK_FALSE(f.store.persistence().save(*dup));
  CHECK(dup->errors().full_messages() == Strings{"Username has already been taken"});
  // saving a record again does not clash with itself
  f.store.persistence().assign(*ann, "email", Value("ann2@example.com"));
  CHECK(f.store.persistence().save(*ann));

  f.follow(ann, bob);
  auto again = f.store.persistence().build(f.model("Follow"), {{"follower", ann}, {"followed", bob}});
  CHECK_FALSE(f.store.persistence().valid(*again));
  CHECK(again->errors().full_messages() == Strings{"Followed has already been taken"});
  // another scope value is another pair
  auto back = f.store.persistence().build(f.model("Follow"), {{"follower", bob}, {"followed", ann}});
  CHECK(f.store.persistence().valid(*back));
  CHECK_THROWS_WITH_AS(f.store.persistence().save_strict(*again), "Validation failed: Followed has already been taken", RecordInvalid);
  CHECK(f.rows("follows") == 1);
}

namespace {
// The uniqueness check's line of the log, of those logged since `log` was cleared.
std::string exists_line(const SqlLog& log) {
  for (const auto& line : log.lines())
    if (line.rfind("Follow Exists?", 0) == 0) return line;
  return "";
}
}  // namespace

TEST_CASE("uniqueness asks in the text of its shape: = ? or IS NULL for each value, and id != ? once saved") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto cat = f.user("cat");
  SqlLog log(f.db);
  auto check = [&](const RecordPtr& follow) {
    log.clear();
    f.store.persistence().valid(*follow);
    return exists_line(log);
  };
  const std::string select = R"(Follow Exists?  SELECT 1 AS one FROM "follows" WHERE )";
  CHECK(check(f.store.persistence().build(f.model("Follow"), {{"follower", ann}, {"followed", bob}})) ==
        select + R"("follows"."followed_id" = ? AND "follows"."follower_id" = ? LIMIT ?  [["followed_id", 2], ["follower_id", 1], ["LIMIT", 1]])");
  CHECK(check(f.store.persistence().build(f.model("Follow"), {{"follower", ann}})) ==
        select + R"("follows"."followed_id" IS NULL AND "follows"."follower_id" = ? LIMIT ?  [["follower_id", 1], ["LIMIT", 1]])");
  CHECK(check(f.store.persistence().build(f.model("Follow"), {{"followed", bob}})) ==
        select + R"("follows"."followed_id" = ? AND "follows"."follower_id" IS NULL LIMIT ?  [["followed_id", 2], ["LIMIT", 1]])");
  // The first shape again, with values of its own.
  auto saved = f.store.persistence().build(f.model("Follow"), {{"follower", cat}, {"followed", ann}});
  CHECK(check(saved) ==
        select + R"("follows"."followed_id" = ? AND "follows"."follower_id" = ? LIMIT ?  [["followed_id", 1], ["follower_id", 3], ["LIMIT", 1]])");
  REQUIRE(f.store.persistence().save(*saved));
  CHECK(check(saved) == select + R"("follows"."followed_id" = ? AND "follows"."follower_id" = ? AND "follows"."id" != ? LIMIT ?  )"
                                 R"([["followed_id", 1], ["follower_id", 3], ["id", 1], ["LIMIT", 1]])");
}

TEST_CASE("length: too long, too short, wrong length; counted in characters") {
  Fwitter f;
  auto ann = f.user("ann");
  auto t = f.store.persistence().build(f.model("Tweet"), {{"user", ann}, {"content", Value(std::string(281, 'x'))}});
  CHECK_FALSE(f.store.persistence().valid(*t));
  CHECK(t->errors().full_messages() == Strings{"Content is too long (maximum is 280 characters)"});
  f.store.persistence().assign(*t, "content", Value(std::string(280, 'x')));
  CHECK(f.store.persistence().valid(*t));
  std::string accents;
  for (int i = 0; i < 280; ++i) accents += "\xc3\xa9";  // 280 characters, 560 bytes
  f.store.persistence().assign(*t, "content", Value(accents));
  CHECK(f.store.persistence().valid(*t));

  Products p;
  CHECK(p.errors({{"name", Value("ab")}}) == Strings{"Name is too short (minimum is 3 characters)"});
  CHECK(p.errors({{"name", Value()}}) == Strings{"Name is too short (minimum is 3 characters)"});
  CHECK(p.errors({{"code", Value("ABCD")}}) == Strings{"Code is the wrong length (should be 5 characters)"});
  CHECK(p.errors({{"code", Value("ABCDE")}}).empty());
  CHECK(p.errors({{"code", Value()}}).empty());  // allow_nil
  CHECK(p.errors({{"note", Value("ab")}}) == Strings{"Note is way too long"});  // message:
  CHECK(p.errors({}).empty());
}

TEST_CASE("format: is invalid, anchored at the ends of the string") {
  Fwitter f;
  auto u = f.store.persistence().build(f.model("User"), {{"username", Value("ann")}, {"email", Value("ann at example")}});
  CHECK_FALSE(f.store.persistence().valid(*u));
  CHECK(u->errors().full_messages() == Strings{"Email is invalid"});
  f.store.persistence().assign(*u, "email", Value("ann@example.com\nevil@x.y"));
  CHECK_FALSE(f.store.persistence().valid(*u));
  CHECK(u->errors().on("email") == Strings{"is invalid"});
  f.store.persistence().assign(*u, "email", Value("ann@example.com"));
  CHECK(f.store.persistence().valid(*u));

  Products p;
  CHECK(p.errors({{"code", Value("abcde")}}) == Strings{"Code is invalid"});
  CHECK(p.errors({{"code", Value("ab")}}) ==
        Strings{"Code is the wrong length (should be 5 characters)", "Code is invalid"});
}

TEST_CASE("format: a pattern std::regex cannot compile loads, and is an error naming it when first used") {
  TestApp t(table_sql("things", "  name varchar, code varchar"),
            {ModelDecl("Thing").validates({"code"}, {{"format", hash({{"with", Arg::regex(R"(\A(?<x>a)\z)")}})}})});
  auto thing = t.store.persistence().build(t.model("Thing"), {{"code", Value("a")}});
  try {
    t.store.persistence().valid(*thing);
    FAIL("the pattern compiled");
  } catch (const fw::model::ModelError& e) {
    CHECK(e.ruby_class() == "RegexpError");
    CHECK(std::string(e.what()).find("invalid regular expression /\\A(?<x>a)\\z/") != std::string::npos);
  }
}

TEST_CASE("numericality: is not a number, must be greater than 0, must be an integer") {
  Products p;
  CHECK(p.errors({{"price", Value("abc")}}) == Strings{"Price is not a number"});
  CHECK(p.errors({{"price", Value("12abc")}}) == Strings{"Price is not a number"});  // the value as given
  CHECK(p.errors({{"price", Value()}}) == Strings{"Price is not a number"});
  CHECK(p.errors({{"price", Value(0)}}) == Strings{"Price must be greater than 0"});
  CHECK(p.errors({{"price", Value("-3")}}) == Strings{"Price must be greater than 0"});
  CHECK(p.errors({{"price", Value("12")}}).empty());
  CHECK(p.errors({{"quantity", Value("1.5")}}) == Strings{"Quantity must be an integer"});
  CHECK(p.errors({{"quantity", Value(2.5)}}) == Strings{"Quantity must be an integer"});
  CHECK(p.errors({{"quantity", Value("x")}}) == Strings{"Quantity is not a number"});
  CHECK(p.errors({{"quantity", Value(" 42 ")}}).empty());
}

TEST_CASE("inclusion: is not included in the list") {
  Products p;
  CHECK(p.errors({{"size", Value("XL")}}) == Strings{"Size is not included in the list"});
  CHECK(p.errors({{"size", Value("s")}}) == Strings{"Size is not included in the list"});
  CHECK(p.errors({{"size", Value()}}) == Strings{"Size is not included in the list"});
  CHECK(p.errors({{"size", Value("L")}}).empty());
}

TEST_CASE("comparison: must be other than 7, and against another column") {
  Products p;
  CHECK(p.errors({{"shelf", Value(7)}}) == Strings{"Shelf must be other than 7"});
  CHECK(p.errors({{"shelf", Value("7")}}) == Strings{"Shelf must be other than 7"});
  CHECK(p.errors({{"shelf", Value(8)}}).empty());
  CHECK(p.errors({{"shelf", Value()}}) == Strings{"Shelf can't be blank"});
  CHECK(p.errors({{"discount", Value(10)}}) == Strings{"Discount must be less than 10"});
  CHECK(p.errors({{"discount", Value(9)}}).empty());

  Fwitter f;
  auto ann = f.user("ann");
  auto self = f.store.persistence().build(f.model("Follow"), {{"follower", ann}, {"followed", ann}});
  CHECK_FALSE(f.store.persistence().save(*self));
  CHECK(self->errors().full_messages() == Strings{"Followed must be other than 1"});
  CHECK(f.rows("follows") == 0);
}

TEST_CASE("belongs_to is required unless optional: User must exist") {
  Fwitter f;
  auto t = f.store.persistence().build(f.model("Tweet"), {{"content", Value("hi")}});
  CHECK_FALSE(f.store.persistence().valid(*t));
  CHECK(t->errors().full_messages() == Strings{"User must exist"});
  f.store.persistence().assign(*t, "user_id", Value(99));  // an id that names no row
  CHECK_FALSE(f.store.persistence().valid(*t));
  CHECK(t->errors().full_messages() == Strings{"User must exist"});
  auto ann = f.user("ann");
  f.store.persistence().assign(*t, "user_id", ann->id());
  CHECK(f.store.persistence().valid(*t));

  auto m = f.store.persistence().build(f.model("Message"), {{"content", Value("hi")}, {"receiver", ann}});
  CHECK_FALSE(f.store.persistence().valid(*m));
  CHECK(m->errors().full_messages() == Strings{"Sender must exist"});

  auto decls = fwitter_models();
  decls[1].associations[0].options.push_back({"optional", yes()});  // belongs_to :user, optional: true
  TestApp a(table_sql("users", "  username varchar, email varchar") +
                table_sql("tweets", "  user_id integer REFERENCES users (id), content text") +
                table_sql("messages", "  sender_id integer, receiver_id integer, content text") +
                table_sql("follows", "  follower_id integer, followed_id integer") +
                table_sql("hearts", "  user_id integer, tweet_id integer"),
            std::move(decls));
  auto orphan = a.create("Tweet", {{"content", Value("nobody's")}});
  CHECK(orphan->persisted());
  CHECK(a.target(orphan, "user") == nullptr);
}

TEST_CASE("RecordInvalid lists every message in declaration order") {
  Fwitter f;
  auto t = f.store.persistence().build(f.model("Tweet"), {});
  CHECK_THROWS_WITH_AS(f.store.persistence().save_strict(*t), "Validation failed: User must exist, Content can't be blank",
                       RecordInvalid);
  auto u = f.store.persistence().build(f.model("User"), {{"email", Value("bad")}});
  CHECK_THROWS_WITH_AS(f.store.persistence().save_strict(*u), "Validation failed: Username can't be blank, Email is invalid",
                       RecordInvalid);
  CHECK(f.rows("tweets") == 0);
  CHECK(f.rows("users") == 0);
}

TEST_CASE("on: :create runs only for new records") {
  TestApp a(table_sql("notes", "  title varchar"),
            {ModelDecl("Note").validates({"title"}, {{"presence", yes()}, {"on", sym("create")}})});
  auto n = a.store.persistence().build(a.model("Note"), {});
  CHECK_FALSE(a.store.persistence().valid(*n));
  CHECK(n->errors().full_messages() == Strings{"Title can't be blank"});
  a.store.persistence().assign(*n, "title", Value("x"));
  a.store.persistence().save_strict(*n);
  CHECK(a.store.persistence().update(*n, {{"title", Value("")}}));
  CHECK(a.db.scalar({"", "SELECT title FROM notes", {}}) == Value(""));
}

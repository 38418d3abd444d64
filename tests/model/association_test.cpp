// Collections (<<, create, delete, include?, count, empty?), has_many
// :through and habtm writes; delegate, scope and self.table_name.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Ids = std::vector<std::int64_t>;
using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("has_many: << links and saves, create_in, build_in, count and empty") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  Relation tweets = f.assoc(ann, "tweets");
  CHECK(f.store.queries().count(tweets) == 0);
  CHECK_FALSE(f.store.queries().exists(tweets));  // empty?

  auto t = f.store.persistence().build(f.model("Tweet"), {{"content", Value("hello")}});
  f.store.associations().add(tweets, t);
  CHECK(t->persisted());
  CHECK(t->get("user_id") == ann->id());
  CHECK(f.store.queries().count(tweets) == 1);
  CHECK(f.store.queries().exists(tweets));

  auto c = f.store.associations().create_in(tweets, {{"content", Value("created")}}, false);
  CHECK(c->persisted());
  CHECK(c->get("user_id") == ann->id());
  CHECK(f.store.queries().count(tweets) == 2);

  auto invalid = f.store.associations().create_in(tweets, {{"content", Value("")}}, false);
  CHECK(invalid->new_record());
  CHECK(invalid->errors().full_messages() == Strings{"Content can't be blank"});
  CHECK_THROWS_WITH_AS(f.store.associations().create_in(tweets, {}, true), "Validation failed: Content can't be blank", RecordInvalid);
  CHECK(f.rows("tweets") == 2);

  auto built = f.store.associations().build_in(tweets, {{"content", Value("later")}});
  CHECK(built->new_record());
  CHECK(built->get("user_id") == ann->id());
  CHECK(f.rows("tweets") == 2);

  // << an existing record moves it to this owner
  auto b1 = f.tweet(bob, "b1");
  f.store.associations().add(tweets, b1);
  CHECK(f.store.queries().count(tweets) == 3);
  CHECK(f.store.queries().count(f.assoc(bob, "tweets")) == 0);
  CHECK(f.find("Tweet", id_of(b1))->get("user_id") == ann->id());
  CHECK(id_of(f.target(b1, "user")) == id_of(ann));  // not the user it was created with

  CHECK(f.store.associations().includes(tweets, b1));
  CHECK_FALSE(f.store.associations().includes(f.assoc(bob, "tweets"), b1));
  CHECK_FALSE(f.store.associations().includes(tweets, built));  // not saved
  CHECK_FALSE(f.store.associations().includes(tweets, bob));    // another model

  // has_many on the other side of a custom foreign key
  f.message(ann, bob, "hi");
  CHECK(f.store.queries().count(f.assoc(ann, "sent_messages")) == 1);
  CHECK(f.store.queries().count(f.assoc(ann, "received_messages")) == 0);
  CHECK(f.store.queries().count(f.assoc(bob, "received_messages")) == 1);
}

TEST_CASE("collection errors: a wrong record, no owner, an unsaved owner") {
  Fwitter f;
  auto ann = f.user("ann");
  CHECK_THROWS_WITH_AS(f.store.associations().add(f.assoc(ann, "tweets"), ann),
                       "Tweet(Tweet) expected, got User which is an instance of User", ModelError);
  CHECK_THROWS_WITH_AS(f.store.associations().add(f.all("Tweet"), f.store.persistence().build(f.model("Tweet"), {})),
                       "<< works on a collection association (such as user.tweets), not on Tweet.where(...)",
                       ModelError);
  auto unsaved = f.store.persistence().build(f.model("User"), {{"username", Value("new")}});
  CHECK_THROWS_WITH_AS(f.store.associations().create_in(f.assoc(unsaved, "tweets"), {{"content", Value("x")}}, false),
                       "You cannot call create unless the parent is saved", ModelError);
  CHECK(f.store.queries().count(f.assoc(unsaved, "tweets")) == 0);
  CHECK(f.rows("tweets") == 0);
  // << an invalid record: nothing saved, and << answers false as ActiveRecord's does
  auto invalid = f.store.persistence().build(f.model("Tweet"), {});
  CHECK_FALSE(f.store.associations().add(f.assoc(ann, "tweets"), invalid));
  CHECK(invalid->errors().full_messages() == std::vector<std::string>{"Content can't be blank"});
  CHECK(f.rows("tweets") == 0);
}

TEST_CASE("has_many delete: destroys with dependent: :destroy, nullifies without") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto t = f.tweet(bob, "t");
  auto h = f.heart(ann, t);
  f.store.associations().remove(f.assoc(ann, "hearts"), h);  // has_many :hearts, dependent: :destroy
  CHECK(f.rows("hearts") == 0);
  CHECK(h->destroyed());

  TestApp a(table_sql("shelves", "  name varchar") +
                table_sql("books", "  shelf_id integer REFERENCES shelves (id),\n  title varchar"),
            {ModelDecl("Shelf").has_many("books"), ModelDecl("Book").belongs_to("shelf", {{"optional", yes()}})});
  auto shelf = a.create("Shelf", {{"name", Value("top")}});
  auto b1 = a.create("Book", {{"shelf", shelf}, {"title", Value("one")}});
  auto b2 = a.create("Book", {{"shelf", shelf}, {"title", Value("two")}});
  Relation books = a.assoc(shelf, "books");
  a.store.associations().remove(books, b1);
  CHECK(a.rows("books") == 2);
  CHECK(is_null(b1->get("shelf_id")));
  CHECK_FALSE(b1->changed());
  CHECK(a.ids(books) == Ids{id_of(b2)});
  CHECK(is_null(a.find("Book", id_of(b1))->get("shelf_id")));
  // a has_many without dependent leaves its children when the owner goes
  CHECK_THROWS_AS(a.store.persistence().destroy(*shelf), StatementInvalid);  // b2 still points at it: the foreign key says no
  CHECK(a.rows("shelves") == 1);
}

TEST_CASE("has_many :through: << creates the join record, delete removes it, create_in makes both") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto t1 = f.tweet(bob, "t1");
  auto t2 = f.tweet(bob, "t2");
  Relation liked = f.assoc(ann, "liked_tweets");
  f.store.associations().add(liked, t1);
  CHECK(f.rows("hearts") == 1);
  auto heart = f.store.queries().first(f.all("Heart"));
  CHECK(heart->get("user_id") == ann->id());
  CHECK(heart->get("tweet_id") == t1->id());
  f.store.associations().add(liked, t2);
  CHECK(f.ids(liked.order("id", false)) == Ids{id_of(t1), id_of(t2)});
  CHECK(f.store.associations().includes(liked, t1));
  CHECK(f.store.queries().count(f.assoc(t1, "likers")) == 1);
  CHECK_THROWS_WITH_AS(f.store.associations().add(liked, t1), "Validation failed: Tweet has already been taken", RecordInvalid);
  CHECK(f.rows("hearts") == 2);

  f.store.associations().remove(liked, t1);
  CHECK(f.rows("hearts") == 1);
  CHECK(f.rows("tweets") == 2);  // the tweet stays; only the heart goes
  CHECK_FALSE(f.store.associations().includes(liked, t1));
  CHECK(f.ids(liked) == Ids{id_of(t2)});

  // followers / following through the two sides of follows
  f.store.associations().add(f.assoc(ann, "following"), bob);
  CHECK(f.rows("follows") == 1);
  CHECK(f.ids(f.assoc(bob, "followers")) == Ids{id_of(ann)});
  CHECK(f.store.queries().count(f.assoc(ann, "followers")) == 0);

  // create through: the target and the join record
  auto cy = f.store.associations().create_in(f.assoc(ann, "following"),
                              {{"username", Value("cy")}, {"email", Value("cy@example.com")}}, true);
  CHECK(cy->persisted());
  CHECK(f.rows("users") == 3);
  CHECK(f.rows("follows") == 2);
  CHECK(f.ids(f.assoc(cy, "followers")) == Ids{id_of(ann)});
  // an invalid target: neither is saved
  auto bad = f.store.associations().create_in(f.assoc(ann, "following"), {{"username", Value("")}}, false);
  CHECK(bad->new_record());
  CHECK(f.rows("users") == 3);
  CHECK(f.rows("follows") == 2);
  // << a new record saves it first, then links it
  auto dee = f.store.persistence().build(f.model("User"), {{"username", Value("dee")}, {"email", Value("dee@example.com")}});
  f.store.associations().add(f.assoc(ann, "following"), dee);
  CHECK(dee->persisted());
  CHECK(f.store.queries().count(f.assoc(ann, "following")) == 3);
}

TEST_CASE("a through association through another through cannot be written") {
  auto decls = fwitter_models();
  decls[0].has_many("followed_tweets", {{"through", sym("following")}, {"source", sym("tweets")}});
  TestApp a(fwitter_schema(), std::move(decls));
  auto ann = a.create("User", {{"username", Value("ann")}, {"email", Value("ann@x.io")}});
  auto bob = a.create("User", {{"username", Value("bob")}, {"email", Value("bob@x.io")}});
  auto t = a.create("Tweet", {{"user", bob}, {"content", Value("t")}});
  CHECK_THROWS_WITH_AS(a.store.associations().add(a.assoc(ann, "followed_tweets"), t),
                       "Cannot modify association 'User#followed_tweets' because the source reflection class 'Tweet' "
                       "is associated to 'User' via :has_many.",
                       ModelError);
  CHECK(a.rows("follows") == 0);
}

TEST_CASE("has_and_belongs_to_many: <<, create, delete, include? and count") {
  TestApp a(table_sql("songs", "  title varchar") + table_sql("genres", "  name varchar") +
                "CREATE TABLE genres_songs (genre_id integer NOT NULL REFERENCES genres (id),"
                " song_id integer NOT NULL REFERENCES songs (id));",
            {ModelDecl("Song").has_and_belongs_to_many("genres").validates({"title"}, {{"presence", yes()}}),
             ModelDecl("Genre").has_and_belongs_to_many("songs")});
  auto song = a.create("Song", {{"title", Value("one")}});
  auto rock = a.create("Genre", {{"name", Value("rock")}});
  Relation genres = a.assoc(song, "genres");
  CHECK(a.store.queries().count(genres) == 0);
  a.store.associations().add(genres, rock);
  CHECK(a.rows("genres_songs") == 1);
  CHECK(a.db.scalar({"", "SELECT genre_id || ',' || song_id FROM genres_songs", {}}) ==
        Value(std::to_string(id_of(rock)) + "," + std::to_string(id_of(song))));
  auto jazz = a.store.associations().create_in(genres, {{"name", Value("jazz")}}, true);
  CHECK(jazz->persisted());
  CHECK(a.rows("genres") == 2);
  CHECK(a.ids(genres.order("id", false)) == Ids{id_of(rock), id_of(jazz)});
  CHECK(a.store.associations().includes(genres, jazz));
  CHECK(a.ids(a.assoc(jazz, "songs")) == Ids{id_of(song)});
  // a song created from the genre's side
  auto two = a.store.associations().create_in(a.assoc(rock, "songs"), {{"title", Value("two")}}, true);
  CHECK(a.store.queries().count(a.assoc(rock, "songs")) == 2);
  auto bad = a.store.associations().create_in(a.assoc(rock, "songs"), {{"title", Value("")}}, false);
  CHECK(bad->new_record());
  CHECK(a.rows("genres_songs") == 3);
  CHECK_THROWS_WITH_AS(a.store.associations().create_in(a.assoc(rock, "songs"), {}, true), "Validation failed: Title can't be blank",
                       RecordInvalid);
  CHECK(a.rows("genres_songs") == 3);

  a.store.associations().remove(genres, rock);
  CHECK(a.rows("genres_songs") == 2);
  CHECK(a.rows("genres") == 2);
  CHECK_FALSE(a.store.associations().includes(genres, rock));
  CHECK(a.ids(a.assoc(rock, "songs")) == Ids{id_of(two)});
}

TEST_CASE("delegate: declared to a belongs_to, read through its target") {
  Fwitter f;
  auto ann = f.user("ann");
  auto t = f.tweet(ann, "hi");
  const Delegation* d = t->model().delegation("username");
  REQUIRE(d != nullptr);
  auto target = f.target(t, d->to);
  REQUIRE(target != nullptr);
  CHECK(target->get(d->method) == Value("ann"));

  auto decls = fwitter_models();
  decls[1].delegate({"email"}, {{"to", sym("hearts")}});
  CHECK(load_error(fwitter_schema(), decls) ==
        "Tweet delegate to: :hearts names no belongs_to or has_one association of Tweet.");
  decls = fwitter_models();
  decls[1].delegate({"email"}, {{"to", sym("usr")}});
  CHECK(load_error(fwitter_schema(), decls) ==
        "Tweet delegate to: :usr names no belongs_to or has_one association of Tweet. Did you mean? user");
  decls = fwitter_models();
  decls[1].delegate({"email"}, {{"too", sym("user")}});
  std::string e = load_error(fwitter_schema(), decls);
  CHECK(e == "Tweet delegate: unknown option too:. Did you mean? to\nTweet delegate :email: needs to: :association");
}

TEST_CASE("scope: a lambda over a relation, chainable and usable on an association") {
  auto decls = fwitter_models();
  decls[1]
      .scope("recent", [](CodeRunner&, const Relation& r) { return r.order("id", true).limit(2); })
      .scope("greetings", [](CodeRunner&, const Relation& r) { return r.where({{"content", Value("hello")}}); });
  TestApp a(fwitter_schema(), std::move(decls));
  auto ann = a.create("User", {{"username", Value("ann")}, {"email", Value("ann@x.io")}});
  auto bob = a.create("User", {{"username", Value("bob")}, {"email", Value("bob@x.io")}});
  for (const char* c : {"hello", "a", "hello", "b"}) a.create("Tweet", {{"user", ann}, {"content", Value(c)}});
  a.create("Tweet", {{"user", bob}, {"content", Value("hello")}});
  const ModelClass& tweet = a.model("Tweet");
  REQUIRE(tweet.scope("recent") != nullptr);
  CHECK(tweet.scope("nope") == nullptr);
  const ScopeBody& recent_body = tweet.scope("recent")->body;
  const ScopeBody& greetings_body = tweet.scope("greetings")->body;
  auto recent = [&](const Relation& r) { return recent_body(a.store.code(), r); };
  auto greetings = [&](const Relation& r) { return greetings_body(a.store.code(), r); };
  CHECK(a.ids(recent(Relation(tweet))) == Ids{5, 4});
  CHECK(a.store.queries().count(greetings(Relation(tweet))) == 3);
  CHECK(a.ids(recent(greetings(Relation(tweet)))) == Ids{5, 3});
  // on an association: still the owner's collection
  Relation anns = greetings(a.assoc(ann, "tweets"));
  CHECK(a.ids(anns) == Ids{1, 3});
  REQUIRE(anns.owner() != nullptr);
  CHECK(anns.owner()->reflection == &a.reflection("User", "tweets"));
  auto made = a.store.associations().create_in(anns, {{"content", Value("new")}}, true);
  CHECK(made->get("user_id") == ann->id());
}

TEST_CASE("self.table_name: a model over a table its name does not give") {
  TestApp a(table_sql("accounts", "  login varchar") +
                table_sql("tbl_entries", "  account_id integer NOT NULL REFERENCES accounts (id),\n  body text"),
            {ModelDecl("User").set_table_name("accounts").has_many("entries", {{"foreign_key", str("account_id")}}),
             ModelDecl("Entry").set_table_name("tbl_entries").belongs_to("account", {{"class_name", str("User")}})});
  CHECK(a.model("User").table == "accounts");
  CHECK(a.model("Entry").table == "tbl_entries");
  auto u = a.create("User", {{"login", Value("ann")}});
  auto e = a.create("Entry", {{"account", u}, {"body", Value("x")}});
  CHECK(a.rows("accounts") == 1);
  CHECK(a.rows("tbl_entries") == 1);
  CHECK(a.ids(a.assoc(u, "entries")) == Ids{id_of(e)});
  CHECK(a.assoc(u, "entries").select("*", "").sql ==
        "SELECT * FROM \"tbl_entries\" WHERE \"tbl_entries\".\"account_id\" = ?");
  CHECK(id_of(a.target(e, "account")) == id_of(u));
  CHECK_THROWS_WITH_AS(a.store.queries().find(a.all("Entry"), Value(7)), "Couldn't find Entry with 'id'=7", RecordNotFound);
}

TEST_CASE("a belongs_to target is read by the same query for every owner, each with its own key") {
  // The query is built once per association and then given each owner's key:
  // the log must read as if built afresh, and each owner get its own parent.
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto t1 = f.tweet(ann, "one");
  auto t2 = f.tweet(bob, "two");
  auto fresh1 = f.store.queries().find(f.all("Tweet"), t1->id());
  auto fresh2 = f.store.queries().find(f.all("Tweet"), t2->id());
  SqlLog log(f.db);
  CHECK(f.target(fresh1, "user")->id() == ann->id());
  CHECK(f.target(fresh2, "user")->id() == bob->id());
  REQUIRE(log.size() == 2);
  const std::string sql = R"(SELECT "users".* FROM "users" WHERE "users"."id" = ? LIMIT ?)";
  CHECK(log.line(0) == "User Load  " + sql + R"(  [["id", )" + std::to_string(std::get<std::int64_t>(ann->id())) + R"(], ["LIMIT", 1]])");
  CHECK(log.line(1) == "User Load  " + sql + R"(  [["id", )" + std::to_string(std::get<std::int64_t>(bob->id())) + R"(], ["LIMIT", 1]])");
  // A key naming no row finds nothing, and the next owner still finds its own.
  auto orphan = f.store.persistence().build(f.model("Tweet"), {{"content", Value("x")}, {"user_id", Value(std::int64_t{999})}});
  CHECK(f.target(orphan, "user") == nullptr);
  auto fresh3 = f.store.queries().find(f.all("Tweet"), t1->id());
  CHECK(f.target(fresh3, "user")->id() == ann->id());
}

// A collection read as it is runs one query text, built once and given each
// owner's key (Relation::collection_query): each owner still reads its own rows.
TEST_CASE("a collection read as it is reads each owner's own rows, the same query text for all") {
  std::vector<std::string> sql;  // (before f: its listener hears f's last queries)
  Fwitter f;
  auto ann = f.user("ann"), bob = f.user("bob");
  auto hello = f.tweet(ann, "hello"), hi = f.tweet(bob, "hi");
  f.heart(bob, hello);
  f.heart(ann, hi);
  f.heart(bob, hi);
  f.db.listen([&](const storage::Query& q, std::chrono::microseconds) {
    if (q.label == "Tweet Load" || q.label == "User Load")
      sql.push_back(q.sql + " " + (q.binds.empty() ? "-" : value_to_s(q.binds.front().value)));
  });
  auto contents = [&](const RecordPtr& owner, const char* name) {
    Strings out;
    for (const auto& r : f.store.queries().to_a(f.assoc(owner, name)))
      out.push_back(text(r, r->model().name == "User" ? "username" : "content"));
    return out;
  };
  CHECK(contents(ann, "tweets") == Strings{"hello"});
  CHECK(contents(bob, "tweets") == Strings{"hi"});
  CHECK(contents(ann, "liked_tweets") == Strings{"hi"});
  CHECK(contents(bob, "liked_tweets") == Strings{"hello", "hi"});
  CHECK(contents(hi, "likers") == Strings{"ann", "bob"});
  CHECK(contents(hello, "likers") == Strings{"bob"});
  REQUIRE(sql.size() == 6);
  CHECK(sql[0].substr(0, sql[0].rfind(' ')) == sql[1].substr(0, sql[1].rfind(' ')));
  CHECK(sql[0].substr(sql[0].rfind(' ')) == " " + value_to_s(ann->id()));
  CHECK(sql[1].substr(sql[1].rfind(' ')) == " " + value_to_s(bob->id()));
  // a new owner has no key: no rows, and the query the others share is untouched
  auto nobody = f.store.persistence().build(f.model("User"), {{"username", Value("cy")}});
  CHECK(contents(nobody, "tweets").empty());
  CHECK(contents(ann, "tweets") == Strings{"hello"});
  // chained, it goes the general way
  CHECK(f.store.queries().count(f.assoc(bob, "liked_tweets").where({{"content", Value("hi")}})) == 1);
}

// The fwitter app (db/models.fw), as its users would use it.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Ids = std::vector<std::int64_t>;
using Counts = std::vector<std::int64_t>;
using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("user 1 sends user 2 a message; it is in user(2).received_messages with sender user 1") {
  Fwitter f;
  f.user("ann");
  f.user("bob");
  auto one = f.find("User", 1);
  auto two = f.find("User", 2);
  auto m = f.store.associations().create_in(f.assoc(one, "sent_messages"), {{"receiver", two}, {"content", Value("hi bob")}}, true);
  CHECK(m->get("sender_id") == Value(std::int64_t{1}));
  CHECK(m->get("receiver_id") == Value(std::int64_t{2}));

  auto received = f.store.queries().to_a(f.assoc(f.find("User", 2), "received_messages"));
  REQUIRE(received.size() == 1);
  CHECK(text(received[0], "content") == "hi bob");
  auto sender = f.target(received[0], "sender");
  REQUIRE(sender != nullptr);
  CHECK(id_of(sender) == 1);
  CHECK(text(sender, "username") == "ann");
  CHECK(id_of(f.target(received[0], "receiver")) == 2);
  CHECK(f.store.queries().count(f.assoc(one, "received_messages")) == 0);
  CHECK(f.store.queries().count(f.assoc(two, "sent_messages")) == 0);

  // a message needs its two users and a content, said in declaration order
  auto bad = f.store.persistence().build(f.model("Message"), {{"receiver", two}});
  CHECK_THROWS_WITH_AS(f.store.persistence().save_strict(*bad), "Validation failed: Sender must exist, Content can't be blank",
                       RecordInvalid);
}

TEST_CASE("hearts make liked_tweets and likers; a second identical heart is refused") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto cy = f.user("cy");
  auto t1 = f.tweet(bob, "first");
  auto t2 = f.tweet(bob, "second");
  f.heart(ann, t1);
  f.heart(ann, t2);
  f.heart(cy, t1);
  CHECK(f.ids(f.assoc(ann, "liked_tweets").order("id", false)) == Ids{id_of(t1), id_of(t2)});
  CHECK(f.ids(f.assoc(t1, "likers").order("id", false)) == Ids{id_of(ann), id_of(cy)});
  CHECK(f.ids(f.assoc(t2, "likers")) == Ids{id_of(ann)});
  CHECK(f.store.queries().count(f.assoc(bob, "liked_tweets")) == 0);
  CHECK(f.store.queries().count(f.assoc(t1, "hearts")) == 2);

  auto again = f.store.persistence().build(f.model("Heart"), {{"user", ann}, {"tweet", t1}});
  CHECK_THROWS_WITH_AS(f.store.persistence().save_strict(*again), "Validation failed: Tweet has already been taken", RecordInvalid);
  CHECK(f.rows("hearts") == 3);

  // delegate :username, to: :user
  const Delegation* d = f.model("Tweet").delegation("username");
  REQUIRE(d != nullptr);
  CHECK(f.target(t1, d->to)->get(d->method) == Value("bob"));
}

TEST_CASE("follows make followers and following") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto cy = f.user("cy");
  f.follow(ann, bob);
  f.follow(cy, bob);
  f.follow(bob, ann);
  CHECK(f.ids(f.assoc(bob, "followers").order("id", false)) == Ids{id_of(ann), id_of(cy)});
  CHECK(f.ids(f.assoc(bob, "following")) == Ids{id_of(ann)});
  CHECK(f.ids(f.assoc(ann, "following")) == Ids{id_of(bob)});
  CHECK(f.ids(f.assoc(ann, "followers")) == Ids{id_of(bob)});
  CHECK(f.store.queries().count(f.assoc(cy, "followers")) == 0);
  CHECK(f.store.queries().count(f.assoc(cy, "following")) == 1);
  CHECK(f.store.queries().count(f.assoc(bob, "passive_follows")) == 2);
  CHECK_THROWS_WITH_AS(f.follow(ann, bob), "Validation failed: Followed has already been taken", RecordInvalid);
  CHECK_THROWS_WITH_AS(f.follow(ann, ann), "Validation failed: Followed must be other than 1", RecordInvalid);
  CHECK(f.rows("follows") == 3);
}

TEST_CASE("users: unique names and emails, a valid email") {
  Fwitter f;
  f.user("ann");
  CHECK_THROWS_WITH_AS(f.create("User", {{"username", Value("ann")}, {"email", Value("ann@example.com")}}),
                       "Validation failed: Username has already been taken, Email has already been taken",
                       RecordInvalid);
  CHECK_THROWS_WITH_AS(f.create("User", {{"username", Value("bob")}, {"email", Value("bob@")}}),
                       "Validation failed: Email is invalid", RecordInvalid);
  CHECK_THROWS_WITH_AS(f.create("User", {}),
                       "Validation failed: Username can't be blank, Email can't be blank, Email is invalid",
                       RecordInvalid);
  CHECK(f.rows("users") == 1);
}

TEST_CASE("destroying a user removes their tweets, hearts on them, messages and follows both ways, and nothing else") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto cy = f.user("cy");
  auto dee = f.user("dee");
  auto a1 = f.tweet(ann, "a1");
  auto a2 = f.tweet(ann, "a2");
  auto b1 = f.tweet(bob, "b1");
  auto c1 = f.tweet(cy, "c1");
  auto c2 = f.tweet(cy, "c2");
  // hearts on ann's tweets (ann's own included), ann's hearts on others, and others' on others
  f.heart(bob, a1);
  f.heart(cy, a1);
  f.heart(dee, a2);
  f.heart(ann, a2);
  f.heart(ann, b1);
  f.heart(ann, c1);
  auto keep_h1 = f.heart(bob, c1);
  auto keep_h2 = f.heart(dee, b1);
  // messages both ways, and between others
  f.message(ann, bob, "1");
  f.message(bob, ann, "2");
  f.message(cy, ann, "3");
  auto keep_m1 = f.message(bob, cy, "4");
  auto keep_m2 = f.message(cy, dee, "5");
  // follows both ways, and between others
  f.follow(ann, bob);
  f.follow(bob, ann);
  f.follow(cy, ann);
  f.follow(ann, dee);
  auto keep_f1 = f.follow(bob, cy);
  auto keep_f2 = f.follow(dee, cy);

  REQUIRE(f.counts(fwitter_tables()) == Counts{4, 5, 5, 6, 8});
  CHECK(f.store.persistence().destroy(*ann));
  CHECK(ann->destroyed());
  CHECK(f.counts(fwitter_tables()) == Counts{3, 3, 2, 2, 2});

  CHECK(f.ids(f.all("User")) == Ids{id_of(bob), id_of(cy), id_of(dee)});
  CHECK(f.ids(f.all("Tweet")) == Ids{id_of(b1), id_of(c1), id_of(c2)});
  CHECK(f.ids(f.all("Heart")) == Ids{id_of(keep_h1), id_of(keep_h2)});
  CHECK(f.ids(f.all("Message")) == Ids{id_of(keep_m1), id_of(keep_m2)});
  CHECK(f.ids(f.all("Follow")) == Ids{id_of(keep_f1), id_of(keep_f2)});
  // the survivors' associations are whole
  CHECK(f.ids(f.assoc(bob, "liked_tweets")) == Ids{id_of(c1)});
  CHECK(f.ids(f.assoc(c1, "likers")) == Ids{id_of(bob)});
  CHECK(f.ids(f.assoc(cy, "followers").order("id", false)) == Ids{id_of(bob), id_of(dee)});
  CHECK(f.store.queries().count(f.assoc(bob, "following")) == 1);
  CHECK(f.store.queries().count(f.assoc(bob, "followers")) == 0);
  CHECK(f.store.queries().count(f.assoc(dee, "received_messages")) == 1);
  CHECK_THROWS_WITH_AS(f.find("User", 1), "Couldn't find User with 'id'=1", RecordNotFound);
}

TEST_CASE("destroying a tweet takes its hearts only") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto t = f.tweet(ann, "t");
  auto u = f.tweet(ann, "u");
  f.heart(bob, t);
  f.heart(ann, t);
  f.heart(bob, u);
  CHECK(f.store.persistence().destroy(*t));
  CHECK(f.counts(fwitter_tables()) == Counts{2, 1, 0, 0, 1});
  CHECK(f.ids(f.assoc(bob, "liked_tweets")) == Ids{id_of(u)});
}

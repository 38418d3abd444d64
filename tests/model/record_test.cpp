// Records: create, save, update, destroy, reload, valid? and errors,
// timestamps and typed attributes.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

// Seconds since the epoch of a "YYYY-MM-DD HH:MM:SS.ffffff" read as UTC.
std::time_t utc_seconds(const std::string& stamp) {
  std::tm tm{};
  REQUIRE(sscanf(stamp.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                 &tm.tm_sec) == 6);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

// "YYYY-MM-DD HH:MM:SS.ffffff"
bool is_stamp(const std::string& s) {
  const std::string shape = "dddd-dd-dd dd:dd:dd.dddddd";
  if (s.size() != shape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != shape[i]) return false;
  return true;
}

int count_statements(storage::Database& db, const std::string& prefix, const std::function<void()>& body) {
  int n = 0;
  db.set_logger([&](const storage::Query& q, std::chrono::microseconds) {
    if (q.sql.rfind(prefix, 0) == 0) ++n;
  });
  body();
  db.set_logger(nullptr);
  return n;
}

}  // namespace

TEST_CASE("create: saved with an id and UTC timestamps in Rails' format") {
  Fwitter f;
  auto u = f.store.persistence().build(f.model("User"), {{"username", Value("ann")}, {"email", Value("ann@example.com")}});
  CHECK(u->new_record());
  CHECK_FALSE(u->persisted());
  CHECK(is_null(u->id()));
  CHECK(is_null(u->get("created_at")));
  CHECK(u->changed());
  CHECK(f.store.persistence().save(*u));
  CHECK_FALSE(u->new_record());
  CHECK(u->persisted());
  CHECK_FALSE(u->changed());
  CHECK(u->id() == Value(std::int64_t{1}));

  std::string created = text(u, "created_at");
  CHECK(is_stamp(created));
  CHECK(text(u, "updated_at") == created);
  auto diff = std::difftime(utc_seconds(created), std::time(nullptr));
  CHECK(diff <= 5);
  CHECK(diff >= -5);
  // stored as shown
  CHECK(f.db.scalar({"", "SELECT created_at FROM users WHERE id = 1", {}}) == Value(created));
  CHECK(f.db.scalar({"", "SELECT username FROM users WHERE id = 1", {}}) == Value("ann"));

  auto t = f.tweet(u, "hello");
  CHECK(id_of(t) == 1);
  CHECK(text(t, "user_id") == "1");
  CHECK(f.rows("tweets") == 1);
}

TEST_CASE("update changes updated_at only; an unchanged save writes nothing") {
  Fwitter f;
  auto u = f.user("ann");
  std::string created = text(u, "created_at");
  CHECK(count_statements(f.db, "UPDATE", [&] { CHECK(f.store.persistence().save(*u)); }) == 0);
  CHECK(f.store.persistence().update(*u, {{"username", Value("annie")}}));
  CHECK(text(u, "created_at") == created);
  CHECK(is_stamp(text(u, "updated_at")));
  CHECK(text(u, "updated_at") >= created);
  auto fresh = f.find("User", 1);
  CHECK(text(fresh, "username") == "annie");
  CHECK(text(fresh, "updated_at") == text(u, "updated_at"));
  CHECK(text(fresh, "created_at") == created);

  // an invalid update returns false and leaves the row as it was
  CHECK_FALSE(f.store.persistence().update(*u, {{"username", Value("")}}));
  CHECK(u->errors().full_messages() == std::vector<std::string>{"Username can't be blank"});
  CHECK(text(f.find("User", 1), "username") == "annie");
  CHECK_THROWS_WITH_AS(f.store.persistence().update_strict(*u, {{"email", Value("nope")}}),
                       "Validation failed: Username can't be blank, Email is invalid", RecordInvalid);
}

TEST_CASE("changes list old and new values") {
  Fwitter f;
  auto u = f.user("ann");
  f.store.persistence().assign(*u, "username", Value("bea"));
  auto changes = u->changes();
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].first == "username");
  CHECK(changes[0].second.first == Value("ann"));
  CHECK(changes[0].second.second == Value("bea"));
}

TEST_CASE("destroy removes the row and freezes the record") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  CHECK(f.store.persistence().destroy(*ann));
  CHECK(ann->destroyed());
  CHECK_FALSE(ann->persisted());
  CHECK(f.rows("users") == 1);
  CHECK(f.ids(f.all("User")) == std::vector<std::int64_t>{id_of(bob)});
  CHECK_THROWS_WITH_AS(f.store.persistence().assign(*ann, "username", Value("x")), "can't modify frozen User", ModelError);
  CHECK_THROWS_WITH_AS(f.store.persistence().save(*ann), "can't modify frozen User", ModelError);
  CHECK(f.store.persistence().destroy(*ann));  // again: nothing to do
  CHECK(f.rows("users") == 1);
  // a new record is only marked
  auto n = f.store.persistence().build(f.model("User"), {{"username", Value("new")}});
  CHECK(f.store.persistence().destroy(*n));
  CHECK(n->destroyed());
  CHECK(f.rows("users") == 1);
}

TEST_CASE("reload reads the row again, dropping unsaved changes and errors") {
  Fwitter f;
  auto u = f.user("ann");
  auto other = f.find("User", id_of(u));
  CHECK(f.store.persistence().update(*other, {{"email", Value("new@example.com")}}));
  f.store.persistence().assign(*u, "username", Value(""));
  CHECK_FALSE(f.store.persistence().valid(*u));
  CHECK_FALSE(u->errors().empty());
  f.store.persistence().reload(*u);
  CHECK(text(u, "username") == "ann");
  CHECK(text(u, "email") == "new@example.com");
  CHECK_FALSE(u->changed());
  CHECK(u->errors().empty());
  f.store.queries().delete_all(f.all("User"));
  CHECK_THROWS_WITH_AS(f.store.persistence().reload(*u), "Couldn't find User with 'id'=1", RecordNotFound);
}

TEST_CASE("valid? and errors") {
  Fwitter f;
  auto t = f.store.persistence().build(f.model("Tweet"), {});
  CHECK_FALSE(f.store.persistence().valid(*t));
  CHECK(t->errors().size() == 2);
  CHECK(t->errors().on("user") == std::vector<std::string>{"must exist"});
  CHECK(t->errors().on("content") == std::vector<std::string>{"can't be blank"});
  CHECK(t->errors().full_messages() == std::vector<std::string>{"User must exist", "Content can't be blank"});
  CHECK_FALSE(f.store.persistence().save(*t));
  CHECK(t->new_record());
  CHECK(f.rows("tweets") == 0);
  f.store.persistence().assign(*t, "user", f.user("ann"));
  f.store.persistence().assign(*t, "content", Value("hi"));
  CHECK(f.store.persistence().valid(*t));
  CHECK(t->errors().empty());
}

TEST_CASE("typed attributes: cast by the column's type") {
  Fwitter f;
  auto u = f.store.persistence().build(f.model("User"), {{"username", Value("0123")}, {"email", Value(42)}});
  CHECK(u->get("username") == Value("0123"));  // a string column keeps the text
  CHECK(u->get("email") == Value("42"));       // and turns a number into text
  auto t = f.store.persistence().build(f.model("Tweet"), {{"user_id", Value("12")}, {"content", Value("0123")}});
  CHECK(t->get("user_id") == Value(std::int64_t{12}));  // an integer column given "12"
  CHECK(t->before_cast(static_cast<size_t>(f.model("Tweet").column_index("user_id"))) == Value("12"));
  CHECK(t->get("content") == Value("0123"));  // a text column keeps "0123"
  f.store.persistence().assign(*t, "user_id", Value(""));
  CHECK(is_null(t->get("user_id")));  // "" is nil for a number
  f.store.persistence().assign(*t, "user_id", Value("7 dwarves"));
  CHECK(t->get("user_id") == Value(std::int64_t{7}));

  // read back typed from the database
  auto ann = f.user("ann");
  auto saved = f.create("Tweet", {{"user_id", Value("1")}, {"content", Value("0123")}});
  auto back = f.find("Tweet", id_of(saved));
  CHECK(back->get("user_id") == Value(std::int64_t{1}));
  CHECK(back->get("content") == Value("0123"));
  CHECK(f.db.scalar({"", "SELECT typeof(user_id) || ',' || typeof(content) FROM tweets", {}}) == Value("integer,text"));

  CHECK_THROWS_WITH_AS(f.store.persistence().assign(*t, "usr_id", Value(1)),
                       "unknown attribute 'usr_id' for Tweet. Did you mean? user_id", UnknownAttributeError);
  CHECK_THROWS_WITH_AS(ann->get("name"), "unknown attribute 'name' for User.", UnknownAttributeError);
}

TEST_CASE("booleans, floats and defaults from the schema") {
  TestApp a(table_sql("gadgets", "  name varchar DEFAULT 'it''s', active boolean DEFAULT 1, weight float, stock integer DEFAULT 3"),
            {ModelDecl("Gadget")});
  auto g = a.store.persistence().build(a.model("Gadget"), {});
  CHECK(g->get("name") == Value("it's"));
  CHECK(g->get("active") == Value(true));
  CHECK(g->get("stock") == Value(std::int64_t{3}));
  CHECK(is_null(g->get("weight")));
  a.store.persistence().assign(*g, "active", Value("false"));
  a.store.persistence().assign(*g, "weight", Value("2.5"));
  CHECK(g->get("active") == Value(false));
  CHECK(g->get("weight") == Value(2.5));
  a.store.persistence().save_strict(*g);
  CHECK(a.db.scalar({"", "SELECT active FROM gadgets", {}}) == Value(std::int64_t{0}));
  auto back = a.find("Gadget", 1);
  CHECK(back->get("active") == Value(false));
  CHECK(back->get("weight") == Value(2.5));
  CHECK(back->get("name") == Value("it's"));
}

TEST_CASE("a new parent assigned to a belongs_to is saved with its child") {
  Fwitter f;
  auto u = f.store.persistence().build(f.model("User"), {{"username", Value("ann")}, {"email", Value("ann@example.com")}});
  auto t = f.store.persistence().build(f.model("Tweet"), {{"user", u}, {"content", Value("first")}});
  CHECK(f.store.persistence().valid(*t));
  f.store.persistence().save_strict(*t);
  CHECK(u->persisted());
  CHECK(t->get("user_id") == u->id());
  CHECK(f.rows("users") == 1);
  CHECK(id_of(f.target(t, "user")) == id_of(u));
  // an invalid new parent is not saved and the child goes on without its key, as
  // ActiveRecord 6.1's belongs_to: here tweets.user_id is NOT NULL, and nothing is saved
  auto bad = f.store.persistence().build(f.model("User"), {{"username", Value("")}, {"email", Value("x@y.z")}});
  auto t2 = f.store.persistence().build(f.model("Tweet"), {{"user", bad}, {"content", Value("second")}});
  CHECK_THROWS_WITH(f.store.persistence().save(*t2), doctest::Contains("NOT NULL constraint failed: tweets.user_id"));
  CHECK(f.rows("users") == 1);
  CHECK(f.rows("tweets") == 1);
  // assigning a record of the wrong model is refused
  CHECK_THROWS_WITH_AS(f.store.persistence().assign(*t2, "user", t), "User(User) expected, got Tweet which is an instance of Tweet",
                       ModelError);
}

TEST_CASE("setting a foreign key forgets a belongs_to target assigned before") {
  Fwitter f;
  auto ann = f.user("ann");
  auto bob = f.user("bob");
  auto t = f.store.persistence().build(f.model("Tweet"), {{"user", ann}, {"content", Value("hi")}});
  CHECK(id_of(f.target(t, "user")) == id_of(ann));
  f.store.persistence().assign(*t, "user_id", bob->id());
  CHECK(id_of(f.target(t, "user")) == id_of(bob));
  f.store.persistence().assign(*t, "user_id", Value(99));
  CHECK(f.target(t, "user") == nullptr);
  CHECK_FALSE(f.store.persistence().valid(*t));
  CHECK(t->errors().full_messages() == std::vector<std::string>{"User must exist"});
  // the same key keeps the record assigned
  f.store.persistence().assign(*t, "user", ann);
  f.store.persistence().assign(*t, "user_id", Value("1"));
  CHECK(t->targets().count("user") == 1);
}

TEST_CASE("a rollback puts back records still held, after thousands of saves whose records were dropped") {
  Fwitter f;
  auto ann = f.user("ann");
  storage::Transaction tx(f.db);
  size_t mark = f.store.change_mark();
  auto kept = f.user("kept");  // held all along: the rollback must make it new again
  for (int i = 0; i < 3000; ++i) f.user("u" + std::to_string(i));  // dropped at once: their entries may go
  ann->set("username", Value("annie"));
  f.store.persistence().save_strict(*ann);
  tx.rollback();
  f.store.roll_back_to(mark);
  CHECK(kept->new_record());
  CHECK(is_null(kept->id()));
  auto username = static_cast<size_t>(ann->model().column_index("username"));
  CHECK(ann->saved(username) == Value("ann"));  // as the database has it again
  CHECK(ann->changed());                         // "annie" stays, as a change not yet saved
  CHECK(f.rows("users") == 1);
}

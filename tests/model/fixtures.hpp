#pragma once
// Shared helpers for the model tests: each test case opens its own :memory:
// database, creates tables with SQL shaped like db/migrate/*.sql, declares
// models through the C++ API and loads them.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/value.hpp"
#include "model/app.hpp"
#include "model/declaration.hpp"
#include "model/errors.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"
#include "model/store.hpp"
#include "storage/database.hpp"

namespace doctest {
// Lists of ids, values and log lines print in failures.
template <typename T>
String print_list(const std::vector<T>& items, std::string (*render)(const T&), const char* separator) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + render(items[i]);
  return (out + "]").c_str();
}
template <>
struct StringMaker<std::vector<std::int64_t>> {
  static String convert(const std::vector<std::int64_t>& v) {
    return print_list<std::int64_t>(v, [](const std::int64_t& i) { return std::to_string(i); }, ", ");
  }
};
template <>
struct StringMaker<std::vector<fw::Value>> {
  static String convert(const std::vector<fw::Value>& v) { return print_list<fw::Value>(v, fw::inspect_value, ", "); }
};
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    return print_list<std::string>(v, [](const std::string& s) { return s; }, ",\n ");
  }
};
}  // namespace doctest

namespace fixtures {

using namespace fw;
using namespace fw::model;

inline Arg sym(std::string s) { return Arg::symbol(std::move(s)); }
inline Arg str(std::string s) { return Arg::string(std::move(s)); }
inline Arg yes() { return Arg::boolean(true); }
inline Arg num(std::int64_t i) { return Arg::integer(i); }
inline Arg hash(std::vector<std::pair<std::string, Arg>> h) { return Arg::hash_of(std::move(h)); }

// A table as the migrations write one: id, the given columns, timestamps.
inline std::string table_sql(const std::string& table, const std::string& columns) {
  return "CREATE TABLE " + table + " (\n  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n" +
         (columns.empty() ? "" : columns + ",\n") +
         "  created_at datetime(6) NOT NULL,\n  updated_at datetime(6) NOT NULL\n);\n";
}

// db/migrate/0001..0005.
inline std::string fwitter_schema() {
  return table_sql("users", "  username varchar,\n  email varchar") +
         "CREATE UNIQUE INDEX index_users_on_username ON users (username);\n"
         "CREATE UNIQUE INDEX index_users_on_email ON users (email);\n" +
         table_sql("tweets", "  user_id integer NOT NULL REFERENCES users (id),\n  content text") +
         "CREATE INDEX index_tweets_on_user_id ON tweets (user_id);\n" +
         table_sql("messages",
                   "  sender_id integer NOT NULL REFERENCES users (id),\n"
                   "  receiver_id integer NOT NULL REFERENCES users (id),\n  content text") +
         table_sql("follows",
                   "  follower_id integer NOT NULL REFERENCES users (id),\n"
                   "  followed_id integer NOT NULL REFERENCES users (id)") +
         "CREATE UNIQUE INDEX index_follows_on_follower_id_and_followed_id ON follows (follower_id, followed_id);\n" +
         table_sql("hearts",
                   "  user_id integer NOT NULL REFERENCES users (id),\n"
                   "  tweet_id integer NOT NULL REFERENCES tweets (id)") +
         "CREATE UNIQUE INDEX index_hearts_on_user_id_and_tweet_id ON hearts (user_id, tweet_id);\n";
}

inline const std::vector<std::string>& fwitter_tables() {
  static const std::vector<std::string> tables = {"users", "tweets", "messages", "follows", "hearts"};
  return tables;
}

// The fwitter app of db/models.fw, through the C++ API.
inline std::vector<ModelDecl> fwitter_models() {
  std::vector<ModelDecl> decls;
  decls.push_back(
      ModelDecl("User")
          .has_many("tweets", {{"dependent", sym("destroy")}})
          .has_many("sent_messages",
                    {{"class_name", str("Message")}, {"foreign_key", str("sender_id")}, {"dependent", sym("destroy")}})
          .has_many("received_messages",
                    {{"class_name", str("Message")}, {"foreign_key", str("receiver_id")}, {"dependent", sym("destroy")}})
          .has_many("hearts", {{"dependent", sym("destroy")}})
          .has_many("liked_tweets", {{"through", sym("hearts")}, {"source", sym("tweet")}})
          .has_many("active_follows",
                    {{"class_name", str("Follow")}, {"foreign_key", str("follower_id")}, {"dependent", sym("destroy")}})
          .has_many("passive_follows",
                    {{"class_name", str("Follow")}, {"foreign_key", str("followed_id")}, {"dependent", sym("destroy")}})
          .has_many("following", {{"through", sym("active_follows")}, {"source", sym("followed")}})
          .has_many("followers", {{"through", sym("passive_follows")}, {"source", sym("follower")}})
          .validates({"username"}, {{"presence", yes()}, {"uniqueness", yes()}})
          .validates({"email"}, {{"presence", yes()},
                                 {"uniqueness", yes()},
                                 {"format", hash({{"with", Arg::regex(R"(\A[^@\s]+@[^@\s]+\z)")}})}}));
  decls.push_back(ModelDecl("Tweet")
                      .belongs_to("user")
                      .has_many("hearts", {{"dependent", sym("destroy")}})
                      .has_many("likers", {{"through", sym("hearts")}, {"source", sym("user")}})
                      .delegate({"username"}, {{"to", sym("user")}})
                      .validates({"content"}, {{"presence", yes()}, {"length", hash({{"maximum", num(280)}})}}));
  decls.push_back(ModelDecl("Message")
                      .belongs_to("sender", {{"class_name", str("User")}})
                      .belongs_to("receiver", {{"class_name", str("User")}})
                      .validates({"content"}, {{"presence", yes()}}));
  decls.push_back(ModelDecl("Follow")
                      .belongs_to("follower", {{"class_name", str("User")}})
                      .belongs_to("followed", {{"class_name", str("User")}})
                      .validates({"followed_id"}, {{"uniqueness", hash({{"scope", sym("follower_id")}})}})
                      .validates({"followed_id"}, {{"comparison", hash({{"other_than", sym("follower_id")}})}}));
  decls.push_back(ModelDecl("Heart")
                      .belongs_to("user")
                      .belongs_to("tweet")
                      .validates({"tweet_id"}, {{"uniqueness", hash({{"scope", sym("user_id")}})}}));
  return decls;
}

inline storage::Database& with_schema(storage::Database& db, const std::string& sql) {
  db.exec_script(sql);
  return db;
}

// The code runner of an app declared in C++: its scopes and callbacks are
// C++ lambdas, which take the runner and need nothing from it. Code of the
// language (a CodeId) it has none of.
struct NoLanguage final : CodeRunner {
  Relation run_scope(CodeId, const Relation&, const RecordPtr&) override { throw fw::Error("no language here"); }
  bool run_on_record(CodeId, Record&) override { throw fw::Error("no language here"); }
};

// A database, the app loaded on it and a store: one per test case.
struct TestApp {
  storage::Database db;
  App app;
  NoLanguage code;
  Store store;

  TestApp(const std::string& schema, std::vector<ModelDecl> decls)
      : db(":memory:"), app(App::load(std::move(decls), with_schema(db, schema))), store(db, app, code) {}

  const ModelClass& model(const std::string& name) const {
    const ModelClass* m = app.find(name);
    REQUIRE_MESSAGE(m != nullptr, "no model " << name);
    return *m;
  }
  const Reflection& reflection(const std::string& model_name, const std::string& name) const {
    const Reflection* r = model(model_name).reflection(name);
    REQUIRE_MESSAGE(r != nullptr, model_name << " has no association " << name);
    return *r;
  }
  Relation all(const std::string& model_name) const { return Relation(model(model_name)); }

  RecordPtr create(const std::string& model_name, const Attributes& attributes) {
    auto record = store.persistence().build(model(model_name), attributes);
    store.persistence().save_strict(*record);
    return record;
  }
  // The association `name` of `owner` as a relation (collections) .
  Relation assoc(const RecordPtr& owner, const std::string& name) {
    return store.associations().collection(owner, reflection(owner->model().name, name));
  }
  RecordPtr target(const RecordPtr& owner, const std::string& name) {
    return store.associations().target(owner, reflection(owner->model().name, name));
  }
  std::int64_t rows(const std::string& table) {
    Value v = db.scalar({"", "SELECT COUNT(*) FROM " + storage::quote_identifier(table), {}});
    return std::get<std::int64_t>(v);
  }
  std::vector<std::int64_t> counts(const std::vector<std::string>& tables) {
    std::vector<std::int64_t> out;
    for (const auto& t : tables) out.push_back(rows(t));
    return out;
  }
  std::int64_t count(const Relation& relation) { return store.queries().count(relation); }
  RecordPtr find(const std::string& model_name, std::int64_t id) { return store.queries().find(all(model_name), id); }
  std::vector<std::int64_t> ids(const Relation& relation) {
    std::vector<std::int64_t> out;
    for (const auto& r : store.queries().to_a(relation)) out.push_back(std::get<std::int64_t>(r->id()));
    return out;
  }
};

struct Fwitter : TestApp {
  Fwitter() : TestApp(fwitter_schema(), fwitter_models()) {}

  RecordPtr user(const std::string& name) {
    return create("User", {{"username", Value(name)}, {"email", Value(name + "@example.com")}});
  }
  RecordPtr tweet(const RecordPtr& author, const std::string& content) {
    return create("Tweet", {{"user", author}, {"content", Value(content)}});
  }
  RecordPtr heart(const RecordPtr& who, const RecordPtr& tweet) {
    return create("Heart", {{"user", who}, {"tweet", tweet}});
  }
  RecordPtr follow(const RecordPtr& follower, const RecordPtr& followed) {
    return create("Follow", {{"follower", follower}, {"followed", followed}});
  }
  RecordPtr message(const RecordPtr& from, const RecordPtr& to, const std::string& content) {
    return create("Message", {{"sender", from}, {"receiver", to}, {"content", Value(content)}});
  }
};

// The statements run while it lives, as the --sql log shows them.
struct SqlLog {
  storage::Database& db;
  std::vector<storage::Query> queries;
  explicit SqlLog(storage::Database& database) : db(database) {
    db.set_logger([this](const storage::Query& q, std::chrono::microseconds) { queries.push_back(q); });
  }
  ~SqlLog() { db.set_logger(nullptr); }
  SqlLog(const SqlLog&) = delete;
  SqlLog& operator=(const SqlLog&) = delete;
  void clear() { queries.clear(); }
  size_t size() const { return queries.size(); }
  // "User Load  SELECT ...  [["id", 1]]": label, SQL and binds of the i-th statement.
  std::string line(size_t i) const {
    const storage::Query& q = queries.at(i);
    std::string binds;
    for (const auto& b : q.binds) binds += (binds.empty() ? "" : ", ") + ("[\"" + b.name + "\", " + inspect_value(b.value) + "]");
    return q.label + "  " + q.sql + (binds.empty() ? "" : "  [" + binds + "]");
  }
  std::string last() const { return queries.empty() ? "" : line(queries.size() - 1); }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < queries.size(); ++i) out.push_back(line(i));
    return out;
  }
};

// The small world the query tests (and /tmp's ActiveRecord script they were
// checked against) share: ann (1), bob (2), cy (3); tweets 1 "a1" and
// 3 "a2 rails" by ann, 2 "b1 rails" by bob; hearts bob->1, cy->1, ann->2;
// ann and cy follow bob.
struct Social : Fwitter {
  RecordPtr ann, bob, cy, t1, t2, t3;
  Social() {
    ann = user("ann");
    bob = user("bob");
    cy = user("cy");
    t1 = tweet(ann, "a1");
    t2 = tweet(bob, "b1 rails");
    t3 = tweet(ann, "a2 rails");
    heart(bob, t1);
    heart(cy, t1);
    heart(ann, t2);
    follow(ann, bob);
    follow(cy, bob);
  }
};

inline std::int64_t id_of(const RecordPtr& r) { return std::get<std::int64_t>(r->id()); }
inline std::string text(const RecordPtr& r, const std::string& column) { return value_to_s(r->get(column)); }

// The message of the DeclarationError an App::load of `decls` throws, or "" when it loads.
inline std::string load_error(const std::string& schema, std::vector<ModelDecl> decls) {
  storage::Database db(":memory:");
  db.exec_script(schema);
  try {
    App::load(std::move(decls), db);
  } catch (const DeclarationError& e) {
    return e.what();
  }
  return "";
}

}  // namespace fixtures

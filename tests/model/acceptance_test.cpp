// acceptance:, as ActiveModel 6.1 checks it: each expectation is what
// ActiveRecord 6.1 answered for the same model and values.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Strings = std::vector<std::string>;

// terms has no column (a virtual attribute); agreed is a boolean column,
// eula a string one with its own accept: and message:, code an integer one.
struct Signups : TestApp {
  Signups()
      : TestApp(table_sql("signups", "  email varchar, agreed boolean, eula varchar, code integer"),
                {ModelDecl("Signup")
                     .validates({"terms", "agreed"}, {{"acceptance", yes()}})
                     .validates({"eula"}, {{"acceptance", hash({{"accept", Arg::array({str("yes"), str("y")})},
                                                                 {"message", str("says no")}})}})
                     .validates({"code"}, {{"acceptance", yes()}})}) {}

  Strings errors(const Attributes& attributes) {
    auto s = store.persistence().build(model("Signup"), attributes);
    store.persistence().valid(*s);
    return s->errors().full_messages();
  }
};

}  // namespace

TEST_CASE("acceptance: \"1\" and true are accepted, nil passes, anything else must be accepted") {
  Signups f;
  CHECK(f.model("Signup").is_virtual("terms"));
  CHECK_FALSE(f.model("Signup").is_virtual("agreed"));  // a column: its cast value is checked
  CHECK(f.errors({}) == Strings{});
  CHECK(f.errors({{"terms", Value("1")}}) == Strings{});
  CHECK(f.errors({{"terms", Value(true)}}) == Strings{});
  for (const Value& refused : {Value("0"), Value(false), Value(std::int64_t{1}), Value("true"), Value("yes"), Value("")})
    CHECK(f.errors({{"terms", refused}}) == Strings{"Terms must be accepted"});
  // The boolean column casts "1" to true and "0" to false.
  CHECK(f.errors({{"agreed", Value("1")}}) == Strings{});
  CHECK(f.errors({{"agreed", Value("0")}}) == Strings{"Agreed must be accepted"});
  // accept: replaces the default; the integer column casts "1" to 1, which is neither "1" nor true.
  CHECK(f.errors({{"eula", Value("y")}, {"code", Value("1")}}) == Strings{"Code must be accepted"});
  CHECK(f.errors({{"eula", Value("1")}, {"code", Value(std::int64_t{1})}}) ==
        Strings{"Eula says no", "Code must be accepted"});
}

TEST_CASE("acceptance: allow_nil: false refuses nil; on: :create checks only a new record") {
  TestApp app(table_sql("signups", "  email varchar"),
              {ModelDecl("Signup")
                   .validates({"terms"}, {{"acceptance", yes()}, {"allow_nil", Arg::boolean(false)}})
                   .validates({"privacy"}, {{"acceptance", hash({{"accept", str("ok")}, {"on", sym("create")}})}})
                   .validates({"age"}, {{"acceptance", hash({{"accept", num(1)}})}})});
  auto errors = [&](const Attributes& attributes) {
    auto s = app.store.persistence().build(app.model("Signup"), attributes);
    app.store.persistence().valid(*s);
    return s->errors().full_messages();
  };
  CHECK(errors({}) == Strings{"Terms must be accepted"});
  CHECK(errors({{"terms", Value("1")}, {"privacy", Value("1")}}) == Strings{"Privacy must be accepted"});
  CHECK(errors({{"terms", Value("1")}, {"privacy", Value("ok")}, {"age", Value(std::int64_t{1})}}) == Strings{});
  CHECK(errors({{"terms", Value("1")}, {"age", Value("1")}}) == Strings{"Age must be accepted"});
  auto saved = app.store.persistence().build(app.model("Signup"), {{"terms", Value("1")}, {"privacy", Value("ok")}});
  REQUIRE(app.store.persistence().save(*saved));
  app.store.persistence().assign(*saved, "privacy", Value("no"));
  CHECK(app.store.persistence().valid(*saved));
}

TEST_CASE("acceptance: its options are checked as the others' are") {
  storage::Database db(":memory:");
  db.exec_script(table_sql("signups", "  email varchar"));
  std::vector<ModelDecl> decls;
  decls.push_back(ModelDecl("Signup").validates({"terms"}, {{"acceptance", hash({{"acept", str("yes")}})}}));
  try {
    App::load(std::move(decls), db);
    FAIL("loaded");
  } catch (const DeclarationError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0] == "Signup validates :terms acceptance: unknown option acept:. Did you mean? accept");
  }
}

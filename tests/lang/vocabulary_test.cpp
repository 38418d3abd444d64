// The method tables (src/lang/vocabulary.hpp): every entry is reachable by
// its name and each alias, refuses a wrong number of arguments as Ruby does,
// and is what "did you mean" offers for a one-letter typo of its name.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/seeded_runtime.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"
#include "lang/vocabulary.hpp"

using fw::lang::Kind;
using fw::lang::Method;
using fw::lang::Object;

namespace {

// A seeded fwitter database and the runtime on it. Every call runs inside a
// transaction that is rolled back, so each starts from the seed data.
struct World : fw::test::SeededRuntime {
  Object eval(const std::string& text) {
    fw::lang::Parser parser(text);
    auto statement = parser.next_statement();
    REQUIRE(statement);
    return *runtime->interpreter().run(*statement);
  }

  // The message a call raises, or "" when it returns. With no receiver, a
  // call at the top level (puts, p, ...).
  std::string error_of(const std::string& receiver, const std::string& name, size_t nargs) {
    fw::storage::Transaction rolled_back(db);
    if (receiver.empty()) {
      std::string args;
      for (size_t i = 0; i < nargs; ++i) args += (i ? ", 1" : "1");
      try {
        eval(name + "(" + args + ")");
      } catch (const fw::Error& e) {
        return e.what();
      }
      return "";
    }
    Object self = eval(receiver);
    std::vector<Object> args(nargs, Object(std::int64_t{1}));
    try {
      runtime->interpreter().call(self, name, args);
    } catch (const fw::Error& e) {
      return e.what();
    }
    return "";
  }
};

// A receiver of each kind, as a statement.
std::string sample(Kind kind) {
  switch (kind) {
    case Kind::Model: return "User";
    case Kind::Relation: return "User.all";
    case Kind::Record: return "user(1)";
    case Kind::Errors: return "user(1).errors";
    case Kind::Integer: case Kind::Numeric: case Kind::Object: return "7";
    case Kind::Float: return "1.5";
    case Kind::Decimal: return "\"12.5\".to_d";
    case Kind::Time: case Kind::DateAndTime: return "user(1).created_at";
    case Kind::Date: return "user(1).created_at.to_date";
    case Kind::TimeClass: return "Time";
    case Kind::DateClass: return "Date";
    case Kind::String: return "\"abc\"";
    case Kind::Symbol: return ":abc";
    case Kind::Array: case Kind::Enumerable: return "[1, 2]";
    case Kind::Hash: return "{a: 1}";
    case Kind::Nil: return "nil";
    case Kind::Boolean: return "true";
    case Kind::Regexp: return "/a/";
    case Kind::Range: return "(1..3)";
    case Kind::Proc: return "->(x) { x }";
    case Kind::WhereChain: return "User.where";
    case Kind::MatchData: return "\"ab\".match(/(b)/)";
    case Kind::SecureRandom: return "SecureRandom";
    case Kind::Digest: return "Digest::SHA256";
    case Kind::PasswordClass: return "BCrypt::Password";
    case Kind::BcryptEngine: return "BCrypt::Engine";
    case Kind::SecurePassword: return "ActiveModel::SecurePassword";
    case Kind::Password: return "BCrypt::Password.create(\"x\", cost: 4)";
    case Kind::Main: return "";  // called with no receiver
    default: return "";
  }
}

std::vector<std::string> names_of(const Method& m) {
  std::vector<std::string> names{m.name};
  std::istringstream aliases(m.aliases);
  for (std::string a; aliases >> a;) names.push_back(a);
  return names;
}

// A one-letter typo: the second letter dropped ("sve" for "save").
std::string typo(const std::string& name) { return name.substr(0, 1) + name.substr(2); }

bool is_word(const std::string& name) { return name.size() >= 3 && std::isalpha(static_cast<unsigned char>(name[0])); }

const std::vector<Kind>& all_kinds() {
  static const std::vector<Kind> kinds = {
      Kind::Model, Kind::Relation, Kind::WhereChain, Kind::Record, Kind::Errors, Kind::Integer, Kind::Float,
      Kind::Decimal, Kind::Numeric, Kind::String, Kind::Symbol, Kind::Regexp, Kind::Array, Kind::Hash, Kind::Range,
      Kind::Time, Kind::Date, Kind::DateAndTime, Kind::TimeClass, Kind::DateClass, Kind::Enumerable, Kind::Nil,
      Kind::Boolean, Kind::Proc, Kind::MatchData, Kind::SecureRandom, Kind::Digest, Kind::PasswordClass,
      Kind::BcryptEngine, Kind::SecurePassword, Kind::Password, Kind::Object, Kind::Main};
  return kinds;
}

}  // namespace

TEST_CASE("every table entry is reachable by each of its names, with Ruby's arity errors") {
  World world;
  int checked = 0;
  for (Kind kind : all_kinds()) {
    std::string receiver = sample(kind);
    for (const Method& m : fw::lang::methods_of(kind)) {
      for (const auto& name : names_of(m)) {
        INFO(std::string(fw::lang::kind_name(kind)) << "#" << name << " on " << receiver);
        std::string message = world.error_of(receiver, name, static_cast<size_t>(m.min_args));
        CHECK(message.find("undefined method '" + name + "'") == std::string::npos);
        CHECK(message.find("undefined local variable or method '" + name + "'") == std::string::npos);
        if (m.max_args != fw::lang::kAnyNumber) {
          auto too_many = static_cast<size_t>(m.max_args + 1);
          CHECK(world.error_of(receiver, name, too_many).rfind("wrong number of arguments (given " + std::to_string(too_many), 0) == 0);
        }
        ++checked;
      }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("a one-letter typo of every method's name suggests that method") {
  World world;
  for (Kind kind : all_kinds()) {
    std::string receiver = sample(kind);
    for (const Method& m : fw::lang::methods_of(kind)) {
      if (!is_word(m.name)) continue;
      auto names = names_of(m);
      std::string message = world.error_of(receiver, typo(m.name), 0);
      INFO(std::string(fw::lang::kind_name(kind)) << "#" << m.name << " typed as " << typo(m.name) << ": " << message);
      auto at = message.find("Did you mean? ");
      REQUIRE(at != std::string::npos);
      // a name, or several equally near: "finite? or infinite?"
      std::string offered = " " + message.substr(at + 14) + " ";
      CHECK(std::any_of(names.begin(), names.end(), [&](const std::string& n) { return offered.find(" " + n + " ") != std::string::npos; }));
    }
  }
}

TEST_CASE("a record's own members are suggested: columns, predicates, associations, delegations") {
  World world;
  CHECK(world.error_of("user(1)", "usernme", 0).find("Did you mean? username") != std::string::npos);
  CHECK(world.error_of("user(1)", "liked_tweet", 0).find("Did you mean? liked_tweets") != std::string::npos);
  CHECK(world.error_of("user(1)", "emal?", 0).find("Did you mean? email?") != std::string::npos);
  CHECK(world.error_of("tweet(1)", "usrname", 0).find("Did you mean? username") != std::string::npos);
  CHECK(world.error_of("\"abc\"", "upcse", 0) ==
        "undefined method 'upcse' for an instance of String. Did you mean? upcase");
}

TEST_CASE("errors keep their cause: arity is not an undefined method") {
  World world;
  CHECK(world.error_of("user(1)", "is_a?", 0) == "wrong number of arguments (given 0, expected 1)");
  CHECK(world.error_of("user(1)", "username", 1) == "wrong number of arguments (given 1, expected 0)");
  CHECK(world.error_of("User", "find", 0) == "wrong number of arguments (given 0, expected 1+)");
  CHECK(world.error_of("User", "first", 2) == "wrong number of arguments (given 2, expected 0..1)");
  // one wording for a record of the wrong type
  CHECK(world.error_of("user(1).tweets", "<<", 1) ==
        "Tweet(#Tweet) expected, got 1 which is an instance of Integer");
  CHECK(world.error_of("user(1).tweets", "include?", 1) ==
        "Tweet(#Tweet) expected, got 1 which is an instance of Integer");
}

TEST_CASE("each table's names are unique within the table") {
  for (Kind kind : all_kinds()) {
    std::set<std::string> seen;
    for (const Method& m : fw::lang::methods_of(kind))
      for (const auto& name : names_of(m)) {
        INFO(std::string(fw::lang::kind_name(kind)) << "#" << name);
        CHECK(seen.insert(name).second);
      }
  }
}

// SecureRandom, Digest and BCrypt as a model's token and digest methods call
// them, and ActiveModel::SecurePassword.min_cost by the app's environment.
#include <doctest/doctest.h>

#include <string>

#include "../support/seeded_runtime.hpp"
#include "lang/inspect.hpp"

namespace {

std::string run(fw::lang::Runtime& runtime, const std::string& text) {
  fw::lang::Parser parser(text);
  auto statement = parser.next_statement();
  REQUIRE(statement);
  return fw::lang::inspect(*runtime.interpreter().run(*statement));
}

}  // namespace

TEST_CASE("ActiveModel::SecurePassword.min_cost is true in the test environment only, as Rails sets it") {
  fw::storage::Database db(":memory:");
  auto app = fw::storage::AppSource::builtin();
  fw::storage::Migrator(db, app.migrations).migrate();
  fw::lang::Runtime development(app, db), test(app, db, "test");
  CHECK(run(development, "ActiveModel::SecurePassword.min_cost") == "false");
  CHECK(run(test, "ActiveModel::SecurePassword.min_cost") == "true");
  const std::string digest = "ActiveModel::SecurePassword.min_cost ? BCrypt::Engine::MIN_COST : BCrypt::Engine.cost";
  CHECK(run(development, digest) == "12");
  CHECK(run(test, "BCrypt::Password.create(\"pw\", cost: " + digest + ").cost") == "4");
}

TEST_CASE("a BCrypt::Password reads back, checks its password, and refuses what is no digest") {
  fw::test::SeededRuntime world;
  auto& r = *world.runtime;
  CHECK(run(r, "BCrypt::Password.new(\"$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392\")") ==
        "\"$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392\"");
  CHECK(run(r, "BCrypt::Password.new(\"$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392\").is_password?(\"secret1\")") == "true");
  CHECK(run(r, "BCrypt::Password.create(\"x\", cost: 1).cost") == "4");  // below the least: the least, as the gem does
  CHECK(run(r, "begin; BCrypt::Password.new(\"nope\"); rescue BCrypt::Error => e; [e.class, e.message]; end") ==
        "[BCrypt::Errors::InvalidHash, \"invalid hash\"]");
  CHECK(run(r, "SecureRandom.urlsafe_base64(32).length") == "43");
  CHECK(run(r, "Digest::SHA256.hexdigest(\"fwitter\").length") == "64");
}

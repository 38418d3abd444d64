// bcrypt as Ruby's bcrypt gem writes and checks it (has_secure_password).
#include <doctest/doctest.h>

#include "base/error.hpp"
#include "base/password.hpp"

TEST_CASE("A digest is bcrypt's $2a$ at the cost asked, and checks only its own password") {
  std::string digest = fw::bcrypt_digest("secret", 4);
  CHECK(digest.size() == 60);
  CHECK(digest.rfind("$2a$04$", 0) == 0);
  CHECK(fw::bcrypt_matches("secret", digest));
  CHECK_FALSE(fw::bcrypt_matches("Secret", digest));
  CHECK_FALSE(fw::bcrypt_matches("", digest));
  CHECK(fw::bcrypt_digest("secret", 4) != digest);  // a new salt each time
}

TEST_CASE("A digest the bcrypt gem wrote (ActiveRecord 6.1's has_secure_password, at cost 4) checks here") {
  const std::string made_by_ruby = "$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392";  // password "secret1"
  CHECK(fw::bcrypt_matches("secret1", made_by_ruby));
  CHECK_FALSE(fw::bcrypt_matches("secret2", made_by_ruby));
}

TEST_CASE("Something that is no bcrypt digest is refused, never checked as another hash") {
  // crypt() itself would fall back to DES for such a salt.
  CHECK_THROWS_WITH_AS(fw::bcrypt_matches("x", "not-a-hash"), "invalid hash", fw::Error);
  CHECK_THROWS_WITH_AS(fw::bcrypt_matches("x", ""), "invalid hash", fw::Error);
}

TEST_CASE("A digest's form is checked as BCrypt::Password.new checks it") {
  CHECK(fw::bcrypt_valid_hash("$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392"));
  CHECK(fw::bcrypt_valid_hash(fw::bcrypt_digest("x", 4)));
  CHECK_FALSE(fw::bcrypt_valid_hash("bad"));
  CHECK_FALSE(fw::bcrypt_valid_hash("$2a$04$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH39"));  // one short
  CHECK_FALSE(fw::bcrypt_valid_hash("$2a$4x$es6i9UUyr/PGp2g2t1ZI7Oj.ZvkCPMIMD9BjVn6lwReySSOdsH392"));
}

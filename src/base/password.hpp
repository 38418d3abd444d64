#pragma once
// bcrypt, as Ruby's bcrypt gem writes and checks it (has_secure_password's
// digests), through the system's crypt library (libxcrypt).
#include <string>

namespace fw {

// A new "$2a$COST$..." digest of `password` with a random salt. COST is
// bcrypt's: 12 as the bcrypt gem's default, 4 its least (Rails tests use it).
std::string bcrypt_digest(const std::string& password, int cost);
// Whether `password` is the one `digest` was made from. A digest that is no
// bcrypt digest throws fw::Error ("invalid hash", as BCrypt::Errors::InvalidHash).
bool bcrypt_matches(const std::string& password, const std::string& digest);
// Whether `digest` has a bcrypt digest's form, as the gem's
// BCrypt::Password.new checks it ($2a$12$ and 53 characters of salt and hash).
bool bcrypt_valid_hash(const std::string& digest);

}  // namespace fw

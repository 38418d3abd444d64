#include "base/password.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>

#include "base/error.hpp"

namespace fw {

namespace {
bool is_bcrypt(const std::string& digest) {
  return digest.size() == 60 && digest[0] == '$' && digest[1] == '2' && digest[3] == '$' &&
         (digest[2] == 'a' || digest[2] == 'b' || digest[2] == 'y');
}
}  // namespace

std::string bcrypt_digest(const std::string& password, int cost) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  // Ruby's gem writes $2a$; libxcrypt makes and checks it the same way.
  if (!crypt_gensalt_rn("$2a$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt))
    throw fw::Error("bcrypt: no salt could be made (cost " + std::to_string(cost) + ")");
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* digest = crypt_r(password.c_str(), salt, data.get());
  if (!digest || !is_bcrypt(digest)) throw fw::Error("bcrypt: the digest could not be made");
  return digest;
}

bool bcrypt_matches(const std::string& password, const std::string& digest) {
  if (!is_bcrypt(digest)) throw fw::Error("invalid hash");  // crypt() would fall back to DES on one
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* again = crypt_r(password.c_str(), digest.c_str(), data.get());
  return again && digest == again;
}

bool bcrypt_valid_hash(const std::string& digest) {
  auto in = [](char c, const char* set) { return c && std::strchr(set, c); };
  if (digest.size() != 60 || digest[0] != '$' || digest[3] != '$' || digest[6] != '$') return false;
  for (size_t i = 1; i < 3; ++i)
    if (!in(digest[i], "0123456789abcdefghijklmnopqrstuvwxyz")) return false;
  for (size_t i = 4; i < 6; ++i)
    if (!in(digest[i], "0123456789")) return false;
  for (size_t i = 7; i < 60; ++i)
    if (!in(digest[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./")) return false;
  return true;
}

}  // namespace fw

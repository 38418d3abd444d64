// Digest's hex digests and SecureRandom's random bytes.
#include <doctest/doctest.h>

#include <set>

#include "base/digest.hpp"

TEST_CASE("hex digests are Ruby's Digest::SHA1, SHA256 and MD5 hexdigest") {
  CHECK(fw::hex_digest("SHA1", "abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(fw::hex_digest("SHA256", "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(fw::hex_digest("MD5", "abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(fw::hex_digest("MD5", "") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK_FALSE(fw::hex_digest("SHA3", "abc"));
}

TEST_CASE("random bytes come in the number asked, and differ") {
  CHECK(fw::random_bytes(0).empty());
  CHECK(fw::random_bytes(100).size() == 100);
  CHECK(fw::random_bytes(16) != fw::random_bytes(16));
  std::set<unsigned long long> seen;
  for (int i = 0; i < 200; ++i) {
    auto n = fw::random_below(3);
    CHECK(n < 3);
    seen.insert(n);
  }
  CHECK(seen.size() == 3);
}

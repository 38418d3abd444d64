#include "base/digest.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <md5.h>
#include <sha1.h>
#include <sha2.h>

#include "base/error.hpp"

namespace fw {

std::optional<std::string> hex_digest(std::string_view algorithm, const std::string& text) {
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  char hex[SHA256_DIGEST_STRING_LENGTH];  // the longest of the three
  if (algorithm == "SHA1") return SHA1Data(data, text.size(), hex);
  if (algorithm == "SHA256") return SHA256Data(data, text.size(), hex);
  if (algorithm == "MD5") return MD5Data(data, text.size(), hex);
  return std::nullopt;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  for (size_t got = 0; got < n;) {
    ssize_t r = getrandom(out.data() + got, n - got, 0);
    if (r < 0 && errno != EINTR) throw fw::Error("no random bytes from the kernel (getrandom)");
    if (r > 0) got += static_cast<size_t>(r);
  }
  return out;
}

unsigned long long random_below(unsigned long long bound) {
  // Draws again past the largest multiple of bound, so that every value is as likely.
  unsigned long long limit = ~0ULL - (~0ULL % bound), value = 0;
  do {
    std::string bytes = random_bytes(sizeof value);
    value = 0;
    for (char b : bytes) value = value << 8 | static_cast<unsigned char>(b);
  } while (value >= limit);
  return value % bound;
}

}  // namespace fw

#pragma once
// Digests and random bytes, as Ruby's Digest and SecureRandom give them:
// libmd's hashes and the kernel's random source (getrandom).
#include <optional>
#include <string>
#include <string_view>

namespace fw {

// The lower-case hex digest of `text` by `algorithm` ("SHA1", "SHA256",
// "MD5"); nothing for another name.
std::optional<std::string> hex_digest(std::string_view algorithm, const std::string& text);
// `n` bytes from the kernel's random source.
std::string random_bytes(size_t n);
// A random integer in [0, bound), bound > 0, without modulo bias.
unsigned long long random_below(unsigned long long bound);

}  // namespace fw

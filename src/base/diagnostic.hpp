#pragma once
// Every error a user sees about a place in a file reads the same way,
// whichever layer found it: "FILE:LINE:COL: error: MESSAGE".
#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace fw {

// How much of a message a user is shown: a name or value quoted in it is cut
// to kMaxQuoted characters, the whole message to kMaxMessage, each with "..."
// where it was cut (a 1 MB identifier makes a one-line error, not a 1 MB one).
constexpr size_t kMaxQuoted = 60;
constexpr size_t kMaxMessage = 1000;

std::string diagnostic(const std::string& file, SourcePos pos, const std::string& message);
// `message` with every quoted part ('...' or "...") and the whole cut as above,
// and control characters (a NUL, an escape) shown as '?'.
std::string readable_message(std::string_view message);
// The first `max_chars` characters of `text` (whole UTF-8 sequences), and
// "..." when there were more.
std::string cut_text(std::string_view text, size_t max_chars);

}  // namespace fw

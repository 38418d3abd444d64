#pragma once
// Small text helpers shared by every layer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fw {

std::string join(const std::vector<std::string>& parts, std::string_view sep);
inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
// Ruby's String#inspect: double quotes, backslash escapes.
std::string quote_string(std::string_view s);
// Ruby's Float#to_s: 1.0, 0.1, 1.0e+20.
std::string format_float(double d);
// Parses a whole string as a decimal integer; nothing on overflow or junk.
std::optional<std::int64_t> parse_int(std::string_view s);
std::optional<double> parse_float(std::string_view s);

// A Ruby regular expression's source in std::regex's ECMAScript dialect:
// \A and \z anchor the whole string, \h is a hex digit. Sets
// `line_anchors` when it uses ^ or $ (which Ruby anchors at lines).
std::string ecmascript_pattern(std::string_view ruby, bool* line_anchors = nullptr);

// The closest candidate to `word` by edit distance, if it is close enough to
// be what the user meant (as Ruby's did_you_mean decides).
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// Every candidate as close as the closest (at most three), for a word that
// two names are equally near: ifinite? -> finite?, infinite?.
std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& candidates);
// " Did you mean? name" or "" : appended to messages.
std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fw

#pragma once
// Regular expressions that cannot exhaust the stack or run for ever on long
// text. libstdc++'s std::regex matches by default with a backtracking search
// that recurses once per character (20,000 characters overflow an 8 MiB
// stack) and can take exponential time; its __polynomial mode matches with a
// breadth-first search instead: time polynomial in the text, recursion
// bounded by the pattern. That mode refuses back-references (\1), so a
// pattern holding one keeps the backtracking search.
#include <regex>
#include <string>

namespace fw {

inline std::regex make_regex(const std::string& pattern, std::regex::flag_type flags = std::regex::ECMAScript) {
  try {
    return std::regex(pattern, flags | std::regex_constants::__polynomial);
  } catch (const std::regex_error& e) {
    if (e.code() != std::regex_constants::error_complexity) throw;
    return std::regex(pattern, flags);  // a back-reference
  }
}

}  // namespace fw

#pragma once
// What the String method files share (string.cpp holds String's and
// Symbol's tables; each handler lives in the file for what it does):
//   string_text.cpp        length, case, white space, padding, pieces, s[i],
//                          changing the string itself, comparison, to_i ...
//   string_characters.cpp  character by character: chars, each_char, succ,
//                          and the character sets of tr, delete, squeeze, count
//   string_pattern.cpp     whatever matches a pattern: split, sub, gsub, =~,
//                          match, scan (with Regexp's and MatchData's tables)
//   string_format.cpp      %, and ActiveSupport's inflections and truncate
// Lengths and indexes count characters (UTF-8), not bytes.
#include <algorithm>
#include <string>
#include <vector>

#include "lang/methods/support.hpp"

namespace fw::lang::string_methods {

inline const std::string& str(Call& c) { return *c.self.get<std::string>(); }

// A String argument; raises Ruby's TypeError for anything else.
const std::string& string_arg(const Object& o);

// The byte offset of each character, and the string's end.
std::vector<size_t> char_starts(const std::string& s);
// How many characters a string has: its bytes that start one.
size_t char_count(const std::string& s);
// Each character, as a string of its own.
std::vector<std::string> characters(const std::string& s);

// A string's characters by their byte offsets, as char_starts gives them,
// without a table when the string is ASCII (one byte a character), which a
// large string built in a loop usually is.
class CharOffsets {
 public:
  explicit CharOffsets(const std::string& s)
      : bytes_(s.size()), ascii_(std::all_of(s.begin(), s.end(), [](char ch) { return (ch & 0x80) == 0; })) {
    if (!ascii_) starts_ = char_starts(s);
  }
  size_t count() const { return ascii_ ? bytes_ : starts_.size() - 1; }  // as char_count
  // The byte where character i starts (count(): the end).
  size_t operator[](size_t i) const { return ascii_ ? i : starts_[i]; }
  // The character that starts at `byte`.
  size_t char_at_byte(size_t byte) const {
    return ascii_ ? byte : static_cast<size_t>(std::lower_bound(starts_.begin(), starts_.end(), byte) - starts_.begin());
  }

 private:
  size_t bytes_;
  bool ascii_;
  std::vector<size_t> starts_;
};

// Changes the string itself (every variable holding it sees the change);
// nil when there was nothing to change, as Ruby's ! methods give.
Object changed(Call& c, const std::string& result);
// The text of the first match of `r` in `s`, or nil (s[/re/]).
Object first_match(const std::string& s, const Regex& r);

// The handlers String's table (string.cpp) names, by the file that holds them.
// string_text.cpp
Object length(Call& c);
Object bytesize(Call& c);
Object change_case(Call& c);
Object strip(Call& c);
Object chomp(Call& c);
Object reverse(Call& c);
Object lines(Call& c);
Object at(Call& c);
Object index_of(Call& c);
Object pad(Call& c);
Object times(Call& c);
Object plus(Call& c);
Object append(Call& c);
Object replace(Call& c);
Object freeze(Call& c);
Object is_frozen(Call& c);
Object copy(Call& c);
Object includes(Call& c);
Object squish(Call& c);
Object delete_end(Call& c);
Object starts(Call& c);
Object compare_strings(Call& c);
Object to_sym(Call& c);
Object to_i(Call& c);
Object to_f(Call& c);
Object to_d(Call& c);
Object to_str(Call& c);
Object empty(Call& c);
Object ord(Call& c);
// string_characters.cpp
Object chars(Call& c);
Object each_char(Call& c);
Object succ(Call& c);
Object count_chars(Call& c);
Object tr(Call& c);
Object delete_chars(Call& c);
Object squeeze(Call& c);
// string_pattern.cpp
Object split(Call& c);
Object substitute(Call& c);
Object match_at(Call& c);
Object string_match(Call& c);
Object is_match(Call& c);
Object scan(Call& c);
// string_format.cpp
Object percent(Call& c);
Object inflect(Call& c);
Object truncate(Call& c);

}  // namespace fw::lang::string_methods

// String's methods character by character: chars, each_char, succ, and
// the character sets of tr, delete, squeeze and count (the table is in
// string.cpp).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "lang/methods/string_support.hpp"

namespace fw::lang {

std::string string_succ(const std::string& s) {
  std::string out = s;
  auto alnum = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; };
  bool any = std::any_of(out.begin(), out.end(), alnum);
  for (size_t i = out.size(); i-- > 0;) {
    char& ch = out[i];
    if (any && !alnum(ch)) continue;
    if (ch == 'z' || ch == 'Z' || ch == '9') {  // carries into the next character to the left
      char first = ch == 'z' ? 'a' : ch == 'Z' ? 'A' : '0';
      ch = first;
      bool more = false;
      for (size_t j = i; j-- > 0;) more = more || !any || alnum(out[j]);
      if (!more) return out.insert(i, 1, first == '0' ? '1' : first), out;
      continue;
    }
    if (!any && static_cast<unsigned char>(ch) == 0xFF) {
      ch = 0;
      continue;
    }
    ++ch;
    return out;
  }
  return out;
}

namespace string_methods {

namespace {

// A character set as tr, delete, squeeze and count read it: "a-z" is a
// range, a leading "^" the characters not in it.
struct CharSet {
  std::vector<std::string> chars;  // in order, ranges spread out
  bool negated = false;
  bool has(std::string_view ch) const {
    bool in = std::find(chars.begin(), chars.end(), ch) != chars.end();
    return in != negated;
  }
};

CharSet char_set(const std::string& spec) {
  CharSet set;
  auto chars = characters(spec);
  size_t i = 0;
  if (chars.size() > 1 && chars[0] == "^") set.negated = true, i = 1;
  for (; i < chars.size(); ++i) {
    bool range = i + 2 < chars.size() && chars[i + 1] == "-" && chars[i].size() == 1 && chars[i + 2].size() == 1;
    if (range && chars[i][0] <= chars[i + 2][0]) {
      for (int ch = static_cast<unsigned char>(chars[i][0]); ch <= static_cast<unsigned char>(chars[i + 2][0]); ++ch)
        set.chars.push_back(std::string(1, static_cast<char>(ch)));
      i += 2;
    } else {
      set.chars.push_back(chars[i]);
    }
  }
  return set;
}

}  // namespace

Object chars(Call& c) { return strings(characters(str(c))); }

Object each_char(Call& c) {
  if (!c.block) return chars(c);
  for (const auto& ch : characters(str(c))) yield_block(c, {Object(ch)});
  return c.self;
}

Object succ(Call& c) { return Object(string_succ(str(c))); }

Object count_chars(Call& c) {
  CharSet set = char_set(string_arg(c.args[0]));
  std::string_view s = str(c);
  std::int64_t n = 0;
  for (size_t i = 0; i < s.size();) {  // character by character, without a copy of each
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    n += set.has(s.substr(i, j - i));
    i = j;
  }
  return Object(n);
}

// tr("a-y", "b-z"): each character of the first set becomes the one at its
// place in the second (the second's last repeated when it is shorter).
Object tr(Call& c) {
  CharSet from = char_set(string_arg(c.args[0]));
  CharSet to = char_set(string_arg(c.args[1]));
  std::string out;
  for (const auto& ch : characters(str(c))) {
    if (!from.has(ch)) {
      out += ch;
    } else if (to.chars.empty()) {
      continue;  // tr("a", ""): deleted
    } else if (from.negated) {
      out += to.chars.back();
    } else {
      size_t at = static_cast<size_t>(std::find(from.chars.begin(), from.chars.end(), ch) - from.chars.begin());
      out += to.chars[std::min(at, to.chars.size() - 1)];
    }
  }
  return Object(out);
}

// delete("l"): without the characters of the set; squeeze: runs of one character as one (of the set's, if given).
Object delete_chars(Call& c) {
  CharSet set = char_set(string_arg(c.args[0]));
  std::string out;
  for (const auto& ch : characters(str(c)))
    if (!set.has(ch)) out += ch;
  return Object(out);
}

Object squeeze(Call& c) {
  std::optional<CharSet> set;
  if (!c.args.empty()) set = char_set(string_arg(c.args[0]));
  std::string out, last;
  for (const auto& ch : characters(str(c))) {
    if (ch == last && (!set || set->has(ch))) continue;
    out += ch;
    last = ch;
  }
  return Object(out);
}

}  // namespace string_methods

}  // namespace fw::lang

// Strings and symbols. Lengths and indexes count characters (UTF-8), not
// bytes. Methods ending in ! (and <<) change the variable the string was
// read from, and give nil when there was nothing to change, as Ruby's do.
#include <fmt/args.h>
#include <fmt/printf.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <stdexcept>

#include "base/regex.hpp"

#include "base/text.hpp"
#include "lang/methods/support.hpp"
#include "model/column.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

namespace {

const std::string& str(Call& c) { return *c.self.get<std::string>(); }

const std::string& string_arg(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  throw type_error("no implicit conversion of " + class_name(o) + " into String");
}

// The byte offset of each character, and the string's end.
std::vector<size_t> char_starts(const std::string& s) {
  std::vector<size_t> at;
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
  at.push_back(s.size());
  return at;
}

// How many characters a string has: its bytes that start one.
size_t char_count(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

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

std::vector<std::string> characters(const std::string& s) {
  auto at = char_starts(s);
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < at.size(); ++i) out.push_back(s.substr(at[i], at[i + 1] - at[i]));
  return out;
}

// Ruby's named groups, (?<name>...), which std::regex lacks: the pattern
// with them as plain groups (and its unnamed groups not capturing, as Ruby
// takes them once a group has a name), their names in `names`.
std::string unnamed_groups(const std::string& source, std::vector<std::string>* names) {
  auto named_at = [&](size_t i) {
    return source.compare(i, 3, "(?<") == 0 && i + 3 < source.size() && source[i + 3] != '=' && source[i + 3] != '!';
  };
  std::string out;
  bool in_class = false, any = false;
  for (size_t i = 0; i < source.size() && !any; ++i) any = named_at(i);
  if (!any) return source;
  for (size_t i = 0; i < source.size(); ++i) {
    char ch = source[i];
    if (ch == '\\' && i + 1 < source.size()) {
      out += source.substr(i++, 2);
    } else if (in_class || ch == '[') {
      in_class = !(in_class && ch == ']');
      out += ch;
    } else if (named_at(i)) {
      size_t close = source.find('>', i);
      if (close == std::string::npos) return source;
      if (names) names->push_back(source.substr(i + 3, close - i - 3));
      out += '(';
      i = close;
    } else {
      out += ch == '(' && source.compare(i, 2, "(?") != 0 ? "(?:" : std::string(1, ch);
    }
  }
  return out;
}

std::regex to_regex(const Regex& r, std::vector<std::string>* names = nullptr) {
  auto flags = std::regex::ECMAScript | std::regex::multiline;
  if (r.flags.find('i') != std::string::npos) flags |= std::regex::icase;
  try {
    return make_regex(ecmascript_pattern(unnamed_groups(r.source, names)), flags);
  } catch (const std::regex_error& e) {
    throw RuntimeError("invalid regular expression /" + r.source + "/: " + e.what());
  }
}

// A pattern argument: a string (matched as it is) or a regex.
std::regex pattern_arg(const Object& o) {
  if (auto r = o.get<Regex>()) return to_regex(*r);
  const std::string& s = string_arg(o);
  std::string escaped;
  for (char ch : s) {
    if (std::strchr("\\^$.|?*+()[]{}", ch)) escaped += '\\';
    escaped += ch;
  }
  return make_regex(escaped);
}

// Changes the string itself (every variable holding it sees the change);
// nil when there was nothing to change, as Ruby's ! methods give.
Object changed(Call& c, const std::string& result) {
  if (result == str(c)) {
    c.self.mutable_string();  // a frozen string refuses even a change that changes nothing
    return Object();
  }
  c.self.mutable_string() = result;
  return c.self;
}

// upcase! and friends: the plain method, written back.
Object bang(Call& c) {
  std::vector<Object> args = c.args;
  Object result = c.in.call(c.self, c.name.substr(0, c.name.size() - 1), args, c.block);
  return changed(c, string_arg(result));
}

Object length(Call& c) {
  return Object(static_cast<std::int64_t>(char_count(str(c))));
}
Object bytesize(Call& c) { return Object(static_cast<std::int64_t>(str(c).size())); }

std::string map_ascii(const std::string& s, int (*f)(int)) {
  std::string out = s;
  for (auto& ch : out)
    if (!(static_cast<unsigned char>(ch) & 0x80)) ch = static_cast<char>(f(static_cast<unsigned char>(ch)));
  return out;
}

Object change_case(Call& c) {
  const auto& s = str(c);
  if (c.name == "upcase") return Object(map_ascii(s, ::toupper));
  if (c.name == "downcase") return Object(map_ascii(s, ::tolower));
  if (c.name == "swapcase") {
    std::string out = s;
    for (auto& ch : out)
      if (std::isalpha(static_cast<unsigned char>(ch)))
        ch = static_cast<char>(std::isupper(static_cast<unsigned char>(ch)) ? std::tolower(ch) : std::toupper(ch));
    return Object(out);
  }
  std::string out = map_ascii(s, ::tolower);  // capitalize
  if (!out.empty() && !(static_cast<unsigned char>(out[0]) & 0x80)) out[0] = static_cast<char>(std::toupper(out[0]));
  return Object(out);
}

Object strip(Call& c) {
  const auto& s = str(c);
  const char* space = " \t\r\n\f\v";
  size_t a = c.name == "rstrip" ? 0 : s.find_first_not_of(space);
  if (a == std::string::npos) return Object(std::string());
  size_t b = c.name == "lstrip" ? s.size() - 1 : s.find_last_not_of(space);
  return Object(s.substr(a, b - a + 1));
}

Object chomp(Call& c) {
  std::string s = str(c);
  if (!c.args.empty()) {
    const auto& suffix = string_arg(c.args[0]);
    if (s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
      s.erase(s.size() - suffix.size());
    return Object(s);
  }
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return Object(s);
}

Object reverse(Call& c) {
  auto chars = characters(str(c));
  std::reverse(chars.begin(), chars.end());
  return Object(join(chars, ""));
}

Object chars(Call& c) { return strings(characters(str(c))); }

Object split(Call& c) {
  const auto& s = str(c);
  std::vector<std::string> parts;
  bool on_space = c.args.empty() || (c.args[0].is<std::string>() && *c.args[0].get<std::string>() == " ");
  if (on_space) {
    std::istringstream words(s);
    for (std::string w; words >> w;) parts.push_back(w);
  } else if (c.args[0].is<std::string>() && string_arg(c.args[0]).empty()) {
    parts = characters(s);
  } else {
    std::regex re = pattern_arg(c.args[0]);
    std::sregex_token_iterator it(s.begin(), s.end(), re, -1), end;
    for (; it != end; ++it) parts.push_back(*it);
    while (!parts.empty() && parts.back().empty()) parts.pop_back();  // Ruby drops trailing empty fields
  }
  return strings(parts);
}

Object lines(Call& c) {
  std::vector<std::string> out;
  std::string line;
  for (char ch : str(c)) {
    line += ch;
    if (ch == '\n') out.push_back(line), line.clear();
  }
  if (!line.empty()) out.push_back(line);
  return strings(out);
}

// sub and gsub: a string or regex pattern; a replacement string (with \1
// for groups) or a block given each match.
Object substitute(Call& c) {
  const auto& s = str(c);
  std::regex re = pattern_arg(c.args[0]);
  bool all = c.name == "gsub";
  if (c.args.size() < 2 && !c.block) throw wrong_arguments(c.args.size(), "2");
  std::string out;
  auto begin = s.cbegin();
  std::smatch m;
  auto flags = std::regex_constants::match_default;
  while (std::regex_search(begin, s.cend(), m, re, flags)) {
    out.append(begin, m[0].first);
    if (c.block) {
      out += to_s(yield_block(c, {Object(m.str(0))}));
    } else {
      std::string replacement = string_arg(c.args[1]);
      std::string expanded;
      for (size_t i = 0; i < replacement.size(); ++i) {
        if (replacement[i] == '\\' && i + 1 < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i + 1]))) {
          expanded += m.str(static_cast<size_t>(replacement[++i] - '0'));
        } else {
          expanded += replacement[i];
        }
      }
      out += expanded;
    }
    if (m[0].length() == 0) {  // an empty match moves on by one character
      if (m[0].second == s.cend()) {
        begin = s.cend();
        break;
      }
      out += *m[0].second;
      begin = m[0].second + 1;
    } else {
      begin = m[0].second;
    }
    flags |= std::regex_constants::match_prev_avail;
    if (!all) break;
  }
  out.append(begin, s.cend());
  return Object(out);
}

// The first match of `pattern` (a Regexp, or a String matched as it is) in
// `s`, as a MatchData, or nil; $~ is set to it (and $1, ... read it).
// `at` is set to the character where it starts.
Object search(Call& c, const std::string& s, const Object& pattern, std::int64_t* at = nullptr) {
  std::vector<std::string> names;
  auto r = pattern.get<Regex>();
  std::regex re = r ? to_regex(*r, &names) : pattern_arg(pattern);
  std::smatch m;
  Object found;
  if (std::regex_search(s, m, re)) {
    MatchData data{{}, std::move(names), m.prefix().str(), m.suffix().str()};
    for (size_t g = 0; g < m.size(); ++g) data.groups.push_back(m[g].matched ? std::optional(m.str(g)) : std::nullopt);
    found = Object(std::move(data));
    if (at) *at = static_cast<std::int64_t>(CharOffsets(s).char_at_byte(static_cast<size_t>(m.position(0))));
  }
  c.in.set_last_match(found);
  return found;
}

Object match_at(Call& c) {  // =~: the character index of the first match, or nil
  if (c.args[0].is<std::string>()) throw type_error("type mismatch: String given");
  if (!c.args[0].is<Regex>()) return Object();  // Ruby asks the argument (5 =~ "a"): nil
  std::int64_t at = 0;
  return search(c, str(c), c.args[0], &at).is_nil() ? Object() : Object(at);
}

Object string_match(Call& c) {
  if (!c.args[0].is<Regex>() && !c.args[0].is<std::string>())
    throw type_error("wrong argument type " + class_name(c.args[0]) + " (expected Regexp)");
  return search(c, str(c), c.args[0]);
}

Object is_match(Call& c) { return Object(std::regex_search(str(c), pattern_arg(c.args[0]))); }

Object scan(Call& c) {
  const auto& s = str(c);
  std::regex re = pattern_arg(c.args[0]);
  Array out;
  for (std::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) {
    const auto& m = *it;
    if (m.size() == 1) {
      out.push_back(Object(m.str(0)));
      continue;
    }
    Array groups;
    for (size_t g = 1; g < m.size(); ++g) groups.push_back(m[g].matched ? Object(m.str(g)) : Object());
    out.push_back(Object::array(std::move(groups)));
  }
  return Object::array(std::move(out));
}

// s[i], s[start, n], s[range], s["text"], s[/re/]
Object at(Call& c) {
  const auto& s = str(c);
  if (auto t = c.args[0].get<std::string>()) return s.find(*t) == std::string::npos ? Object() : Object(*t);
  if (auto r = c.args[0].get<Regex>()) {
    std::smatch m;
    return std::regex_search(s, m, to_regex(*r)) ? Object(m.str(0)) : Object();
  }
  // s[i], s[start, n], s[range]: counted in characters, as Array#[] counts items
  CharOffsets at(s);
  auto size = static_cast<std::int64_t>(at.count());
  auto text = [&](std::int64_t from, std::int64_t count) {
    size_t end = static_cast<size_t>(std::min(size, from + count));
    return Object(s.substr(at[static_cast<size_t>(from)], at[end] - at[static_cast<size_t>(from)]));
  };
  std::int64_t start = 0, count = 0;
  if (auto r = c.args[0].get<Ref<Range>>()) {
    if (c.args.size() > 1) throw wrong_arguments(c.args.size(), "1");
    start = (*r)->first.is_nil() ? 0 : int_arg((*r)->first, "[]");
    std::int64_t last = (*r)->last.is_nil() ? -1 : int_arg((*r)->last, "[]");
    if (start < 0) start += size;
    if (last < 0) last += size;
    if (start < 0 || start > size) return Object();
    count = std::max<std::int64_t>(0, last - start + ((*r)->exclusive && !(*r)->last.is_nil() ? 0 : 1));
    return text(start, count);
  }
  start = int_arg(c.args[0], "[]");
  if (start < 0) start += size;
  if (c.args.size() == 1) return start < 0 || start >= size ? Object() : text(start, 1);
  count = int_arg(c.args[1], "[]");
  if (start < 0 || start > size || count < 0) return Object();
  return text(start, count);
}

Object index_of(Call& c) {
  const auto& s = str(c);
  size_t byte = c.name == "index" ? s.find(string_arg(c.args[0])) : s.rfind(string_arg(c.args[0]));
  if (byte == std::string::npos) return Object();
  return Object(static_cast<std::int64_t>(CharOffsets(s).char_at_byte(byte)));
}

// center, ljust and rjust to a width, padded with spaces (or a string).
Object pad(Call& c) {
  const auto& s = str(c);
  std::int64_t width = int_arg(c.args[0], c.name.c_str());
  std::string fill = c.args.size() > 1 ? string_arg(c.args[1]) : " ";
  if (fill.empty()) throw RuntimeError("zero width padding");
  auto have = static_cast<std::int64_t>(char_count(s));
  if (width <= have) return Object(s);
  if (width > 10'000'000) throw RuntimeError("argument too big");
  auto padding = [&](std::int64_t n) {
    std::string out;
    auto fill_chars = characters(fill);
    for (std::int64_t i = 0; i < n; ++i) out += fill_chars[static_cast<size_t>(i) % fill_chars.size()];
    return out;
  };
  std::int64_t extra = width - have;
  if (c.name == "ljust") return Object(s + padding(extra));
  if (c.name == "rjust") return Object(padding(extra) + s);
  return Object(padding(extra / 2) + s + padding(extra - extra / 2));
}

Object times(Call& c) {
  auto n = c.args[0].get<std::int64_t>();
  if (!n) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into Integer");
  if (*n < 0) throw RuntimeError("negative argument");
  if (static_cast<double>(str(c).size()) * static_cast<double>(*n) > 16e6) throw RuntimeError("argument too big");
  std::string out;
  for (std::int64_t i = 0; i < *n; ++i) out += str(c);
  return Object(out);
}

Object plus(Call& c) {
  check_string_size(str(c).size() + string_arg(c.args[0]).size());  // before the copy is made
  return Object(str(c) + string_arg(c.args[0]));
}

// s << "x", concat: appends to the string itself.
Object append(Call& c) {
  std::string& text = c.self.mutable_string();
  for (const auto& arg : c.args) {
    std::string more = arg.is<std::int64_t>() ? std::string(1, static_cast<char>(*arg.get<std::int64_t>())) : string_arg(arg);
    check_string_size(text.size() + more.size());
    text += more;
  }
  return c.self;
}

// replace("x"), clear, insert(i, "x"), prepend("x"): the string itself changed.
Object replace(Call& c) {
  std::string& text = c.self.mutable_string();
  if (c.name == "clear") text.clear();
  else if (c.name == "replace") text = string_arg(c.args[0]);
  else if (c.name == "prepend") text = string_arg(c.args[0]) + text;
  return c.self;
}

Object freeze(Call& c) {
  (*c.self.get<Ref<Str>>())->frozen = true;
  return c.self;
}

Object is_frozen(Call& c) { return Object((*c.self.get<Ref<Str>>())->frozen); }

// dup and +@: a new, unfrozen string; clone keeps it frozen if it was.
Object copy(Call& c) {
  if (c.name == "+@" && !(*c.self.get<Ref<Str>>())->frozen) return c.self;
  Object out(str(c));
  if (c.name == "clone") (*out.get<Ref<Str>>())->frozen = (*c.self.get<Ref<Str>>())->frozen;
  return out;
}

Object includes(Call& c) { return Object(str(c).find(string_arg(c.args[0])) != std::string::npos); }

// The length of the Unicode white space (Ruby's [[:space:]]) at s[i], or 0.
size_t space_at(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  unsigned a = byte(i), b = byte(i + 1), c = byte(i + 2);
  if (a == ' ' || (a >= '\t' && a <= '\r')) return 1;
  if (a == 0xC2 && (b == 0x85 || b == 0xA0)) return 2;                       // U+0085, U+00A0
  if (a == 0xE1 && b == 0x9A && c == 0x80) return 3;                         // U+1680
  if (a == 0xE2 && b == 0x80 && (c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF)) return 3;  // U+2000-200A, 2028, 2029, 202F
  if (a == 0xE2 && b == 0x81 && c == 0x9F) return 3;                         // U+205F
  if (a == 0xE3 && b == 0x80 && c == 0x80) return 3;                         // U+3000
  return 0;
}

// ActiveSupport's squish: no white space at either end, and each run of it inside one space.
Object squish(Call& c) {
  const auto& s = str(c);
  std::string out;
  bool pending = false;
  for (size_t i = 0; i < s.size();) {
    if (size_t n = space_at(s, i)) {
      pending = !out.empty();
      i += n;
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += s[i++];
  }
  return Object(std::move(out));
}

// delete_prefix / delete_suffix: the string less that end, when it has it.
Object delete_end(Call& c) {
  const auto& s = str(c);
  const auto& t = string_arg(c.args[0]);
  if (c.name == "delete_prefix") return Object(s.rfind(t, 0) == 0 ? s.substr(t.size()) : s);
  bool ends = s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
  return Object(ends ? s.substr(0, s.size() - t.size()) : s);
}

Object starts(Call& c) {
  const auto& s = str(c);
  for (const auto& a : c.args) {
    const auto& t = string_arg(a);
    bool hit = c.name == "start_with?" ? s.rfind(t, 0) == 0
                                       : s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
    if (hit) return Object(true);
  }
  return Object(false);
}

Object compare_strings(Call& c) {
  auto t = c.args[0].get<std::string>();
  if (c.name == "<=>") return t ? Object(static_cast<std::int64_t>(compare(c.self, c.args[0]))) : Object();
  if (!t) throw RuntimeError("comparison of String with " + inspect(c.args[0]) + " failed");
  int r = compare(c.self, c.args[0]);
  const auto& op = c.name;
  return Object(op == "<" ? r < 0 : op == ">" ? r > 0 : op == "<=" ? r <= 0 : r >= 0);
}

Object to_sym(Call& c) { return Symbol{str(c)}; }

// Ruby's String#to_i and #to_f read a leading number and ignore the rest.
Object to_number(Call& c, model::ColumnType type, Value zero) {
  Value v = model::cast_to_column(type, str(c));
  return Object::from(is_null(v) ? zero : v);
}
Object to_i(Call& c) { return to_number(c, model::ColumnType::Integer, std::int64_t{0}); }
Object to_f(Call& c) { return to_number(c, model::ColumnType::Float, 0.0); }
Object to_d(Call& c) {
  try {
    return Object(Decimal::parse(str(c)));
  } catch (const std::range_error& e) {
    throw RuntimeError(e.what());
  }
}

Object empty(Call& c) { return Object(str(c).empty()); }
}  // namespace

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

namespace {

Object succ(Call& c) { return Object(string_succ(str(c))); }

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

Object each_char(Call& c) {
  if (!c.block) return chars(c);
  for (const auto& ch : characters(str(c))) yield_block(c, {Object(ch)});
  return c.self;
}

Object ord(Call& c) {
  if (str(c).empty()) throw RuntimeError("empty string");
  return Object(static_cast<std::int64_t>(static_cast<unsigned char>(str(c)[0])));
}

// format % [args]: printf's directives (%d, %s, %.2f, %05d, %-10s, %x, %%).
Object percent(Call& c) {
  std::vector<Object> values;
  if (auto a = c.args[0].get<Ref<Array>>()) values = **a;
  else values.push_back(c.args[0]);
  return Object(printf_format(str(c), values));
}

// ActiveSupport's inflections, which Rails tutorials use on strings.
Object inflect(Call& c) {
  const auto& s = str(c);
  if (c.name == "pluralize") return Object(model::inflector::pluralize(s));
  if (c.name == "singularize") return Object(model::inflector::singularize(s));
  if (c.name == "underscore") return Object(model::inflector::underscore(s));
  if (c.name == "camelize") return Object(model::inflector::camelize(s));
  std::string out;  // titleize
  bool start = true;
  for (char ch : model::inflector::underscore(s)) {
    if (ch == '_' || ch == ' ') {
      out += ' ', start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    start = false;
  }
  return Object(out);
}

Object truncate(Call& c) {  // ActiveSupport: at most n characters, "..." included
  auto chars = characters(str(c));
  std::int64_t n = int_arg(c.args[0], "truncate");
  if (static_cast<std::int64_t>(chars.size()) <= n) return c.self;
  std::string out;
  for (std::int64_t i = 0; i < n - 3 && i < static_cast<std::int64_t>(chars.size()); ++i) out += chars[static_cast<size_t>(i)];
  return Object(out + "...");
}

Object to_str(Call& c) { return c.self; }

const std::string& sym(Call& c) { return c.self.get<Symbol>()->name(); }
Object symbol_self(Call& c) { return c.self; }
Object symbol_length(Call& c) { return Object(static_cast<std::int64_t>(char_count(sym(c)))); }
Object symbol_to_proc(Call& c) {
  auto proc = make_ref<Proc>();
  proc->symbol = sym(c);
  return Object(std::move(proc));
}
const Regex& re(Call& c) { return *c.self.get<Regex>(); }

// The string argument of a regex method; nil matches nothing.
std::optional<std::string> subject(const Object& o) {
  if (o.is_nil()) return std::nullopt;
  if (auto s = o.get<Symbol>()) return s->name();
  return string_arg(o);
}

Object regexp_match(Call& c) {
  auto s = subject(c.args[0]);
  if (!s) {
    if (c.name != "match?") c.in.set_last_match(Object());
    return c.name == "match?" || c.name == "===" ? Object(false) : Object();
  }
  if (c.name == "match?") return Object(std::regex_search(*s, to_regex(re(c))));
  std::int64_t at = 0;
  Object found = search(c, *s, c.self, &at);  // $~, $1: =~, match and === (case/when) set them; match? does not
  if (c.name == "===") return Object(!found.is_nil());
  if (c.name == "=~") return found.is_nil() ? Object() : Object(at);
  return found;
}

// ---- MatchData ----

const MatchData& match_data(Call& c) { return *c.self.get<MatchData>(); }
Object group_value(const std::optional<std::string>& g) { return g ? Object(*g) : Object(); }

Object match_to_a(Call& c) {
  Array out;
  const auto& groups = match_data(c).groups;
  for (size_t i = c.name == "captures" ? 1 : 0; i < groups.size(); ++i) out.push_back(group_value(groups[i]));
  return Object::array(std::move(out));
}

// m[0], m[1], m[-1], m[:name], m["name"]
Object match_at_index(Call& c) {
  const auto& m = match_data(c);
  const Object& key = c.args[0];
  if (key.is<std::string>() || key.is<Symbol>()) {
    std::string name = key.is<Symbol>() ? key.get<Symbol>()->name() : *key.get<std::string>();
    auto it = std::find(m.names.begin(), m.names.end(), name);
    if (it == m.names.end()) throw RubyError("IndexError", "undefined group name reference: " + name);
    return group_value(m.groups[static_cast<size_t>(it - m.names.begin()) + 1]);
  }
  auto i = int_arg(key, "[]");
  auto size = static_cast<std::int64_t>(m.groups.size());
  if (i < 0) i += size;
  return i < 0 || i >= size ? Object() : group_value(m.groups[static_cast<size_t>(i)]);
}

Object match_named_captures(Call& c) {
  const auto& m = match_data(c);
  Hash out;
  for (size_t i = 0; i < m.names.size(); ++i) out.set(Object(m.names[i]), group_value(m.groups[i + 1]));
  return Object::hash(std::move(out));
}

Object match_names(Call& c) { return strings(match_data(c).names); }
Object match_pre(Call& c) { return Object(c.name == "pre_match" ? match_data(c).pre : match_data(c).post); }
Object match_to_s(Call& c) { return group_value(match_data(c).groups[0]); }
Object match_size(Call& c) { return Object(static_cast<std::int64_t>(match_data(c).groups.size())); }

Object regexp_source(Call& c) { return Object(re(c).source); }

Object symbol_compare(Call& c) {
  if (!c.args[0].is<Symbol>()) return Object();
  return Object(static_cast<std::int64_t>(compare(c.self, c.args[0])));
}

}  // namespace

std::string printf_format(const std::string& format, const std::vector<Object>& values) {
  fmt::dynamic_format_arg_store<fmt::printf_context> store;
  for (const auto& v : values) {
    if (auto i = v.get<std::int64_t>()) store.push_back(*i);
    else if (auto d = v.get<double>()) store.push_back(*d);
    else store.push_back(to_s(v));
  }
  try {
    return fmt::vsprintf(fmt::string_view(format), fmt::basic_format_args<fmt::printf_context>(store));
  } catch (const fmt::format_error& e) {
    throw RuntimeError(std::string("malformed format string: ") + e.what());
  }
}

const std::vector<Method>& methods::string() {
  static const std::vector<Method> table = {
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", length},
      {"bytesize", "", 0, 0, Returns::Integer, "the number of bytes (UTF-8)", bytesize},
      {"upcase", "", 0, 0, Returns::String, "in capitals", change_case},
      {"downcase", "", 0, 0, Returns::String, "in small letters", change_case},
      {"capitalize", "", 0, 0, Returns::String, "the first letter a capital, the rest small", change_case},
      {"swapcase", "", 0, 0, Returns::String, "capitals and small letters swapped", change_case},
      {"strip", "", 0, 0, Returns::String, "without white space at either end", strip},
      {"squish", "", 0, 0, Returns::String, "without white space at either end, each run of it inside one space", squish},
      {"delete_prefix", "", 1, 1, Returns::String, "without the given start, when it begins with it", delete_end},
      {"delete_suffix", "", 1, 1, Returns::String, "without the given end, when it ends with it", delete_end},
      {"lstrip", "", 0, 0, Returns::String, "without white space at the start", strip},
      {"rstrip", "", 0, 0, Returns::String, "without white space at the end", strip},
      {"chomp", "", 0, 1, Returns::String, "without a trailing newline (or suffix)", chomp},
      {"reverse", "", 0, 0, Returns::String, "the characters in reverse order", reverse},
      {"succ", "next", 0, 0, Returns::String, "the next string: \"az\".succ is \"ba\"", succ},
      {"tr", "", 2, 2, Returns::String, "characters replaced by those at the same place: tr(\"a-z\", \"A-Z\")", tr},
      {"delete", "", 1, 1, Returns::String, "without the characters of a set: delete(\"aeiou\")", delete_chars},
      {"squeeze", "", 0, 1, Returns::String, "runs of the same character as one", squeeze},
      {"chars", "", 0, 0, Returns::Array, "the characters, as an array", chars},
      {"each_char", "", 0, 0, Returns::Self, "calls the block with each character", each_char},
      {"split", "", 0, 1, Returns::Array, "the parts between separators (white space by default)", split},
      {"lines", "", 0, 0, Returns::Array, "the lines, each with its newline", lines},
      {"sub", "", 1, 2, Returns::String, "the first match replaced", substitute},
      {"gsub", "", 1, 2, Returns::String, "every match replaced", substitute},
      {"=~", "", 1, 1, Returns::Integer, "the index of the first match of a regex, or nil", match_at},
      {"match", "", 1, 1, Returns::Any, "the first match of a pattern (a MatchData), or nil; sets $~", string_match},
      {"match?", "", 1, 1, Returns::Boolean, "whether a pattern matches", is_match},
      {"scan", "", 1, 1, Returns::Array, "every match of a pattern", scan},
      {"[]", "slice", 1, 2, Returns::String, "the character at an index, s[start, n], s[range], or a match", at},
      {"index", "", 1, 1, Returns::Integer, "where a string first occurs, or nil", index_of},
      {"rindex", "", 1, 1, Returns::Integer, "where a string last occurs, or nil", index_of},
      {"center", "", 1, 2, Returns::String, "centred in a width", pad},
      {"ljust", "", 1, 2, Returns::String, "padded on the right to a width", pad},
      {"rjust", "", 1, 2, Returns::String, "padded on the left to a width", pad},
      {"*", "", 1, 1, Returns::String, "repeated n times", times},
      {"+", "", 1, 1, Returns::String, "joined with another string", plus},
      {"<<", "concat", 1, kAnyNumber, Returns::String, "appends to the string itself (every variable holding it sees it)",
       append},
      {"replace", "", 1, 1, Returns::String, "the string itself, its text replaced", replace},
      {"clear", "", 0, 0, Returns::String, "the string itself, emptied", replace},
      {"prepend", "", 1, 1, Returns::String, "the string itself, with text put in front", replace},
      {"freeze", "", 0, 0, Returns::String, "itself, from now on unchangeable", freeze},
      {"frozen?", "", 0, 0, Returns::Boolean, "whether it can no longer change", is_frozen},
      {"dup", "+@", 0, 0, Returns::String, "a new string with the same text, not frozen", copy},
      {"clone", "", 0, 0, Returns::String, "a new string with the same text, frozen if it was", copy},
      {"%", "", 1, 1, Returns::String, "formatted: \"%05.1f\" % 3.14159", percent},
      {"include?", "", 1, 1, Returns::Boolean, "whether it contains a string", includes},
      {"start_with?", "", 1, kAnyNumber, Returns::Boolean, "whether it begins with any of the strings", starts},
      {"end_with?", "", 1, kAnyNumber, Returns::Boolean, "whether it ends with any of the strings", starts},
      {"<", "", 1, 1, Returns::Boolean, "sorts before", compare_strings},
      {">", "", 1, 1, Returns::Boolean, "sorts after", compare_strings},
      {"<=", "", 1, 1, Returns::Boolean, "sorts before or equal", compare_strings},
      {">=", "", 1, 1, Returns::Boolean, "sorts after or equal", compare_strings},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1 as it sorts before, with or after", compare_strings},
      {"to_sym", "intern", 0, 0, Returns::Symbol, "as a symbol", to_sym},
      {"to_i", "", 0, 0, Returns::Integer, "the leading integer, or 0", to_i},
      {"to_f", "", 0, 0, Returns::Float, "the leading number, or 0.0", to_f},
      {"to_d", "", 0, 0, Returns::Any, "the leading number as a BigDecimal, or 0.0", to_d},
      {"to_str", "", 0, 0, Returns::String, "itself", to_str},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no characters", empty},
      {"count", "", 1, 1, Returns::Integer, "how many of its characters are in the set", count_chars},
      {"ord", "", 0, 0, Returns::Integer, "the first byte's code", ord},
      {"pluralize", "", 0, 0, Returns::String, "the plural, as Rails inflects it", inflect},
      {"singularize", "", 0, 0, Returns::String, "the singular, as Rails inflects it", inflect},
      {"underscore", "", 0, 0, Returns::String, "UserItem -> user_item", inflect},
      {"camelize", "", 0, 0, Returns::String, "user_item -> UserItem", inflect},
      {"titleize", "", 0, 0, Returns::String, "each word capitalised", inflect},
      {"truncate", "", 1, 1, Returns::String, "at most n characters, ending in ...", truncate},
      {"upcase!", "", 0, 0, Returns::String, "upcase, in the variable", bang},
      {"downcase!", "", 0, 0, Returns::String, "downcase, in the variable", bang},
      {"capitalize!", "", 0, 0, Returns::String, "capitalize, in the variable", bang},
      {"swapcase!", "", 0, 0, Returns::String, "swapcase, in the variable", bang},
      {"strip!", "", 0, 0, Returns::String, "strip, in the variable", bang},
      {"chomp!", "", 0, 1, Returns::String, "chomp, in the variable", bang},
      {"reverse!", "", 0, 0, Returns::String, "reverse, in the variable", bang},
      {"sub!", "", 1, 2, Returns::String, "sub, in the variable", bang},
      {"gsub!", "", 1, 2, Returns::String, "gsub, in the variable", bang},
  };
  return table;
}

const std::vector<Method>& methods::regexp() {
  static const std::vector<Method> table = {
      {"match?", "", 1, 1, Returns::Boolean, "whether it matches the string", regexp_match},
      {"=~", "", 1, 1, Returns::Integer, "where it first matches the string, or nil", regexp_match},
      {"===", "", 1, 1, Returns::Boolean, "whether it matches (as case/when asks)", regexp_match},
      {"match", "", 1, 1, Returns::Any, "the first match in the string (a MatchData), or nil; sets $~", regexp_match},
      {"source", "", 0, 0, Returns::String, "the pattern's text", regexp_source},
  };
  return table;
}

const std::vector<Method>& methods::match_data() {
  static const std::vector<Method> table = {
      {"[]", "", 1, 1, Returns::String, "the match (0), a group by number or by name, or nil", match_at_index},
      {"captures", "", 0, 0, Returns::Array, "the groups' texts", match_to_a},
      {"to_a", "", 0, 0, Returns::Array, "the match and the groups' texts", match_to_a},
      {"named_captures", "", 0, 0, Returns::Hash, "the named groups' texts by name", match_named_captures},
      {"names", "", 0, 0, Returns::Array, "the groups' names", match_names},
      {"pre_match", "", 0, 0, Returns::String, "the text before the match", match_pre},
      {"post_match", "", 0, 0, Returns::String, "the text after the match", match_pre},
      {"to_s", "", 0, 0, Returns::String, "the text matched", match_to_s},
      {"size", "length", 0, 0, Returns::Integer, "the number of groups, the match included", match_size},
  };
  return table;
}

const std::vector<Method>& methods::symbol() {
  static const std::vector<Method> table = {
      {"to_sym", "", 0, 0, Returns::Symbol, "itself", symbol_self},
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", symbol_length},
      {"to_proc", "", 0, 0, Returns::Proc, "a proc that calls this method on its argument", symbol_to_proc},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1, as their names sort", symbol_compare},
  };
  return table;
}

}  // namespace fw::lang

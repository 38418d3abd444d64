// String's methods on its text as a whole: length, case, white space,
// padding, pieces and s[i], changing the string itself, comparison and
// conversion (the table is in string.cpp).
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "base/text.hpp"
#include "lang/methods/string_support.hpp"
#include "model/column.hpp"

namespace fw::lang::string_methods {

namespace {

std::string map_ascii(const std::string& s, int (*f)(int)) {
  std::string out = s;
  for (auto& ch : out)
    if (!(static_cast<unsigned char>(ch) & 0x80)) ch = static_cast<char>(f(static_cast<unsigned char>(ch)));
  return out;
}

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

// Ruby's String#to_i and #to_f read a leading number and ignore the rest.
Object to_number(Call& c, model::ColumnType type, Value zero) {
  Value v = model::cast_to_column(type, str(c));
  return Object::from(is_null(v) ? zero : v);
}

}  // namespace

Object length(Call& c) {
  return Object(static_cast<std::int64_t>(char_count(str(c))));
}
Object bytesize(Call& c) { return Object(static_cast<std::int64_t>(str(c).size())); }

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

// s[i], s[start, n], s[range], s["text"], s[/re/]
Object at(Call& c) {
  const auto& s = str(c);
  if (auto t = c.args[0].get<std::string>()) return s.find(*t) == std::string::npos ? Object() : Object(*t);
  if (auto r = c.args[0].get<Regex>()) return first_match(s, *r);
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

Object ord(Call& c) {
  if (str(c).empty()) throw RuntimeError("empty string");
  return Object(static_cast<std::int64_t>(static_cast<unsigned char>(str(c)[0])));
}

Object to_str(Call& c) { return c.self; }

}  // namespace fw::lang::string_methods

// Strings and symbols: String's and Symbol's method tables. Lengths and
// indexes count characters (UTF-8), not bytes. Methods ending in ! (and <<)
// change the variable the string was read from, and give nil when there was
// nothing to change, as Ruby's do. A String method's handler lives in the
// file for what it does: see string_support.hpp.
#include <algorithm>

#include "lang/methods/string_support.hpp"

namespace fw::lang {

namespace string_methods {

const std::string& string_arg(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  throw type_error("no implicit conversion of " + class_name(o) + " into String");
}

std::vector<size_t> char_starts(const std::string& s) {
  std::vector<size_t> at;
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
  at.push_back(s.size());
  return at;
}

size_t char_count(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::vector<std::string> characters(const std::string& s) {
  auto at = char_starts(s);
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < at.size(); ++i) out.push_back(s.substr(at[i], at[i + 1] - at[i]));
  return out;
}

Object changed(Call& c, const std::string& result) {
  if (result == str(c)) {
    c.self.mutable_string();  // a frozen string refuses even a change that changes nothing
    return Object();
  }
  c.self.mutable_string() = result;
  return c.self;
}

}  // namespace string_methods

using namespace string_methods;

namespace {

// upcase! and friends: the plain method, written back.
Object bang(Call& c) {
  std::vector<Object> args = c.args;
  Object result = c.in.call(c.self, c.name.substr(0, c.name.size() - 1), args, c.block);
  return changed(c, string_arg(result));
}

const std::string& sym(Call& c) { return c.self.get<Symbol>()->name(); }
Object symbol_self(Call& c) { return c.self; }
Object symbol_length(Call& c) { return Object(static_cast<std::int64_t>(char_count(sym(c)))); }
Object symbol_to_proc(Call& c) {
  auto proc = make_ref<Proc>();
  proc->symbol = sym(c);
  return Object(std::move(proc));
}

Object symbol_compare(Call& c) {
  if (!c.args[0].is<Symbol>()) return Object();
  return Object(static_cast<std::int64_t>(compare(c.self, c.args[0])));
}

}  // namespace

const std::vector<Method>& methods::string() {
  static const std::vector<Method> table = {
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", length, kReads},
      {"bytesize", "", 0, 0, Returns::Integer, "the number of bytes (UTF-8)", bytesize},
      {"upcase", "", 0, 0, Returns::String, "in capitals", change_case, kReads},
      {"downcase", "", 0, 0, Returns::String, "in small letters", change_case, kReads},
      {"capitalize", "", 0, 0, Returns::String, "the first letter a capital, the rest small", change_case},
      {"swapcase", "", 0, 0, Returns::String, "capitals and small letters swapped", change_case},
      {"strip", "", 0, 0, Returns::String, "without white space at either end", strip, kReads},
      {"squish", "", 0, 0, Returns::String, "without white space at either end, each run of it inside one space", squish},
      {"delete_prefix", "", 1, 1, Returns::String, "without the given start, when it begins with it", delete_end},
      {"delete_suffix", "", 1, 1, Returns::String, "without the given end, when it ends with it", delete_end},
      {"lstrip", "", 0, 0, Returns::String, "without white space at the start", strip},
      {"rstrip", "", 0, 0, Returns::String, "without white space at the end", strip},
      {"chomp", "", 0, 1, Returns::String, "without a trailing newline (or suffix)", chomp},
      {"reverse", "", 0, 0, Returns::String, "the characters in reverse order", reverse, kReads},
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
      {"dup", "+@", 0, 0, Returns::String, "a new string with the same text, not frozen", copy, kReads},
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
      {"to_sym", "intern", 0, 0, Returns::Symbol, "as a symbol", to_sym, kReads},
      {"to_i", "", 0, 0, Returns::Integer, "the leading integer, or 0", to_i, kReads},
      {"to_f", "", 0, 0, Returns::Float, "the leading number, or 0.0", to_f},
      {"to_d", "", 0, 0, Returns::Any, "the leading number as a BigDecimal, or 0.0", to_d},
      {"to_str", "", 0, 0, Returns::String, "itself", to_str},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no characters", empty, kReads},
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

const std::vector<Method>& methods::symbol() {
  static const std::vector<Method> table = {
      {"to_sym", "", 0, 0, Returns::Symbol, "itself", symbol_self, kReads},
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", symbol_length, kReads},
      {"to_proc", "", 0, 0, Returns::Proc, "a proc that calls this method on its argument", symbol_to_proc},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1, as their names sort", symbol_compare},
  };
  return table;
}

}  // namespace fw::lang

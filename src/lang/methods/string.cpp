// Strings and symbols. Lengths count characters (UTF-8), not bytes.
#include <algorithm>

#include "lang/methods/support.hpp"
#include "model/column.hpp"

namespace fw::lang {

namespace {

const std::string& str(Call& c) { return *c.self.get<std::string>(); }

const std::string& string_arg(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  throw type_error("no implicit conversion of " + class_name(o) + " into String");
}

std::int64_t characters(const std::string& s) {
  std::int64_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

Object length(Call& c) { return Object(characters(str(c))); }

Object change_case(Call& c) {
  std::string out = str(c);
  std::transform(out.begin(), out.end(), out.begin(), c.name == "upcase" ? ::toupper : ::tolower);
  return Object(out);
}

Object strip(Call& c) {
  const auto& s = str(c);
  size_t a = s.find_first_not_of(" \t\r\n\f\v"), b = s.find_last_not_of(" \t\r\n\f\v");
  return Object(a == std::string::npos ? std::string() : s.substr(a, b - a + 1));
}

Object to_sym(Call& c) { return Symbol{str(c)}; }

// Ruby's String#to_i and #to_f read a leading number and ignore the rest.
Object to_number(Call& c, model::ColumnType type, Value zero) {
  Value v = model::cast_to_column(type, str(c));
  return Object::from(is_null(v) ? zero : v);
}
Object to_i(Call& c) { return to_number(c, model::ColumnType::Integer, std::int64_t{0}); }
Object to_f(Call& c) { return to_number(c, model::ColumnType::Float, 0.0); }

Object empty(Call& c) { return Object(str(c).empty()); }
Object plus(Call& c) { return Object(str(c) + string_arg(c.args[0])); }

Object times(Call& c) {
  auto n = c.args[0].get<std::int64_t>();
  if (!n) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into Integer");
  if (*n < 0) throw RuntimeError("negative argument");
  if (static_cast<double>(str(c).size()) * static_cast<double>(*n) > 16e6) throw RuntimeError("argument too big");
  std::string out;
  for (std::int64_t i = 0; i < *n; ++i) out += str(c);
  return Object(out);
}

Object includes(Call& c) { return Object(str(c).find(string_arg(c.args[0])) != std::string::npos); }
Object starts(Call& c) { return Object(str(c).rfind(string_arg(c.args[0]), 0) == 0); }

Object ends(Call& c) {
  const auto& s = str(c);
  const auto& t = string_arg(c.args[0]);
  return Object(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
}

Object compare(Call& c) {
  auto t = c.args[0].get<std::string>();
  if (!t) throw RuntimeError("comparison of String with " + inspect(c.args[0]) + " failed");
  int r = str(c).compare(*t);
  const auto& op = c.name;
  return Object(op == "<" ? r < 0 : op == ">" ? r > 0 : op == "<=" ? r <= 0 : r >= 0);
}

const std::string& sym(Call& c) { return c.self.get<Symbol>()->name; }
Object symbol_self(Call& c) { return c.self; }
Object symbol_length(Call& c) { return Object(characters(sym(c))); }

}  // namespace

const std::vector<Method>& methods::string() {
  static const std::vector<Method> table = {
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", length},
      {"upcase", "", 0, 0, Returns::String, "in capitals", change_case},
      {"downcase", "", 0, 0, Returns::String, "in small letters", change_case},
      {"strip", "", 0, 0, Returns::String, "without white space at either end", strip},
      {"to_sym", "", 0, 0, Returns::Symbol, "as a symbol", to_sym},
      {"to_i", "", 0, 0, Returns::Integer, "the leading integer, or 0", to_i},
      {"to_f", "", 0, 0, Returns::Float, "the leading number, or 0.0", to_f},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no characters", empty},
      {"+", "", 1, 1, Returns::String, "joined with another string", plus},
      {"<<", "concat", 1, 1, Returns::String, "joined with another string", plus},
      {"*", "", 1, 1, Returns::String, "repeated n times", times},
      {"include?", "", 1, 1, Returns::Boolean, "whether it contains a string", includes},
      {"start_with?", "", 1, 1, Returns::Boolean, "whether it begins with a string", starts},
      {"end_with?", "", 1, 1, Returns::Boolean, "whether it ends with a string", ends},
      {"<", "", 1, 1, Returns::Boolean, "sorts before", compare},
      {">", "", 1, 1, Returns::Boolean, "sorts after", compare},
      {"<=", "", 1, 1, Returns::Boolean, "sorts before or equal", compare},
      {">=", "", 1, 1, Returns::Boolean, "sorts after or equal", compare},
  };
  return table;
}

const std::vector<Method>& methods::symbol() {
  static const std::vector<Method> table = {
      {"to_sym", "", 0, 0, Returns::Symbol, "itself", symbol_self},
      {"length", "size", 0, 0, Returns::Integer, "the number of characters", symbol_length},
  };
  return table;
}

}  // namespace fw::lang

#include "model/column.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/text.hpp"

namespace fw::model {

namespace {

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

// Ruby's String#to_i: leading white space, a sign, then as many digits as
// there are; 0 when there are none. Saturates instead of overflowing.
std::int64_t ruby_to_i(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::int64_t v = 0;
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    int digit = s[i] - '0';
    if (v > (max - digit) / 10) return negative ? std::numeric_limits<std::int64_t>::min() : max;
    v = v * 10 + digit;
    if (i + 1 < s.size() && s[i + 1] == '_') ++i;
  }
  return negative ? -v : v;
}

double ruby_to_f(const std::string& s) {
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  return end == s.c_str() ? 0.0 : d;
}

std::int64_t clamp_to_int(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
  if (d <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);
}

Value cast_integer(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return std::int64_t{*b ? 1 : 0};
  if (auto d = std::get_if<double>(&v)) return clamp_to_int(*d);
  if (auto s = std::get_if<std::string>(&v)) return is_blank(v) ? Value{} : Value(ruby_to_i(*s));
  return v;
}

Value cast_float(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto s = std::get_if<std::string>(&v)) return is_blank(v) ? Value{} : Value(ruby_to_f(*s));
  return v;
}

Value cast_boolean(const Value& v) {
  if (is_null(v)) return v;
  if (auto s = std::get_if<std::string>(&v)) {
    if (s->empty()) return Value{};
    static const char* falses[] = {"0", "f", "F", "false", "FALSE", "off", "OFF"};
    return Value(std::none_of(std::begin(falses), std::end(falses), [&](const char* f) { return *s == f; }));
  }
  if (auto i = std::get_if<std::int64_t>(&v)) return Value(*i != 0);
  if (auto d = std::get_if<double>(&v)) return Value(*d != 0);
  return v;
}

Value cast_string(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return std::string(*b ? "t" : "f");
  if (std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v)) return value_to_s(v);
  return v;
}

}  // namespace

bool is_blank(const Value& v) {
  if (is_null(v)) return true;
  if (auto b = std::get_if<bool>(&v)) return !*b;
  if (auto s = std::get_if<std::string>(&v))
    return std::all_of(s->begin(), s->end(), [](unsigned char c) { return std::isspace(c); });
  return false;
}

ColumnType column_type_from_sql(const std::string& declared) {
  std::string t = declared;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t.empty()) return ColumnType::Untyped;
  if (contains(t, "bool")) return ColumnType::Boolean;
  if (contains(t, "int")) return ColumnType::Integer;
  if (contains(t, "datetime") || contains(t, "timestamp")) return ColumnType::DateTime;
  if (contains(t, "date")) return ColumnType::Date;
  if (contains(t, "time")) return ColumnType::Time;
  if (contains(t, "text") || contains(t, "clob")) return ColumnType::Text;
  if (contains(t, "char") || contains(t, "string")) return ColumnType::String;
  if (contains(t, "real") || contains(t, "floa") || contains(t, "doub")) return ColumnType::Float;
  if (contains(t, "dec") || contains(t, "num")) return ColumnType::Decimal;
  if (contains(t, "blob") || contains(t, "binary")) return ColumnType::Binary;
  return ColumnType::Untyped;
}

const char* column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::Integer: return "integer";
    case ColumnType::Float: return "float";
    case ColumnType::Decimal: return "decimal";
    case ColumnType::String: return "string";
    case ColumnType::Text: return "text";
    case ColumnType::Boolean: return "boolean";
    case ColumnType::DateTime: return "datetime";
    case ColumnType::Date: return "date";
    case ColumnType::Time: return "time";
    case ColumnType::Binary: return "binary";
    case ColumnType::Untyped: return "value";
  }
  return "value";
}

Value cast_to_column(ColumnType type, const Value& input) {
  switch (type) {
    case ColumnType::Integer: return cast_integer(input);
    case ColumnType::Float:
    case ColumnType::Decimal: return cast_float(input);
    case ColumnType::Boolean: return cast_boolean(input);
    case ColumnType::String:
    case ColumnType::Text: return cast_string(input);
    case ColumnType::DateTime:
    case ColumnType::Date:
    case ColumnType::Time: return std::holds_alternative<std::string>(input) && is_blank(input) ? Value{} : cast_string(input);
    default: return input;
  }
}

Value cast_from_database(ColumnType type, const Value& stored) {
  if (type == ColumnType::Boolean) return cast_boolean(stored);
  return stored;
}

Value cast_for_database(ColumnType type, const Value& attribute) {
  (void)type;
  if (auto b = std::get_if<bool>(&attribute)) return std::int64_t{*b ? 1 : 0};
  return attribute;
}

}  // namespace fw::model

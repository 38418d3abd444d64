#include "model/column.hpp"

#include "model/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <fmt/format.h>
#include <optional>
#include <regex>
#include <cstdlib>
#include <limits>

#include "base/calendar.hpp"
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

// A date and time as ActiveModel reads one from a string: ISO 8601
// ("2021-03-19 10:20:30.5", "...T...Z", "...+02:00"), or a date alone
// ("2021-03-19", "2021-3-9", "19/03/2021") at midnight; the zone, if any,
// turned into UTC. Nothing when the string holds no date.
struct Moment {
  std::tm tm{};
  long micros = 0;
  long offset = 0;  // seconds east of UTC
};

std::optional<Moment> parse_moment(const std::string& text) {
  static const std::regex date_time(
      R"(\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?\s*)",
      std::regex::icase);
  static const std::regex day_first(R"(\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*)");
  std::smatch m;
  Moment out;
  if (std::regex_match(text, m, date_time)) {
    out.tm.tm_year = std::stoi(m[1]) - 1900;
    out.tm.tm_mon = std::stoi(m[2]) - 1;
    out.tm.tm_mday = std::stoi(m[3]);
    if (m[4].matched) {
      out.tm.tm_hour = std::stoi(m[4]);
      out.tm.tm_min = std::stoi(m[5]);
      if (m[6].matched) out.tm.tm_sec = std::stoi(m[6]);
      if (m[7].matched) {
        std::string digits = m[7].str().substr(0, 6);
        digits.resize(6, '0');
        out.micros = std::stol(digits);
      }
      if (m[8].matched && m[8].str()[0] != 'Z' && m[8].str()[0] != 'z' && m[8].str()[0] != 'U' && m[8].str()[0] != 'u') {
        std::string z = m[8];
        std::string digits;
        for (char c : z) if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        long hours = std::stol(digits.substr(0, 2));
        long minutes = digits.size() >= 4 ? std::stol(digits.substr(2, 2)) : 0;
        out.offset = (z[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
      }
    }
    return out;
  }
  if (std::regex_match(text, m, day_first)) {
    out.tm.tm_mday = std::stoi(m[1]);
    out.tm.tm_mon = std::stoi(m[2]) - 1;
    out.tm.tm_year = std::stoi(m[3]) - 1900;
    return out;
  }
  return std::nullopt;
}

bool valid_day(const std::tm& tm) { return fw::valid_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday); }

bool is_canonical_time(const std::string& s) {
  if (s.size() != 19 && s.size() != 26) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char want = i == 4 || i == 7 ? '-' : i == 10 ? ' ' : i == 13 || i == 16 ? ':' : i == 19 ? '.' : '0';
    if (want == '0' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != want) return false;
  }
  auto number = [&](size_t at, size_t digits) {
    int n = 0;
    for (size_t i = at; i < at + digits; ++i) n = n * 10 + (s[i] - '0');
    return n;
  };
  std::tm day{};
  day.tm_year = number(0, 4) - 1900, day.tm_mon = number(5, 2) - 1, day.tm_mday = number(8, 2);
  return valid_day(day) && number(11, 2) <= 23 && number(14, 2) <= 59 && number(17, 2) <= 59;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC, as ActiveRecord stores a time in SQLite;
// an impossible day rolls over (Feb 30 is Mar 2), as Ruby's Time does.
Value cast_datetime(const Value& v) {
  auto s = std::get_if<std::string>(&v);
  if (!s) return v;
  if (is_blank(v)) return Value{};
  if (is_canonical_time(*s)) return v;  // as stored: the timestamps set on every save
  auto moment = parse_moment(*s);
  if (!moment || moment->tm.tm_mon > 11 || moment->tm.tm_hour > 24 || moment->tm.tm_min > 59 || moment->tm.tm_sec > 60)
    return Value{};
  std::time_t t = timegm(&moment->tm) - moment->offset;
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                                utc.tm_hour, utc.tm_min, utc.tm_sec);
  if (moment->micros) out += fmt::format(".{:06}", moment->micros);
  return out;
}

// "YYYY-MM-DD"; nil for a string with no date or an impossible day.
Value cast_date(const Value& v) {
  auto s = std::get_if<std::string>(&v);
  if (!s) return v;
  if (is_blank(v)) return Value{};
  auto moment = parse_moment(*s);
  if (!moment || !valid_day(moment->tm)) return Value{};
  return fmt::format("{:04}-{:02}-{:02}", moment->tm.tm_year + 1900, moment->tm.tm_mon + 1, moment->tm.tm_mday);
}

}  // namespace

Value Column::enum_name(const Value& stored) const {
  for (const auto& [n, v] : enum_values)
    if (v == stored) return Value(n);
  return stored;
}

Value Column::enum_value(const Value& given) const {
  if (is_null(given) || is_blank(given)) return Value{};
  for (const auto& [n, v] : enum_values)
    if (v == given || (std::holds_alternative<std::string>(given) && std::get<std::string>(given) == n)) return v;
  throw NamedError("ArgumentError", "'" + value_to_s(given) + "' is not a valid " + name);
}

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
  if (contains(t, "blob") || contains(t, "binary") || contains(t, "bytea")) return ColumnType::Binary;
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
    case ColumnType::DateTime: return cast_datetime(input);
    case ColumnType::Date: return cast_date(input);
    case ColumnType::Time: return std::holds_alternative<std::string>(input) && is_blank(input) ? Value{} : cast_string(input);
    default: return input;
  }
}

Value cast_from_database(ColumnType type, Value stored) {
  cast_from_database_in_place(type, stored);
  return stored;
}

void cast_from_database_in_place(ColumnType type, Value& stored) {
  if (type == ColumnType::Boolean) stored = cast_boolean(stored);
}

Value cast_for_database(ColumnType type, const Value& attribute) {
  (void)type;
  if (auto b = std::get_if<bool>(&attribute)) return std::int64_t{*b ? 1 : 0};
  return attribute;
}

}  // namespace fw::model

#include "base/calendar.hpp"

#include <cctype>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <regex>

namespace fw {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

// Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = floor_div(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  std::int64_t era = floor_div(z, 146097);
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

Civil civil_of_days(std::int64_t days) {
  Civil c{};
  civil_from_days(days, c.year, c.month, c.day);
  c.wday = static_cast<int>(floor_mod(days + 4, 7));  // 1970-01-01 was a Thursday
  c.yday = static_cast<int>(days - days_from_civil(c.year, 1, 1) + 1);
  return c;
}

const char* const kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

std::string padded(std::int64_t n, int width, char pad) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  if (pad && static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<size_t>(width) - digits.size(), pad);
  return (n < 0 ? "-" : "") + digits;
}

}  // namespace

bool valid_day(std::int64_t y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

Time Time::now() {
  auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  Time t;
  t.seconds = floor_div(since, 1'000'000'000);
  t.nanos = static_cast<std::int32_t>(floor_mod(since, 1'000'000'000));
  t.with_zone = false;
  return t;
}

std::optional<Time> Time::parse(std::string_view stored) {
  static const std::regex form(R"((\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:Z| UTC)?)");
  std::cmatch m;
  if (!std::regex_match(stored.data(), stored.data() + stored.size(), m, form)) return std::nullopt;
  std::int64_t year = std::stoll(m[1]);
  int month = std::stoi(m[2]), day = std::stoi(m[3]);
  int hour = m[4].matched ? std::stoi(m[4]) : 0, minute = m[5].matched ? std::stoi(m[5]) : 0;
  int second = m[6].matched ? std::stoi(m[6]) : 0;
  if (!valid_day(year, month, day) || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  Time t;
  t.seconds = days_from_civil(year, month, day) * kDay + hour * 3600 + minute * 60 + second;
  if (m[7].matched) {
    std::string digits = m[7].str();
    digits.resize(9, '0');
    t.nanos = std::stoi(digits);
  }
  return t;
}

std::string Time::stored() const {
  Civil c = civil(*this);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
  if (nanos / 1000) out += fmt::format(".{:06}", nanos / 1000);
  return out;
}

Date Date::today() { return Date{floor_div(Time::now().seconds, kDay)}; }

Date Date::civil(std::int64_t year, int month, int day) { return Date{days_from_civil(year, month, day)}; }

std::optional<Date> Date::parse(std::string_view stored) {
  static const std::regex form(R"((\d{4})-(\d{2})-(\d{2}))");
  std::cmatch m;
  if (!std::regex_match(stored.data(), stored.data() + stored.size(), m, form)) return std::nullopt;
  std::int64_t year = std::stoll(m[1]);
  int month = std::stoi(m[2]), day = std::stoi(m[3]);
  if (!valid_day(year, month, day)) return std::nullopt;
  return Date::civil(year, month, day);
}

std::string Date::stored() const {
  Civil c = fw::civil(*this);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

Time Date::midnight() const { return Time{days * kDay, 0, true}; }

Civil civil(const Time& t) {
  Civil c = civil_of_days(floor_div(t.seconds, kDay));
  std::int64_t s = floor_mod(t.seconds, kDay);
  c.hour = static_cast<int>(s / 3600);
  c.minute = static_cast<int>(s / 60 % 60);
  c.second = static_cast<int>(s % 60);
  c.nanos = t.nanos;
  return c;
}

Civil civil(const Date& d) { return civil_of_days(d.days); }

std::string strftime(const Civil& c, std::string_view format, bool date_only) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    size_t start = i++;
    char pad = '0';
    bool upper = false;
    for (; i < format.size() && std::strchr("-_^0#", format[i]); ++i) {
      if (format[i] == '-') pad = 0;
      if (format[i] == '_') pad = ' ';
      if (format[i] == '^') upper = true;
    }
    int width = 0;
    for (; i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])); ++i) width = width * 10 + (format[i] - '0');
    bool colon = i < format.size() && format[i] == ':';
    if (colon) ++i;
    if (i == format.size()) {
      out.append(format.substr(start));
      break;
    }
    auto num = [&](std::int64_t n, int w, char default_pad = '0') {
      return padded(n, width ? width : w, pad == '0' ? default_pad : pad);
    };
    int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
    std::string piece;
    switch (format[i]) {
      case 'Y': piece = num(c.year, 4); break;
      case 'C': piece = num(floor_div(c.year, 100), 2); break;
      case 'y': piece = num(floor_mod(c.year, 100), 2); break;
      case 'm': piece = num(c.month, 2); break;
      case 'd': piece = num(c.day, 2); break;
      case 'e': piece = num(c.day, 2, ' '); break;
      case 'j': piece = num(c.yday, 3); break;
      case 'H': piece = num(c.hour, 2); break;
      case 'k': piece = num(c.hour, 2, ' '); break;
      case 'I': piece = num(hour12, 2); break;
      case 'l': piece = num(hour12, 2, ' '); break;
      case 'M': piece = num(c.minute, 2); break;
      case 'S': piece = num(c.second, 2); break;
      case 'L': piece = fmt::format("{:09}", c.nanos).substr(0, 3); break;
      case 'N': {
        std::string digits = fmt::format("{:09}", c.nanos);
        digits.resize(static_cast<size_t>(width ? width : 9), '0');
        piece = digits;
        break;
      }
      case 'p': piece = c.hour < 12 ? "AM" : "PM"; break;
      case 'P': piece = c.hour < 12 ? "am" : "pm"; break;
      case 'A': piece = kDayNames[c.wday]; break;
      case 'a': piece = std::string(kDayNames[c.wday]).substr(0, 3); break;
      case 'B': piece = kMonthNames[c.month - 1]; break;
      case 'b': case 'h': piece = std::string(kMonthNames[c.month - 1]).substr(0, 3); break;
      case 'u': piece = std::to_string(c.wday == 0 ? 7 : c.wday); break;
      case 'w': piece = std::to_string(c.wday); break;
      case 'z': piece = colon ? "+00:00" : "+0000"; break;
      case 'Z': piece = date_only ? "+00:00" : "UTC"; break;
      case 's': piece = std::to_string(days_from_civil(c.year, c.month, c.day) * kDay + c.hour * 3600 + c.minute * 60 + c.second); break;
      case 'F': piece = strftime(c, "%Y-%m-%d"); break;
      case 'D': case 'x': piece = strftime(c, "%m/%d/%y"); break;
      case 'T': case 'X': piece = strftime(c, "%H:%M:%S"); break;
      case 'R': piece = strftime(c, "%H:%M"); break;
      case 'c': piece = strftime(c, "%a %b %e %H:%M:%S %Y"); break;
      case 'n': piece = "\n"; break;
      case 't': piece = "\t"; break;
      case '%': piece = "%"; break;
      default: piece = std::string(format.substr(start, i - start + 1));
    }
    if (upper)
      for (auto& ch : piece) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += piece;
  }
  return out;
}

std::string inspect(const Time& t) {
  if (t.with_zone) return strftime(civil(t), "%a, %d %b %Y %H:%M:%S.%9N UTC +00:00");
  std::string fraction;
  if (t.nanos) {
    fraction = fmt::format(".{:09}", t.nanos);
    while (fraction.back() == '0') fraction.pop_back();
  }
  return strftime(civil(t), "%Y-%m-%d %H:%M:%S") + fraction + " +0000";
}

std::string to_s(const Time& t) { return strftime(civil(t), t.with_zone ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S +0000"); }
std::string inspect(const Date& d) { return strftime(civil(d), "%a, %d %b %Y", true); }
std::string to_s(const Date& d) { return d.stored(); }

std::string to_json(const Time& t) {
  return strftime(civil(t), t.with_zone ? "%Y-%m-%dT%H:%M:%S.%LZ" : "%Y-%m-%dT%H:%M:%S.%L+00:00");
}
std::string to_json(const Date& d) { return d.stored(); }

int compare(const Time& a, const Time& b) {
  if (a.seconds != b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos;
}

}  // namespace fw

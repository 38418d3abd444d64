// Times and dates: what datetime columns (ActiveSupport::TimeWithZone, in
// UTC) and date columns (Date) read as, with ActiveSupport 6.1's inspect,
// to_s and arithmetic. A date compares with a time as its midnight.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "lang/methods/support.hpp"
#include "model/column.hpp"

namespace fw::lang {

namespace {

constexpr std::int64_t kDay = 86400;
// Past a million years either way, a date's arithmetic would overflow: refused.
constexpr std::int64_t kMaxDays = 365'250'000;

[[noreturn]] void out_of_range() { throw RuntimeError("RangeError: the date is out of range (a million years either way)"); }

const Time& self_time(Call& c) { return *c.self.get<Time>(); }
const Date& self_date(Call& c) { return *c.self.get<Date>(); }
Civil civil_of(Call& c) { return c.self.is<Time>() ? civil(self_time(c)) : civil(self_date(c)); }

// year, month, day, ...: the calendar's fields, for times and dates alike.
Object field(Call& c) {
  Civil t = civil_of(c);
  const std::string& n = c.name;
  std::int64_t v = n == "year" ? t.year
                   : n == "month" || n == "mon" ? t.month
                   : n == "day" || n == "mday" ? t.day
                   : n == "hour" ? t.hour
                   : n == "min" ? t.minute
                   : n == "sec" ? t.second
                   : n == "usec" ? t.nanos / 1000
                   : n == "nsec" ? t.nanos
                   : n == "wday" ? t.wday
                                 : t.yday;
  return Object(v);
}

Object strftime_(Call& c) {
  const auto* format = c.args[0].get<std::string>();
  if (!format) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into String");
  return Object(strftime(civil_of(c), *format, c.self.is<Date>()));
}

// to_s, and to_s(:db), (:number), (:long), (:short) as ActiveSupport's formats.
Object to_s_(Call& c) {
  bool date = c.self.is<Date>();
  if (c.args.empty()) return Object(date ? to_s(self_date(c)) : to_s(self_time(c)));
  std::string name = name_arg(c.args[0], "to_s");
  const char* format = name == "db" ? (date ? "%Y-%m-%d" : "%Y-%m-%d %H:%M:%S")
                       : name == "number" ? (date ? "%Y%m%d" : "%Y%m%d%H%M%S")
                       : name == "long" ? (date ? "%B %-d, %Y" : "%B %d, %Y %H:%M")
                       : name == "short" ? (date ? "%-d %b" : "%d %b %H:%M")
                       : name == "iso8601" ? (date ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ")
                                           : nullptr;
  if (!format) return Object(date ? to_s(self_date(c)) : to_s(self_time(c)));
  return Object(strftime(civil_of(c), format, date));
}

// iso8601 / xmlschema, with n digits of the second's fraction.
Object iso8601(Call& c) {
  if (c.self.is<Date>()) return Object(self_date(c).stored());
  std::int64_t digits = c.args.empty() ? 0 : int_arg(c.args[0], c.name.c_str());
  std::string fraction = digits > 0 ? ".%" + std::to_string(std::min<std::int64_t>(digits, 9)) + "N" : "";
  return Object(strftime(civil(self_time(c)), "%Y-%m-%dT%H:%M:%S" + fraction + "Z"));
}

Object to_date(Call& c) {
  if (c.self.is<Date>()) return c.self;
  return Object(Date{self_time(c).seconds >= 0 ? self_time(c).seconds / kDay : (self_time(c).seconds - kDay + 1) / kDay});
}

// A date's to_time, and a time's: a Time (not a TimeWithZone), as Ruby's.
Object to_time(Call& c) {
  Time t = *as_time(c.self);
  t.with_zone = false;
  return Object(t);
}

Object to_i(Call& c) { return Object(self_time(c).seconds); }
Object to_f(Call& c) { return Object(static_cast<double>(self_time(c).seconds) + self_time(c).nanos / 1e9); }
Object zone(Call& c) { return c.self.get<Time>()->with_zone ? Object("UTC") : Object(); }

Time plus_seconds(Time t, double seconds) {
  if (!(std::fabs(seconds) < static_cast<double>(kMaxDays * kDay))) out_of_range();
  double whole = std::floor(seconds);
  auto nanos = static_cast<std::int64_t>(std::llround((seconds - whole) * 1e9)) + t.nanos;
  t.seconds += static_cast<std::int64_t>(whole) + nanos / 1'000'000'000;
  t.nanos = static_cast<std::int32_t>(nanos % 1'000'000'000);
  return t;
}

// time + seconds, time - seconds, time - time (seconds as a Float); date + days,
// date - days, date - date (days).
Object plus_minus(Call& c) {
  const Object& other = c.args[0];
  bool minus = c.name == "-";
  if (minus && (other.is<Time>() || other.is<Date>())) {
    if (c.self.is<Date>() && other.is<Date>()) return Object(self_date(c).days - other.get<Date>()->days);
    if (c.self.is<Date>()) throw type_error("expected numeric");
    Time a = self_time(c), b = *as_time(other);
    return Object(static_cast<double>(a.seconds - b.seconds) + (a.nanos - b.nanos) / 1e9);
  }
  if (c.self.is<Date>()) {
    std::int64_t days = int_arg(other, c.name.c_str());
    if (days > kMaxDays || days < -kMaxDays || std::llabs(self_date(c).days) > kMaxDays) out_of_range();
    return Object(Date{self_date(c).days + (minus ? -days : days)});
  }
  auto amount = as_decimal(other);  // seconds: an Integer, a Float or a BigDecimal
  if (!amount) throw type_error(fmt::format("can't convert {} into an exact number", class_name(other)));
  double seconds = amount->to_double();
  return Object(plus_seconds(self_time(c), minus ? -seconds : seconds));
}

Object comparison(Call& c) {
  auto other = as_time(c.args[0]);
  if (!other) {
    if (c.name == "<=>") return Object();
    throw RuntimeError(fmt::format("comparison of {} with {} failed", class_name(c.self), inspect(c.args[0])));
  }
  int order = compare(*as_time(c.self), *other);
  if (c.name == "<=>") return Object(std::int64_t{order});
  if (c.name == "<") return Object(order < 0);
  if (c.name == ">") return Object(order > 0);
  if (c.name == "<=") return Object(order <= 0);
  return Object(order >= 0);
}

Object between(Call& c) { return Object(compare(c.self, c.args[0]) >= 0 && compare(c.self, c.args[1]) <= 0); }

Object beginning_of_day(Call& c) {
  Time t = *as_time(c.self);
  t.seconds -= ((t.seconds % kDay) + kDay) % kDay;
  t.nanos = 0;
  if (c.name == "end_of_day") t.seconds += kDay - 1, t.nanos = 999'999'999;
  return Object(t);
}

Object next_day(Call& c) {
  std::int64_t n = c.args.empty() ? 1 : int_arg(c.args[0], c.name.c_str());
  if (n > kMaxDays || n < -kMaxDays || std::llabs(self_date(c).days) > kMaxDays) out_of_range();
  return Object(Date{self_date(c).days + (c.name == "prev_day" ? -n : n)});
}

Object month_edge(Call& c) {
  Civil d = civil(self_date(c));
  if (c.name == "beginning_of_month") return Object(Date::civil(d.year, d.month, 1));
  return Object(Date{(d.month == 12 ? Date::civil(d.year + 1, 1, 1) : Date::civil(d.year, d.month + 1, 1)).days - 1});
}

Object leap(Call& c) {
  std::int64_t y = civil(self_date(c)).year;
  return Object((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

Object now(Call& c) {
  Time t = Time::now();
  t.with_zone = c.name == "current";  // Time.current: a TimeWithZone; Time.now: a Time
  return Object(t);
}

Object today(Call&) { return Object(Date::today()); }

// Date.parse("2017-05-24"), Time.parse("2017-05-24 10:20"): as the columns read them.
Object parse(Call& c) {
  const auto* text = c.args[0].get<std::string>();
  if (!text) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into String");
  bool date = c.self.get<BuiltinClass>()->name == "Date";
  Value cast = model::cast_to_column(date ? model::ColumnType::Date : model::ColumnType::DateTime, Value(*text));
  Object out = from_attribute(cast, date ? model::ColumnType::Date : model::ColumnType::DateTime);
  if (out.is_nil()) throw RuntimeError(date ? "invalid date" : "no time information in " + inspect(c.args[0]));
  if (auto t = out.get<Time>()) out = Object(Time{t->seconds, t->nanos, false});
  return out;
}

}  // namespace

const std::vector<Method>& methods::time_class() {
  static const std::vector<Method> table = {
      {"now", "", 0, 0, Returns::Any, "the current time, a Time", now},
      {"current", "", 0, 0, Returns::Any, "the current time, a TimeWithZone (UTC)", now},
      {"parse", "", 1, 1, Returns::Any, "the time a string gives: Time.parse(\"2017-05-24 10:20\")", parse},
  };
  return table;
}

const std::vector<Method>& methods::date_class() {
  static const std::vector<Method> table = {
      {"today", "current", 0, 0, Returns::Any, "today's date (UTC)", today},
      {"parse", "", 1, 1, Returns::Any, "the date a string gives: Date.parse(\"2017-05-24\")", parse},
  };
  return table;
}

// What times and dates share, as ActiveSupport's DateAndTime module.
const std::vector<Method>& methods::date_and_time() {
  static const std::vector<Method> table = {
      {"year", "", 0, 0, Returns::Integer, "the year", field},
      {"month", "mon", 0, 0, Returns::Integer, "the month, 1 to 12", field},
      {"day", "mday", 0, 0, Returns::Integer, "the day of the month", field},
      {"wday", "", 0, 0, Returns::Integer, "the day of the week, 0 for Sunday", field},
      {"yday", "", 0, 0, Returns::Integer, "the day of the year, 1 to 366", field},
      {"strftime", "", 1, 1, Returns::String, "formatted: strftime(\"%Y-%m-%d %H:%M\")", strftime_},
      {"to_s", "to_formatted_s", 0, 1, Returns::String,
       "2017-05-24 00:00:00 UTC (a date: 2017-05-24); to_s(:db), (:long), (:short), (:number)", to_s_},
      {"iso8601", "xmlschema", 0, 1, Returns::String, "2017-05-24T00:00:00Z (with n digits of the second's fraction)", iso8601},
      {"to_date", "", 0, 0, Returns::Any, "the day, as a Date", to_date},
      {"to_time", "", 0, 0, Returns::Any, "as a Time (a date: its midnight)", to_time},
      {"+", "", 1, 1, Returns::Self, "that many seconds later (a date: days)", plus_minus},
      {"-", "", 1, 1, Returns::Any, "that many seconds earlier (a date: days); minus another: the time between", plus_minus},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1 as it is earlier than, the same as or later than", comparison},
      {"<", "", 1, 1, Returns::Boolean, "earlier than", comparison},
      {">", "", 1, 1, Returns::Boolean, "later than", comparison},
      {"<=", "", 1, 1, Returns::Boolean, "earlier than or the same as", comparison},
      {">=", "", 1, 1, Returns::Boolean, "later than or the same as", comparison},
      {"between?", "", 2, 2, Returns::Boolean, "whether min <= it <= max", between},
      {"beginning_of_day", "", 0, 0, Returns::Any, "its day's midnight, as a TimeWithZone", beginning_of_day},
  };
  return table;
}

const std::vector<Method>& methods::time() {
  static const std::vector<Method> table = {
      {"hour", "", 0, 0, Returns::Integer, "the hour, 0 to 23 (UTC)", field},
      {"min", "", 0, 0, Returns::Integer, "the minute", field},
      {"sec", "", 0, 0, Returns::Integer, "the second", field},
      {"usec", "", 0, 0, Returns::Integer, "the microseconds", field},
      {"nsec", "", 0, 0, Returns::Integer, "the nanoseconds", field},
      {"zone", "", 0, 0, Returns::String, "the time zone's name: UTC", zone},
      {"to_i", "", 0, 0, Returns::Integer, "seconds since 1970-01-01 00:00:00 UTC", to_i},
      {"to_f", "", 0, 0, Returns::Float, "seconds since 1970-01-01 00:00:00 UTC, with the fraction", to_f},
      {"end_of_day", "", 0, 0, Returns::Self, "its day's last moment", beginning_of_day},
  };
  return table;
}

const std::vector<Method>& methods::date() {
  static const std::vector<Method> table = {
      {"next_day", "", 0, 1, Returns::Self, "the next day (or n days later)", next_day},
      {"prev_day", "", 0, 1, Returns::Self, "the day before (or n days earlier)", next_day},
      {"beginning_of_month", "", 0, 0, Returns::Self, "the first of its month", month_edge},
      {"end_of_month", "", 0, 0, Returns::Self, "the last day of its month", month_edge},
      {"leap?", "", 0, 0, Returns::Boolean, "whether its year is a leap year", leap},
  };
  return table;
}

}  // namespace fw::lang

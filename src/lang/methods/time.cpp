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

}  // namespace

Date add_months(Date d, std::int64_t months) {
  Civil c = civil(d);
  std::int64_t total = c.year * 12 + (c.month - 1) + months;
  std::int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  int month = static_cast<int>(total - year * 12) + 1;
  Date first = Date::civil(year, month, 1);
  std::int64_t length = (month == 12 ? Date::civil(year + 1, 1, 1) : Date::civil(year, month + 1, 1)).days - first.days;
  return Date{first.days + std::min<std::int64_t>(c.day, length) - 1};
}

// A time or date moved by a duration, as ActiveSupport's advance moves it:
// years and months by the calendar (the 31st of January and a month is the
// 29th of February), weeks and days by days, the rest by seconds. A date
// stays a date unless hours, minutes or seconds move it.
Object advance(const Object& moment, const Duration& d, int sign) {
  double months = (d.parts[Duration::Years] * 12 + d.parts[Duration::Months]) * sign;
  double days = (d.parts[Duration::Weeks] * 7 + d.parts[Duration::Days]) * sign;
  double seconds = (d.parts[Duration::Hours] * 3600 + d.parts[Duration::Minutes] * 60 + d.parts[Duration::Seconds]) * sign;
  if (!(std::fabs(months) < kMaxDays / 31.0) || !(std::fabs(days) < static_cast<double>(kMaxDays))) out_of_range();
  double whole_days = std::trunc(days);
  seconds += (days - whole_days) * static_cast<double>(kDay);
  auto month_steps = static_cast<std::int64_t>(std::llround(months));
  if (auto date = moment.get<Date>(); date && seconds == 0) {
    if (std::llabs(date->days) > kMaxDays) out_of_range();
    return Object(Date{add_months(*date, month_steps).days + static_cast<std::int64_t>(whole_days)});
  }
  Time t = *as_time(moment);
  if (month_steps != 0) {
    std::int64_t within = ((t.seconds % kDay) + kDay) % kDay;
    Date day{(t.seconds - within) / kDay};
    t.seconds = add_months(day, month_steps).days * kDay + within;
  }
  t.seconds += static_cast<std::int64_t>(whole_days) * kDay;
  return Object(plus_seconds(t, seconds));
}

namespace {

// time + seconds, time - seconds, time - time (seconds as a Float); date + days,
// date - days, date - date (days).
Object plus_minus(Call& c) {
  const Object& other = c.args[0];
  bool minus = c.name == "-";
  if (auto d = other.get<Ref<Duration>>()) return advance(c.self, **d, minus ? -1 : 1);
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

// The first day of the day's (week's, month's, year's) span, and the first
// day of the next one. Weeks start on Monday, as ActiveSupport's do.
std::pair<Date, Date> span_of(Date d, const std::string& unit) {
  if (unit == "day") return {d, Date{d.days + 1}};
  if (unit == "week") {
    Date monday{d.days - (civil(d).wday + 6) % 7};
    return {monday, Date{monday.days + 7}};
  }
  Civil c = civil(d);
  if (unit == "month") return {Date::civil(c.year, c.month, 1), add_months(Date::civil(c.year, c.month, 1), 1)};
  if (unit == "quarter") {
    int first = (c.month - 1) / 3 * 3 + 1;
    return {Date::civil(c.year, first, 1), add_months(Date::civil(c.year, first, 1), 3)};
  }
  return {Date::civil(c.year, 1, 1), Date::civil(c.year + 1, 1, 1)};
}

Date day_of(const Object& o) {
  if (auto d = o.get<Date>()) return *d;
  const Time& t = *o.get<Time>();
  return Date{t.seconds >= 0 ? t.seconds / kDay : (t.seconds - kDay + 1) / kDay};
}

// beginning_of_day/week/month/quarter/year and end_of_*: a date gives a date
// (but a day's edges are times, as ActiveSupport's), a time a time.
Object edge(Call& c) {
  std::string name = c.name == "midnight" ? "beginning_of_day" : c.name.rfind("at_", 0) == 0 ? c.name.substr(3) : c.name;
  bool end = name.rfind("end_of_", 0) == 0;
  std::string unit = name.substr(end ? 7 : 13);
  auto [first, next] = span_of(day_of(c.self), unit);
  if (c.self.is<Date>() && unit != "day") return Object(end ? Date{next.days - 1} : first);
  Time t = end ? Time{next.days * kDay - 1, 999'999'999, true} : Time{first.days * kDay, 0, true};
  if (auto own = c.self.get<Time>()) t.with_zone = own->with_zone;
  return Object(t);
}

// all_day, all_week, all_month, all_year: the span from its first moment to its last.
Object all_of(Call& c) {
  auto [first, next] = span_of(day_of(c.self), c.name.substr(4));
  bool zone = !c.self.is<Time>() || c.self.get<Time>()->with_zone;
  auto range = make_ref<Range>();
  range->first = Object(Time{first.days * kDay, 0, zone});
  range->last = Object(Time{next.days * kDay - 1, 999'999'999, zone});
  return Object(std::move(range));
}

Object yesterday(Call& c) {
  int sign = c.name == "yesterday" ? -1 : 1;
  if (auto d = c.self.get<Date>()) return Object(Date{d->days + sign});
  return Object(plus_seconds(self_time(c), sign * static_cast<double>(kDay)));
}

// next_month, prev_month, next_year, prev_year (n of them): by the calendar.
Object by_months(Call& c) {
  std::int64_t n = c.args.empty() ? 1 : int_arg(c.args[0], c.name.c_str());
  Duration d;
  d.parts[Duration::Months] = static_cast<double>(n * (c.name.find("year") != std::string::npos ? 12 : 1));
  return advance(c.self, d, c.name.rfind("prev_", 0) == 0 ? -1 : 1);
}

// past?, future?, today?: against now.
Object when_now(Call& c) {
  if (c.name == "today?") return Object(day_of(c.self).days == Date::today().days);
  int order = compare(*as_time(c.self), Time::now());
  return Object(c.name == "past?" ? order < 0 : order > 0);
}

// t.ago(3600), t.since(1.day): seconds (or a duration) before or after it.
Object shift(Call& c) {
  int sign = c.name == "ago" ? -1 : 1;
  if (auto d = c.args[0].get<Ref<Duration>>()) return advance(c.self, **d, sign);
  auto amount = as_decimal(c.args[0]);
  if (!amount) throw type_error("can't convert " + class_name(c.args[0]) + " into an exact number");
  return Object(plus_seconds(*as_time(c.self), sign * amount->to_double()));
}

Object next_day(Call& c) {
  std::int64_t n = c.args.empty() ? 1 : int_arg(c.args[0], c.name.c_str());
  if (n > kMaxDays || n < -kMaxDays || std::llabs(self_date(c).days) > kMaxDays) out_of_range();
  return Object(Date{self_date(c).days + (c.name == "prev_day" ? -n : n)});
}


Object leap(Call& c) {
  std::int64_t y = civil(self_date(c)).year;
  return Object((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

// Time.zone: the app's zone (UTC), whose now, parse and at give a TimeWithZone.
bool in_zone(const Call& c) {
  auto cls = c.self.get<BuiltinClass>();
  return cls && cls->name() == "ActiveSupport::TimeZone";
}

Object time_zone(Call&) { return Object(BuiltinClass{"ActiveSupport::TimeZone"}); }

Object now(Call& c) {
  Time t = Time::now();
  t.with_zone = c.name == "current" || in_zone(c);  // Time.current, Time.zone.now: a TimeWithZone; Time.now: a Time
  return Object(t);
}

Object today(Call& c) {
  Date d = Date::today();
  return Object(Date{d.days + (c.name == "yesterday" ? -1 : c.name == "tomorrow" ? 1 : 0)});
}

int civil_arg(const std::vector<Object>& args, size_t i, int fallback, const char* method) {
  return i < args.size() ? static_cast<int>(int_arg(args[i], method)) : fallback;
}

// Date.new(2024, 2, 29): "invalid date" when there is no such day.
Object date_new(Call& c) {
  std::int64_t year = c.args.empty() ? -4712 : int_arg(c.args[0], "new");
  int month = civil_arg(c.args, 1, 1, "new"), day = civil_arg(c.args, 2, 1, "new");
  if (std::llabs(year) > 1'000'000) out_of_range();
  if (day < 0 && month >= 1 && month <= 12) day += (add_months(Date::civil(year, month, 1), 1).days - Date::civil(year, month, 1).days) + 1;
  Date d = Date::civil(year, month, day);
  Civil back = civil(d);
  if (month < 1 || month > 12 || day < 1 || back.month != month || back.day != day) throw RuntimeError("invalid date");
  return Object(d);
}

// Time.utc(2024, 3, 13, 14, 5) (gm, mktime, local, new: UTC too), Time.at(seconds).
Object time_civil(Call& c) {
  if (c.name == "at") {
    auto amount = as_decimal(c.args.empty() ? Object() : c.args[0]);
    if (!amount) throw type_error("can't convert " + class_name(c.args.empty() ? Object() : c.args[0]) + " into an exact number");
    return Object(plus_seconds(Time{0, 0, false}, amount->to_double()));
  }
  if (c.args.empty()) return now(c);
  Object date = date_new(c);
  double second = 0;
  if (c.args.size() > 5) {
    auto amount = as_decimal(c.args[5]);
    if (!amount) throw type_error("can't convert " + class_name(c.args[5]) + " into an exact number");
    second = amount->to_double();
  }
  Time t{date.get<Date>()->days * kDay + civil_arg(c.args, 3, 0, "utc") * 3600 + civil_arg(c.args, 4, 0, "utc") * 60, 0, false};
  return Object(plus_seconds(t, second));
}

// Date.parse("2017-05-24"), Time.parse("2017-05-24 10:20"): as the columns read them.
Object parse(Call& c) {
  const auto* text = c.args[0].get<std::string>();
  if (!text) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into String");
  bool date = c.self.get<BuiltinClass>()->name() == "Date";
  Value cast = model::cast_to_column(date ? model::ColumnType::Date : model::ColumnType::DateTime, Value(*text));
  Object out = from_attribute(cast, date ? model::ColumnType::Date : model::ColumnType::DateTime);
  if (out.is_nil()) throw RuntimeError(date ? "invalid date" : "no time information in " + inspect(c.args[0]));
  if (auto t = out.get<Time>()) out = Object(Time{t->seconds, t->nanos, in_zone(c)});
  return out;
}

}  // namespace

const std::vector<Method>& methods::time_class() {
  static const std::vector<Method> table = {
      {"now", "", 0, 0, Returns::Any, "the current time, a Time", now},
      {"current", "", 0, 0, Returns::Any, "the current time, a TimeWithZone (UTC)", now},
      {"utc", "gm mktime local new", 0, 6, Returns::Any, "the time of a year, month, day, hour, minute, second (UTC)",
       time_civil},
      {"at", "", 1, 1, Returns::Any, "the time so many seconds after 1970-01-01 00:00:00 UTC", time_civil},
      {"parse", "", 1, 1, Returns::Any, "the time a string gives: Time.parse(\"2017-05-24 10:20\")", parse},
      {"zone", "", 0, 0, Returns::Any, "the app's time zone (UTC): Time.zone.now is a TimeWithZone", time_zone},
  };
  return table;
}

const std::vector<Method>& methods::date_class() {
  static const std::vector<Method> table = {
      {"today", "current", 0, 0, Returns::Any, "today's date (UTC)", today},
      {"yesterday", "", 0, 0, Returns::Any, "yesterday's date", today},
      {"tomorrow", "", 0, 0, Returns::Any, "tomorrow's date", today},
      {"new", "civil", 0, 3, Returns::Any, "the date of a year, month and day: Date.new(2024, 2, 29)", date_new},
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
       "2017-05-24 00:00:00 UTC (a date: 2017-05-24); to_s(:db), (:long), (:short), (:number)", to_s_, kReads},
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
      {"beginning_of_day", "midnight at_beginning_of_day", 0, 0, Returns::Any, "its day's midnight, as a TimeWithZone", edge},
      {"end_of_day", "at_end_of_day", 0, 0, Returns::Any, "its day's last moment", edge},
      {"beginning_of_week", "at_beginning_of_week", 0, 0, Returns::Self, "the Monday of its week", edge},
      {"end_of_week", "at_end_of_week", 0, 0, Returns::Self, "the Sunday of its week (a time: its last moment)", edge},
      {"beginning_of_month", "at_beginning_of_month", 0, 0, Returns::Self, "the first of its month", edge},
      {"end_of_month", "at_end_of_month", 0, 0, Returns::Self, "the last day of its month", edge},
      {"beginning_of_quarter", "", 0, 0, Returns::Self, "the first day of its quarter", edge},
      {"end_of_quarter", "", 0, 0, Returns::Self, "the last day of its quarter", edge},
      {"beginning_of_year", "at_beginning_of_year", 0, 0, Returns::Self, "the first of January of its year", edge},
      {"end_of_year", "at_end_of_year", 0, 0, Returns::Self, "the 31st of December of its year", edge},
      {"all_day", "", 0, 0, Returns::Range, "its day, as a range of times (for where)", all_of},
      {"all_week", "", 0, 0, Returns::Range, "its week, Monday to Sunday, as a range of times", all_of},
      {"all_month", "", 0, 0, Returns::Range, "its month, as a range of times", all_of},
      {"all_year", "", 0, 0, Returns::Range, "its year, as a range of times", all_of},
      {"yesterday", "prev_day", 0, 0, Returns::Self, "a day earlier", yesterday},
      {"tomorrow", "next_day", 0, 0, Returns::Self, "a day later", yesterday},
      {"next_month", "", 0, 1, Returns::Self, "a month later (or n), the day held to the month's last", by_months},
      {"prev_month", "", 0, 1, Returns::Self, "a month earlier (or n)", by_months},
      {"next_year", "", 0, 1, Returns::Self, "a year later (or n)", by_months},
      {"prev_year", "", 0, 1, Returns::Self, "a year earlier (or n)", by_months},
      {"past?", "", 0, 0, Returns::Boolean, "whether it is before now", when_now},
      {"future?", "", 0, 0, Returns::Boolean, "whether it is after now", when_now},
      {"today?", "", 0, 0, Returns::Boolean, "whether it falls today", when_now},
      {"ago", "", 1, 1, Returns::Self, "that many seconds (or a duration) earlier", shift},
      {"since", "in", 1, 1, Returns::Self, "that many seconds (or a duration) later", shift},
  };
  return table;
}

const std::vector<Method>& methods::time() {
  static const std::vector<Method> table = {
      {"hour", "", 0, 0, Returns::Integer, "the hour, 0 to 23 (UTC)", field},
      {"min", "", 0, 0, Returns::Integer, "the minute", field, kReads},
      {"sec", "", 0, 0, Returns::Integer, "the second", field},
      {"usec", "", 0, 0, Returns::Integer, "the microseconds", field},
      {"nsec", "", 0, 0, Returns::Integer, "the nanoseconds", field},
      {"zone", "", 0, 0, Returns::String, "the time zone's name: UTC", zone},
      {"to_i", "", 0, 0, Returns::Integer, "seconds since 1970-01-01 00:00:00 UTC", to_i, kReads},
      {"to_f", "", 0, 0, Returns::Float, "seconds since 1970-01-01 00:00:00 UTC, with the fraction", to_f},
  };
  return table;
}

const std::vector<Method>& methods::date() {
  static const std::vector<Method> table = {
      {"next_day", "", 0, 1, Returns::Self, "the next day (or n days later)", next_day},
      {"prev_day", "", 0, 1, Returns::Self, "the day before (or n days earlier)", next_day},
      {"leap?", "", 0, 0, Returns::Boolean, "whether its year is a leap year", leap},
  };
  return table;
}

}  // namespace fw::lang

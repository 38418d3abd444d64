// ActiveSupport's durations: 2.days, 1.hour.ago, 3.weeks.from_now, and time
// and date arithmetic with them (time.cpp's advance).
#include <cmath>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const Duration& self_duration(Call& c) { return **c.self.get<Ref<Duration>>(); }

Object duration_value(Duration d) { return Object(make_ref<Duration>(d)); }

double amount_of(const Object& o, const char* method) {
  if (auto i = o.get<std::int64_t>()) return static_cast<double>(*i);
  if (auto f = o.get<double>()) return *f;
  if (auto d = o.get<Decimal>()) return d->to_double();
  throw type_error(std::string("no implicit conversion of ") + class_name(o) + " into Integer (" + method + ")");
}

// A whole number of seconds as an Integer, else a Float: what to_i and the rest give.
Object number(double seconds) {
  if (seconds == std::floor(seconds) && std::fabs(seconds) < 9e18) return Object(static_cast<std::int64_t>(seconds));
  return Object(seconds);
}

Object to_i(Call& c) { return Object(static_cast<std::int64_t>(std::floor(self_duration(c).seconds()))); }
Object to_f(Call& c) { return Object(self_duration(c).seconds()); }
Object to_s(Call& c) { return Object(inspect(number(self_duration(c).seconds()))); }

// 1.day.ago, 2.weeks.from_now; with a time: 1.day.ago(t), 1.day.since(t).
Object relative(Call& c) {
  bool back = c.name == "ago" || c.name == "until" || c.name == "before";
  Time now = Time::now();
  now.with_zone = true;  // ActiveSupport's Time.current
  Object from = c.args.empty() ? Object(now) : c.args[0];
  if (!as_time(from)) throw type_error("expected a time or a date, got " + class_name(from));
  return advance(from, self_duration(c), back ? -1 : 1);
}

// duration + duration, duration + seconds, duration * n, duration / n.
Object arithmetic(Call& c) {
  Duration d = self_duration(c);
  const Object& other = c.args[0];
  if (c.name == "*" || c.name == "/") {
    double n = amount_of(other, c.name.c_str());
    if (c.name == "/" && n == 0) throw RuntimeError("divided by 0");
    for (auto& part : d.parts) part = c.name == "*" ? part * n : part / n;
    return duration_value(d);
  }
  double sign = c.name == "-" ? -1 : 1;
  if (auto o = other.get<Ref<Duration>>()) {
    for (size_t i = 0; i < Duration::kUnits; ++i) d.parts[i] += sign * (*o)->parts[i];
  } else {
    d.parts[Duration::Seconds] += sign * amount_of(other, c.name.c_str());
  }
  return duration_value(d);
}

double length_of(const Object& o) {
  if (auto d = o.get<Ref<Duration>>()) return (*d)->seconds();
  return amount_of(o, "<=>");
}

Object comparison(Call& c) {
  double a = self_duration(c).seconds(), b = length_of(c.args[0]);
  if (c.name == "<=>") return Object(std::int64_t{a < b ? -1 : a > b ? 1 : 0});
  if (c.name == "<") return Object(a < b);
  if (c.name == ">") return Object(a > b);
  if (c.name == "<=") return Object(a <= b);
  return Object(a >= b);
}

// in_days, in_hours, ...: its length in that unit, a Float.
Object in_unit(Call& c) {
  static const std::pair<const char*, double> units[] = {{"in_seconds", 1},       {"in_minutes", 60},     {"in_hours", 3600},
                                                         {"in_days", 86400},      {"in_weeks", 604800},   {"in_months", 2629746},
                                                         {"in_years", 31556952}};
  for (const auto& [name, length] : units)
    if (c.name == name) return c.name == "in_seconds" ? number(self_duration(c).seconds()) : Object(self_duration(c).seconds() / length);
  return Object();
}

Object parts(Call& c) {
  static constexpr const char* names[] = {"years", "months", "weeks", "days", "hours", "minutes", "seconds"};
  Hash h;
  for (size_t i = 0; i < Duration::kUnits; ++i)
    if (self_duration(c).parts[i] != 0) h.set(Symbol{names[i]}, number(self_duration(c).parts[i]));
  return Object::hash(std::move(h));
}

}  // namespace

Object make_duration(Call& c) {
  std::string unit = c.name.back() == 's' ? c.name.substr(0, c.name.size() - 1) : c.name;
  double n = amount_of(c.self, c.name.c_str());
  Duration d;
  if (unit == "fortnight") unit = "week", n *= 2;
  static constexpr const char* names[] = {"year", "month", "week", "day", "hour", "minute", "second"};
  for (size_t i = 0; i < Duration::kUnits; ++i)
    if (unit == names[i]) d.parts[i] = n;
  return duration_value(d);
}

const std::vector<Method>& methods::duration() {
  static const std::vector<Method> table = {
      {"ago", "until before", 0, 1, Returns::Any, "that long before now (or before a time)", relative},
      {"from_now", "since after", 0, 1, Returns::Any, "that long after now (or after a time)", relative},
      {"to_i", "", 0, 0, Returns::Integer, "its length in seconds (a month is 30.44 days)", to_i, kReads},
      {"to_f", "", 0, 0, Returns::Float, "its length in seconds, as a Float", to_f},
      {"to_s", "", 0, 0, Returns::String, "its length in seconds, as text", to_s, kReads},
      {"in_seconds", "", 0, 0, Returns::Any, "its length in seconds", in_unit},
      {"in_minutes", "", 0, 0, Returns::Float, "its length in minutes", in_unit},
      {"in_hours", "", 0, 0, Returns::Float, "its length in hours", in_unit},
      {"in_days", "", 0, 0, Returns::Float, "its length in days", in_unit},
      {"in_weeks", "", 0, 0, Returns::Float, "its length in weeks", in_unit},
      {"in_months", "", 0, 0, Returns::Float, "its length in months", in_unit},
      {"in_years", "", 0, 0, Returns::Float, "its length in years", in_unit},
      {"parts", "", 0, 0, Returns::Hash, "its parts: {days: 1, hours: 2}", parts},
      {"+", "", 1, 1, Returns::Any, "longer by a duration or a number of seconds", arithmetic},
      {"-", "", 1, 1, Returns::Any, "shorter by a duration or a number of seconds", arithmetic},
      {"*", "", 1, 1, Returns::Any, "n times as long", arithmetic},
      {"/", "", 1, 1, Returns::Any, "an nth as long", arithmetic},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1 as it is shorter, as long, longer", comparison},
      {"<", "", 1, 1, Returns::Boolean, "shorter than", comparison},
      {">", "", 1, 1, Returns::Boolean, "longer than", comparison},
      {"<=", "", 1, 1, Returns::Boolean, "no longer than", comparison},
      {">=", "", 1, 1, Returns::Boolean, "no shorter than", comparison},
  };
  return table;
}

}  // namespace fw::lang

#pragma once
// Times and dates, as Ruby's Time (ActiveSupport::TimeWithZone in UTC) and
// Date: what datetime and date columns read as. The database keeps them as
// ActiveRecord does in SQLite: "2017-05-24 10:20:30[.123456]" (UTC) and
// "2017-05-24".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fw {

struct Time {
  std::int64_t seconds = 0;   // since 1970-01-01 00:00:00 UTC
  std::int32_t nanos = 0;     // 0 .. 999'999'999
  bool with_zone = true;      // ActiveSupport::TimeWithZone (a column's); false: a Time (Time.now)

  static Time now();
  // "YYYY-MM-DD HH:MM[:SS[.fraction]]" (or with a T, and a Z), as stored; nothing for other text.
  static std::optional<Time> parse(std::string_view stored);
  // As ActiveRecord binds and stores it: "2017-05-24 00:00:00", with ".123456" when there are microseconds.
  std::string stored() const;
};

struct Date {
  std::int64_t days = 0;  // since 1970-01-01

  static Date today();
  static Date civil(std::int64_t year, int month, int day);
  static std::optional<Date> parse(std::string_view stored);  // "YYYY-MM-DD"
  std::string stored() const;                                  // "2017-05-24"
  Time midnight() const;                                       // as a TimeWithZone
};

struct Civil {
  std::int64_t year;
  int month, day, hour, minute, second;
  std::int32_t nanos;
  int wday;  // 0 is Sunday
  int yday;  // 1 .. 366
};
// Whether the day exists: month 1..12, day 1..its length (February 29 in a leap year).
bool valid_day(std::int64_t year, int month, int day);
Civil civil(const Time& t);
Civil civil(const Date& d);

// Ruby's strftime: %Y %m %d %e %j %H %I %l %M %S %L %N (%3N, %6N) %p %P %a %A
// %b %B %h %y %C %u %w %z %:z %Z %s %F %D %T %R %c %x %X %%, with the - flag
// (no padding: %-d) and the ^ flag (upper case). Others stay as written.
std::string strftime(const Civil& c, std::string_view format, bool date_only = false);

// inspect and to_s as ActiveSupport 6.1 prints them (Time.zone UTC):
// "Wed, 24 May 2017 00:00:00.000000000 UTC +00:00", "2017-05-24 00:00:00 UTC";
// a Time: "2017-05-24 00:00:00.5 +0000", "2017-05-24 00:00:00 +0000";
// a Date: "Wed, 24 May 2017", "2017-05-24".
std::string inspect(const Time& t);
std::string to_s(const Time& t);
std::string inspect(const Date& d);
std::string to_s(const Date& d);
// as_json: "2017-05-24T00:00:00.000Z" (a Time: "...000+00:00"), "2017-05-24".
std::string to_json(const Time& t);
std::string to_json(const Date& d);

int compare(const Time& a, const Time& b);  // -1, 0, 1

}  // namespace fw

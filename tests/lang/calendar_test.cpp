// Times and dates (src/base/calendar.hpp) and how the language holds them:
// what datetime and date columns read as, printed as ActiveSupport 6.1
// prints them with Time.zone UTC (checked in ruby).
#include <doctest/doctest.h>

#include <string>

#include "base/calendar.hpp"
#include "lang/convert.hpp"
#include "lang/inspect.hpp"
#include "lang/object.hpp"

using fw::Date;
using fw::Time;

TEST_CASE("a stored time reads back as the instant it names, and is stored again as it was") {
  auto t = Time::parse("2018-01-02 03:04:05.123456");
  REQUIRE(t);
  CHECK(t->seconds == 1514862245);
  CHECK(t->nanos == 123456000);
  CHECK(t->stored() == "2018-01-02 03:04:05.123456");
  CHECK(Time::parse("2017-05-24 00:00:00")->stored() == "2017-05-24 00:00:00");
  CHECK(Time::parse("2017-05-24T00:00:00Z")->seconds == 1495584000);
  CHECK_FALSE(Time::parse("2017-02-30 00:00:00"));
  CHECK_FALSE(Time::parse("yesterday"));
  CHECK(Date::parse("2016-02-29"));
  CHECK_FALSE(Date::parse("2017-02-29"));
  CHECK(Date::parse("1969-12-31")->days == -1);
}

TEST_CASE("times and dates print as ActiveSupport's inspect, to_s and as_json") {
  Time t = *Time::parse("2018-01-02 03:04:05.123456");
  CHECK(fw::inspect(t) == "Tue, 02 Jan 2018 03:04:05.123456000 UTC +00:00");
  CHECK(fw::to_s(t) == "2018-01-02 03:04:05 UTC");
  CHECK(fw::to_json(t) == "2018-01-02T03:04:05.123Z");
  Time plain = t;
  plain.with_zone = false;  // Time.now, Date#to_time
  CHECK(fw::inspect(plain) == "2018-01-02 03:04:05.123456 +0000");
  CHECK(fw::to_s(plain) == "2018-01-02 03:04:05 +0000");
  Date d = *Date::parse("2017-05-24");
  CHECK(fw::inspect(d) == "Wed, 24 May 2017");
  CHECK(fw::to_s(d) == "2017-05-24");
  CHECK(fw::inspect(Date{-1}) == "Wed, 31 Dec 1969");
}

TEST_CASE("strftime as Ruby's") {
  auto c = fw::civil(*Time::parse("2017-05-24 13:04:05.5"));
  CHECK(c.wday == 3);
  CHECK(c.yday == 144);
  CHECK(fw::strftime(c, "%Y-%m-%d %H:%M:%S %b %a %B %A %j %e %-d %y %I %p %z %:z %Z %% %L %3N %-m %^a") ==
        "2017-05-24 13:04:05 May Wed May Wednesday 144 24 24 17 01 PM +0000 +00:00 UTC % 500 500 5 WED");
  CHECK(fw::strftime(c, "%F %T %D %s %Q") == "2017-05-24 13:04:05 05/24/17 1495631045 %Q");
}

TEST_CASE("the language holds datetime and date columns' values as times and dates") {
  using namespace fw::lang;
  Object t = from_attribute(fw::Value("2017-05-24 00:00:00"), fw::model::ColumnType::DateTime);
  Object d = from_attribute(fw::Value("2017-05-24"), fw::model::ColumnType::Date);
  REQUIRE(t.is<Time>());
  REQUIRE(d.is<Date>());
  CHECK(class_name(t) == "ActiveSupport::TimeWithZone");
  CHECK(class_name(d) == "Date");
  CHECK(inspect(Object::array({t, d})) == "[Wed, 24 May 2017 00:00:00.000000000 UTC +00:00, Wed, 24 May 2017]");
  CHECK(equal(t, d));  // a date is its midnight, as ActiveSupport compares them
  CHECK_FALSE(equal(t, Object("2017-05-24 00:00:00")));
  CHECK(from_attribute(fw::Value("not a time"), fw::model::ColumnType::DateTime).is<std::string>());
  CHECK(from_attribute(fw::Value("2017-05-24"), fw::model::ColumnType::String).is<std::string>());
  fw::Value bound;
  REQUIRE(t.to_value(bound));  // bound and stored as ActiveRecord does in SQLite
  CHECK(std::get<std::string>(bound) == "2017-05-24 00:00:00");
  REQUIRE(d.to_value(bound));
  CHECK(std::get<std::string>(bound) == "2017-05-24");
}

// Attribute casting by column type, as ActiveRecord 6.1 casts (checked
// against it): datetime and date strings, booleans, integers, decimals.
#include "model/column.hpp"
#include "guides_fixtures.hpp"

using namespace fixtures;

TEST_CASE("datetime: dates and times from strings, stored as ActiveRecord stores them") {
  auto dt = [](const char* s) { return cast_to_column(ColumnType::DateTime, Value(s)); };
  CHECK(dt("2021-03-19") == Value("2021-03-19 00:00:00"));
  CHECK(dt("2021-03-19 10:20") == Value("2021-03-19 10:20:00"));
  CHECK(dt("2021-03-19T10:20:30Z") == Value("2021-03-19 10:20:30"));
  CHECK(dt("2021-03-19 10:20:30.123456") == Value("2021-03-19 10:20:30.123456"));
  CHECK(dt("2021-03-19T10:20:30+02:00") == Value("2021-03-19 08:20:30"));
  CHECK(dt("19/03/2021") == Value("2021-03-19 00:00:00"));
  CHECK(dt("2021-3-9") == Value("2021-03-09 00:00:00"));
  CHECK(dt("2021-02-30") == Value("2021-03-02 00:00:00"));  // rolls over, as Ruby's Time
  // already as stored (the timestamps of every save, any day of the month): kept as they are
  CHECK(dt("2026-11-29 05:00:53.123456") == Value("2026-11-29 05:00:53.123456"));
  CHECK(dt("2024-02-29 23:59:59") == Value("2024-02-29 23:59:59"));
  CHECK(dt("2023-02-29 10:00:00") == Value("2023-03-01 10:00:00"));  // no Feb 29 that year: rolls over
  CHECK(dt("2021-04-31 10:00:00.5") == Value("2021-05-01 10:00:00.500000"));
  CHECK(is_null(dt("abc")));
  CHECK(is_null(dt("")));
}

TEST_CASE("date, boolean, integer and decimal from strings") {
  auto date = [](const char* s) { return cast_to_column(ColumnType::Date, Value(s)); };
  CHECK(date("2021-03-19 10:20") == Value("2021-03-19"));
  CHECK(date("19/03/2021") == Value("2021-03-19"));
  CHECK(is_null(date("2021-02-30")));
  CHECK(is_null(date("abc")));
  for (const char* f : {"0", "f", "false", "FALSE", "off"}) CHECK(cast_to_column(ColumnType::Boolean, Value(f)) == Value(false));
  for (const char* t : {"1", "t", "yes", "no", " "}) CHECK(cast_to_column(ColumnType::Boolean, Value(t)) == Value(true));
  CHECK(is_null(cast_to_column(ColumnType::Boolean, Value(""))));
  CHECK(cast_to_column(ColumnType::Integer, Value("12abc")) == Value(std::int64_t{12}));
  CHECK(cast_to_column(ColumnType::Integer, Value("1.9")) == Value(std::int64_t{1}));
  CHECK(is_null(cast_to_column(ColumnType::Integer, Value(""))));
  CHECK(cast_to_column(ColumnType::Decimal, Value("12.50")) == Value(12.5));
}

TEST_CASE("a record's datetime column reads back what was stored") {
  Guides g;
  auto b = g.create("Book", {{"title", Value("t")}, {"published_at", Value("2017-05-24")}});
  CHECK(g.find("Book", id_of(b))->get("published_at") == Value("2017-05-24 00:00:00"));
  CHECK(g.ids(g.all("Book").where({{"published_at", Value("2017-05-24")}})) == std::vector<std::int64_t>{id_of(b)});
}

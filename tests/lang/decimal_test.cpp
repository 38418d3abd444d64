// BigDecimal (src/base/decimal.hpp) and how the language holds one: what a
// decimal column reads as, printed, compared and computed as Ruby 3.1's
// BigDecimal with ActiveSupport 6.1 loaded (checked in ruby).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "base/decimal.hpp"
#include "lang/convert.hpp"
#include "lang/inspect.hpp"
#include "lang/object.hpp"

using fw::Decimal;
using fw::Rounding;

namespace {

Decimal d(const char* text) { return Decimal::parse(text); }

}  // namespace

TEST_CASE("a decimal prints as BigDecimal: inspect 0.125e2, to_s 12.5") {
  CHECK(d("12.5").inspect() == "0.125e2");
  CHECK(d("12.5").to_plain() == "12.5");
  CHECK(Decimal::from_int(100).inspect() == "0.1e3");
  CHECK(Decimal::from_int(100).to_plain() == "100.0");
  CHECK(d("-0.5").inspect() == "-0.5e0");
  CHECK(d("0").inspect() == "0.0");
  CHECK(d("1e-5").to_plain() == "0.00001");
  CHECK(d("123456789.123").to_plain() == "123456789.123");
  CHECK(d(" 1_000.50xyz").to_plain() == "1000.5");  // String#to_d: leading digits, underscores
  CHECK(d("abc").is_zero());
  CHECK(Decimal::from_double(0.1)->inspect() == "0.1e0");  // a float's shortest digits, as Float#to_d
  CHECK(Decimal::from_double(12.5)->inspect() == "0.125e2");
  CHECK(Decimal::from_double(0.30000000000000004)->inspect() == "0.3e0");  // Float#to_d keeps 16 digits, cut
  CHECK(Decimal::from_double(2.3333333333333335)->inspect() == "0.2333333333333333e1");
  CHECK(Decimal::from_double(123456.78901234567)->inspect() == "0.1234567890123456e6");
  CHECK_FALSE(Decimal::from_double(1.0 / 0.0));
}

TEST_CASE("decimal arithmetic is exact where BigDecimal's is") {
  CHECK((d("0.1") + d("0.2")).inspect() == "0.3e0");
  CHECK((d("12.5") + Decimal::from_int(1)).inspect() == "0.135e2");
  CHECK((d("12.5") - d("100")).inspect() == "-0.875e2");
  CHECK((d("12.5") * d("0.1")).inspect() == "0.125e1");
  CHECK((d("12.5") / d("4")).inspect() == "0.3125e1");
  CHECK((d("1") / d("3")).inspect() == "0.333333333333333333333333333333333333e0");
  CHECK((d("2") / d("3")).inspect() == "0.666666666666666666666666666666666667e0");
  CHECK((d("12.5") / d("3")).inspect() == "0.4166666666666666666666666666666666667e1");
  CHECK(fw::modulo(d("12.5"), d("5")).inspect() == "0.25e1");
  CHECK(fw::modulo(d("-7"), d("3")).inspect() == "0.2e1");  // the divisor's sign
  CHECK_THROWS_AS(d("1") / Decimal{}, std::domain_error);
  CHECK_THROWS_AS(d("1e5000"), std::range_error);
}

TEST_CASE("decimals compare by value, and round half away from zero") {
  CHECK(fw::compare(d("12.5"), d("100")) < 0);
  CHECK(fw::compare(d("12.50"), d("12.5")) == 0);
  CHECK(fw::compare(d("-1"), d("-2")) > 0);
  CHECK(round(d("12.25"), 1, Rounding::HalfUp).inspect() == "0.123e2");
  CHECK(round(d("12.5"), -1, Rounding::HalfUp).inspect() == "0.1e2");
  CHECK(round(d("-2.5"), 0, Rounding::HalfUp).inspect() == "-0.3e1");
  CHECK(round(d("-2.5"), 0, Rounding::Floor).inspect() == "-0.3e1");
  CHECK(round(d("0.001"), 0, Rounding::Ceil).inspect() == "0.1e1");
  CHECK(round(d("12.99"), 0, Rounding::Truncate).inspect() == "0.12e2");
  CHECK(*d("-12.9").to_int() == -12);
  CHECK_FALSE(d("1e30").to_int());
  CHECK(d("12.5").to_double() == 12.5);
}

TEST_CASE("the language holds a decimal column's value as a BigDecimal") {
  using namespace fw::lang;
  Object price = from_attribute(fw::Value(12.5), fw::model::ColumnType::Decimal);
  REQUIRE(price.is<Decimal>());
  CHECK(class_name(price) == "BigDecimal");
  CHECK(inspect(price) == "0.125e2");
  CHECK(inspect(Object::array({price, from_attribute(fw::Value(std::int64_t{100}), fw::model::ColumnType::Decimal)})) ==
        "[0.125e2, 0.1e3]");
  CHECK(from_attribute(fw::Value(12.5), fw::model::ColumnType::Float).is<double>());
  CHECK(from_attribute(fw::Value(), fw::model::ColumnType::Decimal).is_nil());
  CHECK(equal(price, Object(12.5)));
  CHECK_FALSE(equal(price, Object(std::int64_t{12})));
  CHECK(equal(Object(std::int64_t{100}), Object(Decimal::from_int(100))));
  CHECK_FALSE(equal(price, Object("12.5")));
  fw::Value bound;
  REQUIRE(price.to_value(bound));  // bound to SQLite as ActiveRecord binds a BigDecimal: a float
  CHECK(std::get<double>(bound) == 12.5);
}

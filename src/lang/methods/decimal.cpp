// BigDecimal, what a decimal column reads as: exact sums, differences and
// products; with an Integer or a Float on either side, a BigDecimal comes
// out (12.5.to_d + 1 is 0.135e2), as Ruby's coercion gives. Its operators
// are Numeric's (methods/numeric.cpp), which hand it to decimal_operation. Its inspect is
// 0.125e2, its to_s 12.5 (ActiveSupport's default format).
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const Decimal& self_decimal(Call& c) { return *c.self.get<Decimal>(); }

// The base layer's errors as the statement's: BigDecimal's ZeroDivisionError's words.
template <typename F>
Object guarded(F&& f) {
  try {
    return f();
  } catch (const std::domain_error& e) {
    throw RuntimeError(e.what());
  } catch (const std::range_error& e) {
    throw RuntimeError(e.what());
  }
}

Object integer_or_fail(const Decimal& d) {
  auto i = d.to_int();
  if (!i) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
  return Object(*i);
}

Object power(const Decimal& base, const Object& exponent) {
  auto n = exponent.get<std::int64_t>();
  if (!n) {  // a fractional power: as a float, then back
    auto d = Decimal::from_double(std::pow(base.to_double(), as_decimal(exponent)->to_double()));
    if (!d) throw RuntimeError("the power is not a finite number");
    return Object(*d);
  }
  if (*n > 10000 || *n < -10000) throw RuntimeError("exponent too large for a decimal");
  Decimal result = Decimal::from_int(1);
  for (std::int64_t i = 0; i < (*n < 0 ? -*n : *n); ++i) result = result * base;
  return Object(*n < 0 ? Decimal::from_int(1) / result : result);
}

}  // namespace

Object decimal_operation(const Object& self, const Object& other, const std::string& op) {
  auto x = as_decimal(self), y = as_decimal(other);
  bool comparison = op == "<" || op == ">" || op == "<=" || op == ">=";
  if (!x || !y) {
    if (op == "<=>") return Object();
    if (comparison) throw RuntimeError(fmt::format("comparison of {} with {} failed", class_name(self), inspect(other)));
    throw type_error(fmt::format("{} can't be coerced into {}", class_name(other), class_name(self)));
  }
  return guarded([&]() -> Object {
    if (op == "+") return Object(*x + *y);
    if (op == "-") return Object(*x - *y);
    if (op == "*") return Object(*x * *y);
    if (op == "/") return Object(*x / *y);
    if (op == "%" || op == "modulo") return Object(modulo(*x, *y));
    if (op == "**" || op == "pow") return power(*x, other);
    int order = compare(*x, *y);
    if (op == "<=>") return Object(std::int64_t{order});
    if (op == "<") return Object(order < 0);
    if (op == ">") return Object(order > 0);
    if (op == "<=") return Object(order <= 0);
    return Object(order >= 0);
  });
}

namespace {

Object to_s(Call& c) { return Object(self_decimal(c).to_plain()); }
Object to_d(Call& c) { return c.self; }
Object to_f(Call& c) { return Object(self_decimal(c).to_double()); }
Object to_i(Call& c) { return integer_or_fail(self_decimal(c)); }

Object abs(Call& c) {
  Decimal d = self_decimal(c);
  d.negative = false;
  return Object(d);
}

// round: half away from zero; an Integer without places or with places <= 0
// (BigDecimal("12.5").round(-1) is 10), a BigDecimal with places > 0.
// floor, ceil and truncate: an Integer without places, a BigDecimal with them.
Object rounding(Call& c) {
  Rounding mode = c.name == "floor" ? Rounding::Floor
                  : c.name == "ceil" ? Rounding::Ceil
                  : c.name == "truncate" ? Rounding::Truncate
                                         : Rounding::HalfUp;
  std::int64_t places = c.args.empty() ? 0 : int_arg(c.args[0], c.name.c_str());
  return guarded([&] {
    Decimal r = round(self_decimal(c), places, mode);
    bool integer = c.args.empty() || (mode == Rounding::HalfUp && places <= 0);
    return integer ? integer_or_fail(r) : Object(r);
  });
}

}  // namespace

const std::vector<Method>& methods::decimal() {
  static const std::vector<Method> table = {
      {"to_s", "", 0, 1, Returns::String, "as plain digits: 12.5 (inspect gives 0.125e2)", to_s, kReads},
      {"to_d", "", 0, 0, Returns::Self, "itself", to_d},
      {"to_f", "", 0, 0, Returns::Float, "as a float", to_f},
      {"to_i", "to_int", 0, 0, Returns::Integer, "as an integer (truncated)", to_i, kReads},
      {"abs", "", 0, 0, Returns::Self, "the absolute value", abs},
      {"round", "", 0, 1, Returns::Any, "half away from zero: an Integer, or a BigDecimal with n places", rounding},
      {"floor", "", 0, 1, Returns::Any, "rounded down: an Integer, or a BigDecimal with n places", rounding},
      {"ceil", "", 0, 1, Returns::Any, "rounded up: an Integer, or a BigDecimal with n places", rounding},
      {"truncate", "", 0, 1, Returns::Any, "rounded toward zero: an Integer, or a BigDecimal with n places", rounding},
  };
  return table;
}

}  // namespace fw::lang

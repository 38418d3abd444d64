// Integers and floats: arithmetic as Ruby does it (integer division rounds
// toward minus infinity; overflow is an error, not a wrap).
#include <fmt/format.h>

#include <cmath>

#include "base/text.hpp"
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

[[noreturn]] void overflow() { throw RuntimeError("integer overflow (fwitter's integers are 64-bit)"); }

double number(const Object& o) {
  if (auto i = o.get<std::int64_t>()) return static_cast<double>(*i);
  return *o.get<double>();
}

Object integer_op(std::int64_t a, std::int64_t b, const std::string& op) {
  std::int64_t r = 0;
  bool overflowed = (op == "+" && __builtin_add_overflow(a, b, &r)) || (op == "-" && __builtin_sub_overflow(a, b, &r)) ||
                    (op == "*" && __builtin_mul_overflow(a, b, &r));
  if (overflowed) overflow();
  if (op == "+" || op == "-" || op == "*") return Object(r);
  if (op == "/" || op == "%") {
    if (b == 0) throw RuntimeError("divided by 0");
    if (a == INT64_MIN && b == -1) overflow();
    std::int64_t q = a / b, m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) q -= 1, m += b;  // Ruby rounds toward minus infinity
    return Object(op == "/" ? q : m);
  }
  if (op == "<") return Object(a < b);
  if (op == ">") return Object(a > b);
  if (op == "<=") return Object(a <= b);
  return Object(a >= b);
}

Object float_op(double a, double b, const std::string& op) {
  if (op == "+") return Object(a + b);
  if (op == "-") return Object(a - b);
  if (op == "*") return Object(a * b);
  if (op == "/") return Object(a / b);
  if (op == "%") return Object(std::fmod(a, b));
  if (op == "<") return Object(a < b);
  if (op == ">") return Object(a > b);
  if (op == "<=") return Object(a <= b);
  return Object(a >= b);
}

Object arithmetic(Call& c) {
  const Object& other = c.args[0];
  if (!other.is<std::int64_t>() && !other.is<double>()) {
    bool comparison = c.name == "<" || c.name == ">" || c.name == "<=" || c.name == ">=";
    if (comparison) throw RuntimeError(fmt::format("comparison of {} with {} failed", class_name(c.self), inspect(other)));
    throw type_error(fmt::format("{} can't be coerced into {}", class_name(other), class_name(c.self)));
  }
  auto x = c.self.get<std::int64_t>(), y = other.get<std::int64_t>();
  if (x && y) return integer_op(*x, *y, c.name);
  return float_op(number(c.self), number(other), c.name);
}

Object to_i(Call& c) {
  double d = number(c.self);
  if (auto i = c.self.get<std::int64_t>()) return Object(*i);
  if (std::isnan(d)) throw RuntimeError("NaN");
  if (std::isinf(d)) throw RuntimeError(d > 0 ? "Infinity" : "-Infinity");
  if (std::fabs(d) >= 9.2e18) overflow();
  return Object(static_cast<std::int64_t>(d));
}

Object to_f(Call& c) { return Object(number(c.self)); }

Object abs(Call& c) {
  if (auto i = c.self.get<std::int64_t>()) {
    if (*i == INT64_MIN) overflow();
    return Object(*i < 0 ? -*i : *i);
  }
  return Object(std::fabs(number(c.self)));
}

Object zero(Call& c) { return Object(number(c.self) == 0); }
Object even(Call& c) { return Object(*c.self.get<std::int64_t>() % 2 == 0); }
Object odd(Call& c) { return Object(*c.self.get<std::int64_t>() % 2 != 0); }

}  // namespace

const std::vector<Method>& methods::numeric() {
  static const std::vector<Method> table = {
      {"+", "", 1, 1, Returns::Any, "addition", arithmetic},
      {"-", "", 1, 1, Returns::Any, "subtraction", arithmetic},
      {"*", "", 1, 1, Returns::Any, "multiplication", arithmetic},
      {"/", "", 1, 1, Returns::Any, "division (whole numbers for two integers)", arithmetic},
      {"%", "modulo", 1, 1, Returns::Any, "remainder, with the sign of the divisor", arithmetic},
      {"<", "", 1, 1, Returns::Boolean, "less than", arithmetic},
      {">", "", 1, 1, Returns::Boolean, "greater than", arithmetic},
      {"<=", "", 1, 1, Returns::Boolean, "less than or equal", arithmetic},
      {">=", "", 1, 1, Returns::Boolean, "greater than or equal", arithmetic},
      {"to_i", "", 0, 0, Returns::Integer, "as an integer (truncated)", to_i},
      {"to_f", "", 0, 0, Returns::Float, "as a float", to_f},
      {"abs", "", 0, 0, Returns::Any, "the absolute value", abs},
      {"zero?", "", 0, 0, Returns::Boolean, "whether it is 0", zero},
  };
  return table;
}

const std::vector<Method>& methods::integer() {
  static const std::vector<Method> table = {
      {"even?", "", 0, 0, Returns::Boolean, "divisible by 2", even},
      {"odd?", "", 0, 0, Returns::Boolean, "not divisible by 2", odd},
  };
  return table;
}

const std::vector<Method>& methods::float_() {
  static const std::vector<Method> table = {};
  return table;
}

}  // namespace fw::lang

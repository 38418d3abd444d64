// Integers and floats: arithmetic as Ruby does it (integer division rounds
// toward minus infinity; overflow is an error, not a wrap).
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "base/text.hpp"
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

[[noreturn]] void overflow() { throw RuntimeError("integer overflow (fwitter's integers are 64-bit)"); }

double number(const Object& o) {
  if (auto i = o.get<std::int64_t>()) return static_cast<double>(*i);
  if (auto d = o.get<Decimal>()) return d->to_double();
  return *o.get<double>();
}

Object power(std::int64_t a, std::int64_t b) {
  if (b < 0) return Object(std::pow(static_cast<double>(a), static_cast<double>(b)));
  std::int64_t r = 1;
  for (std::int64_t i = 0; i < b; ++i) {
    if (__builtin_mul_overflow(r, a, &r)) overflow();
    if (r == 0 || r == 1) break;  // 0 and 1 stay what they are
  }
  if (a == -1) return Object(b % 2 == 0 ? std::int64_t{1} : std::int64_t{-1});
  return Object(r);
}

}  // namespace

Operator operator_of(std::string_view op) {
  if (op.size() == 1) {
    switch (op[0]) {
      case '+': return Operator::Add;
      case '-': return Operator::Subtract;
      case '*': return Operator::Multiply;
      case '/': return Operator::Divide;
      case '%': return Operator::Modulo;
      case '<': return Operator::Less;
      case '>': return Operator::Greater;
      default: return Operator::None;
    }
  }
  if (op == "<=") return Operator::LessEqual;
  if (op == ">=") return Operator::GreaterEqual;
  if (op == "**" || op == "pow") return Operator::Power;
  return Operator::None;
}

// <, >, <= and >= of two Integers or two Floats.
template <typename T> static Object compared(T a, T b, Operator op) {
  switch (op) {
    case Operator::Less: return Object(a < b);
    case Operator::Greater: return Object(a > b);
    case Operator::LessEqual: return Object(a <= b);
    case Operator::GreaterEqual: return Object(a >= b);
    default: throw RuntimeError("not an operator");
  }
}

static Object integer_op(std::int64_t a, std::int64_t b, Operator op) {
  std::int64_t r = 0;
  switch (op) {
    case Operator::Add:
      if (__builtin_add_overflow(a, b, &r)) overflow();
      return Object(r);
    case Operator::Subtract:
      if (__builtin_sub_overflow(a, b, &r)) overflow();
      return Object(r);
    case Operator::Multiply:
      if (__builtin_mul_overflow(a, b, &r)) overflow();
      return Object(r);
    case Operator::Divide:
    case Operator::Modulo: {
      if (b == 0) throw RuntimeError("divided by 0");
      if (a == INT64_MIN && b == -1) overflow();
      std::int64_t q = a / b, m = a % b;
      if (m != 0 && ((m < 0) != (b < 0))) q -= 1, m += b;  // Ruby rounds toward minus infinity
      return Object(op == Operator::Divide ? q : m);
    }
    case Operator::Power: return power(a, b);
    default: return compared(a, b, op);
  }
}

static Object float_op(double a, double b, Operator op) {
  switch (op) {
    case Operator::Add: return Object(a + b);
    case Operator::Subtract: return Object(a - b);
    case Operator::Multiply: return Object(a * b);
    case Operator::Divide: return Object(a / b);
    case Operator::Modulo: {
      double r = std::fmod(a, b);
      return Object(r != 0 && ((r < 0) != (b < 0)) ? r + b : r);  // the sign of the divisor, as Ruby's
    }
    case Operator::Power: return Object(std::pow(a, b));
    default: return compared(a, b, op);
  }
}

Object integer_operation(std::int64_t a, std::int64_t b, Operator op) { return integer_op(a, b, op); }

std::optional<Object> number_operation(const Object& a, Operator op, const Object& b) {
  if (op == Operator::None) return std::nullopt;
  auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
  if (x && y) return integer_op(*x, *y, op);
  auto p = a.get<double>(), q = b.get<double>();
  if ((p || x) && (q || y) && (p || q)) return float_op(p ? *p : static_cast<double>(*x), q ? *q : static_cast<double>(*y), op);
  return std::nullopt;
}

namespace {

Object arithmetic(Call& c) {
  const Object& other = c.args[0];
  if (other.is<Decimal>() || c.self.is<Decimal>()) return decimal_operation(c.self, other, c.name);  // 1 + 12.5.to_d too
  if (!other.is<std::int64_t>() && !other.is<double>()) {
    if (c.name == "<=>") return Object();
    bool comparison = c.name == "<" || c.name == ">" || c.name == "<=" || c.name == ">=";
    if (comparison) throw RuntimeError(fmt::format("comparison of {} with {} failed", class_name(c.self), inspect(other)));
    throw type_error(fmt::format("{} can't be coerced into {}", class_name(other), class_name(c.self)));
  }
  if (c.name == "<=>") return Object(static_cast<std::int64_t>(compare(c.self, other)));
  auto x = c.self.get<std::int64_t>(), y = other.get<std::int64_t>();
  if (x && y) return integer_op(*x, *y, operator_of(c.name));
  return float_op(number(c.self), number(other), operator_of(c.name));
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

Object to_d(Call& c) {
  auto d = as_decimal(c.self);
  if (!d) throw RuntimeError(inspect(c.self) + " can't be converted to BigDecimal");
  return Object(*d);
}

Object abs(Call& c) {
  if (auto i = c.self.get<std::int64_t>()) {
    if (*i == INT64_MIN) overflow();
    return Object(*i < 0 ? -*i : *i);
  }
  return Object(std::fabs(number(c.self)));
}

Object plus_self(Call& c) { return c.self; }

Object zero(Call& c) { return Object(number(c.self) == 0); }
Object positive(Call& c) { return Object(c.name == "positive?" ? number(c.self) > 0 : number(c.self) < 0); }

Object between(Call& c) { return Object(compare(c.self, c.args[0]) >= 0 && compare(c.self, c.args[1]) <= 0); }

Object clamp(Call& c) {
  if (compare(c.self, c.args[0]) < 0) return c.args[0];
  if (compare(c.self, c.args[1]) > 0) return c.args[1];
  return c.self;
}

Object fdiv(Call& c) { return Object(number(c.self) / number(c.args[0])); }

Object divmod(Call& c) {
  std::vector<Object> one{c.args[0]};
  Object q = c.in.call(c.self, "/", one), r = c.in.call(c.self, "%", one);
  if (auto d = q.get<double>()) q = Object(std::floor(*d));
  if (auto d = q.get<Decimal>()) q = Object(round(*d, 0, Rounding::Floor));
  return Object::array({q, r});
}

// round, floor and ceil, to `digits` places (negative: tens, hundreds).
Object rounding(Call& c) {
  std::int64_t digits = c.args.empty() ? 0 : int_arg(c.args[0], c.name.c_str());
  auto apply = [&](double x) {
    if (c.name == "floor") return std::floor(x);
    if (c.name == "ceil") return std::ceil(x);
    if (c.name == "truncate") return std::trunc(x);
    return std::round(x);  // half away from zero, as Ruby's
  };
  if (auto i = c.self.get<std::int64_t>()) {
    if (digits >= 0) return c.self;
    double scale = std::pow(10.0, static_cast<double>(-digits));
    return Object(static_cast<std::int64_t>(apply(static_cast<double>(*i) / scale) * scale));
  }
  double d = number(c.self);
  if (!std::isfinite(d)) {
    if (digits > 0) return c.self;
    throw RuntimeError(std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
  }
  if (digits > 0) {
    double scale = std::pow(10.0, static_cast<double>(std::min<std::int64_t>(digits, 15)));
    return Object(apply(d * scale) / scale);
  }
  double scale = std::pow(10.0, static_cast<double>(-digits));
  double r = apply(d / scale) * scale;
  if (std::fabs(r) >= 9.2e18) overflow();
  return Object(static_cast<std::int64_t>(r));
}

// n.times { |i| }, a.upto(b) { |i| }, a.downto(b) { |i| }: without a block, the values.
Object count_up(Call& c) {
  std::int64_t from = *c.self.get<std::int64_t>(), to = 0, by = 1;
  if (c.name == "times") from = 0, to = *c.self.get<std::int64_t>() - 1;
  else to = int_arg(c.args[0], c.name.c_str());
  if (c.name == "downto") by = -1;
  if (c.name == "step") {  // 1.step(10, 3): up (or down) to the limit by the step
    by = c.args.size() > 1 ? int_arg(c.args[1], "step") : 1;
    if (by == 0) throw RuntimeError("step can't be 0");
  }
  Array out;
  for (std::int64_t i = from; by > 0 ? i <= to : i >= to;) {
    if (c.block) yield_block(c, {Object(i)});
    else if (out.size() >= 10'000'000) throw RuntimeError("too many values to list (over 10 million); give a block");
    else out.push_back(Object(i));
    if (__builtin_add_overflow(i, by, &i)) break;  // past the largest integer: the limit is reached
  }
  return c.block ? c.self : Object::array(std::move(out));
}

Object succ(Call& c) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(*c.self.get<std::int64_t>(), c.name == "pred" ? -1 : 1, &r)) overflow();
  return Object(r);
}

Object gcd(Call& c) {
  std::int64_t a = std::llabs(*c.self.get<std::int64_t>()), b = std::llabs(int_arg(c.args[0], "gcd"));
  while (b) a %= b, std::swap(a, b);
  return Object(a);
}

Object lcm(Call& c) {
  std::int64_t a = std::llabs(*c.self.get<std::int64_t>()), b = std::llabs(int_arg(c.args[0], "lcm"));
  if (a == 0 || b == 0) return Object(std::int64_t{0});
  std::int64_t g = a, h = b, r = 0;
  while (h) g %= h, std::swap(g, h);
  if (__builtin_mul_overflow(a / g, b, &r)) overflow();
  return Object(r);
}

Object digits(Call& c) {
  std::int64_t n = *c.self.get<std::int64_t>();
  if (n < 0) throw RuntimeError("out of domain");
  Array out;
  do out.push_back(Object(n % 10)), n /= 10;
  while (n > 0);
  return Object::array(std::move(out));
}

Object float_test(Call& c) {
  double d = number(c.self);
  if (c.name == "nan?") return Object(std::isnan(d));
  if (c.name == "finite?") return Object(std::isfinite(d));
  if (!std::isinf(d)) return Object();
  return Object(std::int64_t{d > 0 ? 1 : -1});  // infinite?: 1, -1 or nil
}
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
      {"**", "pow", 1, 1, Returns::Any, "raised to a power", arithmetic},
      {"<=>", "", 1, 1, Returns::Integer, "-1, 0 or 1 as it is less than, equal to or greater than", arithmetic},
      {"<", "", 1, 1, Returns::Boolean, "less than", arithmetic},
      {">", "", 1, 1, Returns::Boolean, "greater than", arithmetic},
      {"<=", "", 1, 1, Returns::Boolean, "less than or equal", arithmetic},
      {">=", "", 1, 1, Returns::Boolean, "greater than or equal", arithmetic},
      {"to_i", "", 0, 0, Returns::Integer, "as an integer (truncated)", to_i, kReads},
      {"to_f", "", 0, 0, Returns::Float, "as a float", to_f},
      {"to_d", "", 0, 0, Returns::Any, "as a BigDecimal (a float's shortest digits: 0.1.to_d is 0.1e0)", to_d},
      {"abs", "", 0, 0, Returns::Any, "the absolute value", abs},
      {"+@", "", 0, 0, Returns::Self, "itself (unary plus)", plus_self},
      {"zero?", "", 0, 0, Returns::Boolean, "whether it is 0", zero},
      {"positive?", "", 0, 0, Returns::Boolean, "greater than 0", positive},
      {"negative?", "", 0, 0, Returns::Boolean, "less than 0", positive},
      {"between?", "", 2, 2, Returns::Boolean, "whether min <= it <= max", between},
      {"clamp", "", 2, 2, Returns::Any, "itself, held between min and max", clamp},
      {"fdiv", "", 1, 1, Returns::Float, "division as floats", fdiv},
      {"divmod", "", 1, 1, Returns::Array, "[quotient, remainder]", divmod},
      {"round", "", 0, 1, Returns::Any, "to the nearest whole number (or to n decimal places)", rounding},
      {"floor", "", 0, 1, Returns::Any, "rounded down", rounding},
      {"ceil", "", 0, 1, Returns::Any, "rounded up", rounding},
      {"truncate", "", 0, 1, Returns::Any, "rounded toward zero", rounding},
      {"seconds", "second", 0, 0, Returns::Any, "a duration of that many seconds: 30.seconds", make_duration},
      {"minutes", "minute", 0, 0, Returns::Any, "a duration of that many minutes: 5.minutes.ago", make_duration},
      {"hours", "hour", 0, 0, Returns::Any, "a duration of that many hours: 1.hour.ago", make_duration},
      {"days", "day", 0, 0, Returns::Any, "a duration of that many days: 2.days.from_now", make_duration},
      {"weeks", "week", 0, 0, Returns::Any, "a duration of that many weeks", make_duration},
      {"fortnights", "fortnight", 0, 0, Returns::Any, "a duration of that many fortnights", make_duration},
      {"months", "month", 0, 0, Returns::Any, "a duration of that many calendar months", make_duration},
      {"years", "year", 0, 0, Returns::Any, "a duration of that many calendar years", make_duration},
  };
  return table;
}

const std::vector<Method>& methods::integer() {
  static const std::vector<Method> table = {
      {"even?", "", 0, 0, Returns::Boolean, "divisible by 2", even},
      {"odd?", "", 0, 0, Returns::Boolean, "not divisible by 2", odd},
      {"times", "", 0, 0, Returns::Self, "calls the block with 0, 1, ... n - 1", count_up},
      {"upto", "", 1, 1, Returns::Self, "calls the block with each integer up to the limit", count_up},
      {"downto", "", 1, 1, Returns::Self, "calls the block with each integer down to the limit", count_up},
      {"step", "", 1, 2, Returns::Self, "calls the block with every n-th integer up to the limit: 1.step(10, 3)", count_up},
      {"succ", "next", 0, 0, Returns::Integer, "one more", succ},
      {"pred", "", 0, 0, Returns::Integer, "one less", succ},
      {"gcd", "", 1, 1, Returns::Integer, "the greatest common divisor", gcd},
      {"lcm", "", 1, 1, Returns::Integer, "the least common multiple", lcm},
      {"digits", "", 0, 0, Returns::Array, "its decimal digits, ones first", digits},
  };
  return table;
}

const std::vector<Method>& methods::float_() {
  static const std::vector<Method> table = {
      {"nan?", "", 0, 0, Returns::Boolean, "whether it is not a number", float_test},
      {"finite?", "", 0, 0, Returns::Boolean, "neither infinite nor NaN", float_test},
      {"infinite?", "", 0, 0, Returns::Any, "1 or -1 when infinite, else nil", float_test},
  };
  return table;
}

}  // namespace fw::lang

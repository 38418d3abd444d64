#pragma once
// An exact decimal number, as Ruby's BigDecimal: what a decimal column holds.
// Sums, differences and products are exact; a quotient keeps 36 digits after
// the point (BigDecimal's count varies with its operands' sizes). Over 1000
// digits, or an exponent past 1000 either way, is refused (std::range_error).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fw {

struct Decimal {
  bool negative = false;
  std::string digits;         // significant digits, no zeros at either end; "" for zero
  std::int64_t exponent = 0;  // the value is 0.DIGITS x 10^exponent

  static Decimal from_int(std::int64_t i);
  // Float#to_d: the float's shortest decimal digits, cut to 16 (12.5 -> 0.125e2,
  // 2.3333333333333335 -> 0.2333333333333333e1); nothing for NaN and infinities.
  static std::optional<Decimal> from_double(double d);
  // Ruby's String#to_d: leading digits with an optional fraction and
  // exponent; 0 when there are none.
  static Decimal parse(std::string_view text);

  bool is_zero() const { return digits.empty(); }
  double to_double() const;
  // Truncated toward zero; nothing when it does not fit in 64 bits.
  std::optional<std::int64_t> to_int() const;
  // BigDecimal#inspect: 0.125e2, -0.5e0, 0.0.
  std::string inspect() const;
  // BigDecimal#to_s("F"), which ActiveSupport makes the default: 12.5, 100.0, 0.00001.
  std::string to_plain() const;
};

Decimal operator-(const Decimal& a);
Decimal operator+(const Decimal& a, const Decimal& b);
Decimal operator-(const Decimal& a, const Decimal& b);
Decimal operator*(const Decimal& a, const Decimal& b);
// Throws std::domain_error for a zero divisor.
Decimal operator/(const Decimal& a, const Decimal& b);
// The remainder with the divisor's sign, as Ruby's %.
Decimal modulo(const Decimal& a, const Decimal& b);
int compare(const Decimal& a, const Decimal& b);  // -1, 0, 1

enum class Rounding { HalfUp, Floor, Ceil, Truncate };
// To `places` digits after the point (negative: tens, hundreds); BigDecimal's
// round is half away from zero.
Decimal round(const Decimal& d, std::int64_t places, Rounding mode);

}  // namespace fw

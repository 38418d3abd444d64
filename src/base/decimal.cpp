#include "base/decimal.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fw {

namespace {

// Past these, a decimal is refused rather than left to take minutes (a
// quotient's digits grow with its operands' exponents).
constexpr std::int64_t kMaxExponent = 1000;
constexpr std::size_t kMaxDigits = 1000;

// ---- magnitudes: unsigned integers as strings of digits, "" for zero ----

std::string strip_leading(const std::string& s) {
  size_t i = s.find_first_not_of('0');
  return i == std::string::npos ? "" : s.substr(i);
}

int compare_magnitudes(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0;
}

std::string add_magnitudes(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < a.size() || i < b.size() || carry; ++i) {
    int sum = carry + (i < a.size() ? a[a.size() - 1 - i] - '0' : 0) + (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    out.push_back(static_cast<char>('0' + sum % 10));
    carry = sum / 10;
  }
  std::reverse(out.begin(), out.end());
  return strip_leading(out);
}

// a - b, for a >= b.
std::string subtract_magnitudes(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int d = a[a.size() - 1 - i] - '0' - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = d < 0;
    out.push_back(static_cast<char>('0' + (d + 10) % 10));
  }
  std::reverse(out.begin(), out.end());
  return strip_leading(out);
}

std::string multiply_magnitudes(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return "";
  std::vector<int> sum(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) sum[i + j + 1] += (a[i] - '0') * (b[j] - '0');
  for (size_t k = sum.size() - 1; k > 0; --k) sum[k - 1] += sum[k] / 10, sum[k] %= 10;
  std::string out;
  for (int d : sum) out.push_back(static_cast<char>('0' + d));
  return strip_leading(out);
}

// Long division: {quotient, remainder}; b is not zero.
std::pair<std::string, std::string> divide_magnitudes(const std::string& a, const std::string& b) {
  std::string quotient, remainder;
  for (char c : a) {
    remainder = strip_leading(remainder + c);
    int digit = 0;
    while (compare_magnitudes(remainder, b) >= 0) remainder = subtract_magnitudes(remainder, b), ++digit;
    quotient.push_back(static_cast<char>('0' + digit));
  }
  return {strip_leading(quotient), remainder};
}

// ---- decimals as a coefficient and a power of ten ----

struct Scaled {
  bool negative;
  std::string coefficient;  // the value is coefficient x 10^power
  std::int64_t power;
};

Scaled scaled(const Decimal& d) { return {d.negative, d.digits, d.exponent - static_cast<std::int64_t>(d.digits.size())}; }

Decimal make(bool negative, const std::string& coefficient, std::int64_t power) {
  std::string c = strip_leading(coefficient);
  Decimal d;
  if (c.empty()) return d;
  size_t last = c.find_last_not_of('0');
  power += static_cast<std::int64_t>(c.size() - 1 - last);
  c.resize(last + 1);
  d.negative = negative;
  d.exponent = power + static_cast<std::int64_t>(c.size());
  d.digits = std::move(c);
  if (d.exponent > kMaxExponent || d.exponent < -kMaxExponent || d.digits.size() > kMaxDigits)
    throw std::range_error("the decimal is too large or too precise (over " + std::to_string(kMaxDigits) + " digits)");
  return d;
}

// Both coefficients over the smaller power of ten.
void align(Scaled& a, Scaled& b) {
  std::int64_t p = std::min(a.power, b.power);
  if (a.power - p > kMaxExponent * 2 || b.power - p > kMaxExponent * 2) throw std::range_error("the decimals are too far apart");
  a.coefficient += std::string(static_cast<size_t>(a.power - p), '0');
  b.coefficient += std::string(static_cast<size_t>(b.power - p), '0');
  a.power = b.power = p;
}

int sign(const Decimal& d) { return d.is_zero() ? 0 : d.negative ? -1 : 1; }

}  // namespace

Decimal Decimal::from_int(std::int64_t i) {
  std::uint64_t magnitude = i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  return make(i < 0, std::to_string(magnitude), 0);
}

std::optional<Decimal> Decimal::from_double(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  if (d == 0) return Decimal{};
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  if (ec != std::errc()) return std::nullopt;
  std::string text(buf, end);  // -1.25e+01
  size_t e = text.find('e');
  std::string coefficient;
  for (size_t i = 0; i < e; ++i)
    if (std::isdigit(static_cast<unsigned char>(text[i]))) coefficient += text[i];
  std::int64_t power = std::stoll(text.substr(e + 1)) - static_cast<std::int64_t>(coefficient.size() - 1);
  if (coefficient.size() > 16) {  // Float#to_d keeps 16 digits, cut: 0.30000000000000004 is 0.3e0
    power += static_cast<std::int64_t>(coefficient.size() - 16);
    coefficient.resize(16);
  }
  return make(d < 0, coefficient, power);
}

Decimal Decimal::parse(std::string_view text) {
  size_t i = 0;
  auto digit = [&](size_t at) { return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); };
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string coefficient;
  std::int64_t power = 0;
  auto read_digits = [&](bool fraction) {
    while (digit(i)) {
      coefficient += text[i++];
      if (fraction) --power;
      if (i + 1 < text.size() && text[i] == '_' && digit(i + 1)) ++i;  // 1_000
    }
  };
  read_digits(false);
  if (i + 1 < text.size() && text[i] == '.' && digit(i + 1)) ++i, read_digits(true);
  if (coefficient.empty()) return Decimal{};
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t at = i + 1;
    bool minus = at < text.size() && text[at] == '-';
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    std::int64_t exponent = 0;
    for (; digit(at); ++at) exponent = std::min<std::int64_t>(exponent * 10 + (text[at] - '0'), kMaxExponent * 4);
    power += minus ? -exponent : exponent;
  }
  return make(negative, coefficient, power);
}

double Decimal::to_double() const {
  if (is_zero()) return 0.0;
  std::string text = (negative ? "-" : "") + digits + "e" + std::to_string(exponent - static_cast<std::int64_t>(digits.size()));
  return std::strtod(text.c_str(), nullptr);
}

std::optional<std::int64_t> Decimal::to_int() const {
  if (is_zero() || exponent <= 0) return std::int64_t{0};
  if (exponent > 19) return std::nullopt;
  std::string whole = digits.substr(0, static_cast<size_t>(std::min<std::int64_t>(exponent, static_cast<std::int64_t>(digits.size()))));
  whole.append(static_cast<size_t>(exponent) - whole.size(), '0');
  std::uint64_t magnitude = std::strtoull(whole.c_str(), nullptr, 10);
  std::uint64_t limit = static_cast<std::uint64_t>(INT64_MAX) + (negative ? 1 : 0);
  if (magnitude > limit) return std::nullopt;
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

std::string Decimal::inspect() const {
  if (is_zero()) return "0.0";
  return (negative ? "-0." : "0.") + digits + "e" + std::to_string(exponent);
}

std::string Decimal::to_plain() const {
  if (is_zero()) return "0.0";
  std::string out = negative ? "-" : "";
  auto length = static_cast<std::int64_t>(digits.size());
  if (exponent <= 0) return out + "0." + std::string(static_cast<size_t>(-exponent), '0') + digits;
  if (exponent >= length) return out + digits + std::string(static_cast<size_t>(exponent - length), '0') + ".0";
  return out + digits.substr(0, static_cast<size_t>(exponent)) + "." + digits.substr(static_cast<size_t>(exponent));
}

Decimal operator-(const Decimal& a) {
  Decimal out = a;
  if (!out.is_zero()) out.negative = !out.negative;
  return out;
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  Scaled x = scaled(a), y = scaled(b);
  align(x, y);
  if (x.negative == y.negative) return make(x.negative, add_magnitudes(x.coefficient, y.coefficient), x.power);
  if (compare_magnitudes(x.coefficient, y.coefficient) >= 0)
    return make(x.negative, subtract_magnitudes(x.coefficient, y.coefficient), x.power);
  return make(y.negative, subtract_magnitudes(y.coefficient, x.coefficient), x.power);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + -b; }

Decimal operator*(const Decimal& a, const Decimal& b) {
  Scaled x = scaled(a), y = scaled(b);
  return make(a.negative != b.negative, multiply_magnitudes(x.coefficient, y.coefficient), x.power + y.power);
}

Decimal operator/(const Decimal& a, const Decimal& b) {
  if (b.is_zero()) throw std::domain_error("divided by 0");
  if (a.is_zero()) return a;
  // 36 digits after the point, or 36 significant ones for a small quotient,
  // and one more to round by.
  std::int64_t places = std::max<std::int64_t>(36, 36 - (a.exponent - b.exponent));
  Scaled x = scaled(a), y = scaled(b);
  std::int64_t shift = x.power - y.power + places + 1;
  std::string numerator = x.coefficient, denominator = y.coefficient;
  if (shift >= 0) numerator.append(static_cast<size_t>(shift), '0');
  else denominator.append(static_cast<size_t>(-shift), '0');
  std::string quotient = divide_magnitudes(numerator, denominator).first;
  if (quotient.empty()) return Decimal{};
  bool up = quotient.back() >= '5';
  quotient.pop_back();
  if (up) quotient = add_magnitudes(quotient, "1");
  return make(a.negative != b.negative, quotient, -places);
}

Decimal modulo(const Decimal& a, const Decimal& b) {
  if (b.is_zero()) throw std::domain_error("divided by 0");
  if (a.is_zero()) return a;
  Scaled x = scaled(a), y = scaled(b);
  align(x, y);
  Decimal remainder = make(a.negative, divide_magnitudes(x.coefficient, y.coefficient).second, x.power);
  if (!remainder.is_zero() && remainder.negative != b.negative) remainder = remainder + b;
  return remainder;
}

int compare(const Decimal& a, const Decimal& b) {
  if (sign(a) != sign(b)) return sign(a) < sign(b) ? -1 : 1;
  if (a.is_zero()) return 0;
  int magnitude = a.exponent != b.exponent ? (a.exponent < b.exponent ? -1 : 1)
                                           : (a.digits.compare(b.digits) < 0 ? -1 : a.digits != b.digits);
  return a.negative ? -magnitude : magnitude;
}

Decimal round(const Decimal& d, std::int64_t places, Rounding mode) {
  if (d.is_zero()) return d;
  places = std::clamp<std::int64_t>(places, -kMaxExponent, kMaxExponent);
  std::int64_t keep = d.exponent + places;
  if (keep >= static_cast<std::int64_t>(d.digits.size())) return d;
  std::string kept = keep > 0 ? d.digits.substr(0, static_cast<size_t>(keep)) : "";
  char first_dropped = keep >= 0 ? d.digits[static_cast<size_t>(keep)] : '0';  // below half a unit when keep < 0
  bool up = mode == Rounding::HalfUp ? first_dropped >= '5'
            : mode == Rounding::Floor ? d.negative
            : mode == Rounding::Ceil  ? !d.negative
                                      : false;
  if (up) kept = add_magnitudes(kept, "1");
  return make(d.negative, kept, -places);
}

}  // namespace fw

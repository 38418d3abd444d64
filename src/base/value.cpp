#include "base/value.hpp"

#include <fmt/format.h>

#include "base/text.hpp"

namespace fw {

std::string value_to_s(const Value& v) {
  struct {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_float(d); }
    std::string operator()(const std::string& s) const { return s; }
  } visit;
  return std::visit(visit, v);
}

std::string inspect_value(const Value& v) {
  if (is_null(v)) return "nil";
  if (auto s = std::get_if<std::string>(&v)) return quote_string(*s);
  return value_to_s(v);
}

bool values_equal(const Value& a, const Value& b) {
  auto num = [](const Value& v, double& out) {
    if (auto i = std::get_if<std::int64_t>(&v)) return out = static_cast<double>(*i), true;
    if (auto d = std::get_if<double>(&v)) return out = *d, true;
    return false;
  };
  double x, y;
  if (num(a, x) && num(b, y)) return x == y;
  return a == b;
}

}  // namespace fw

// String's %, with Kernel#format's printf_format, and ActiveSupport's
// inflections and truncate (the table is in string.cpp).
#include <fmt/args.h>
#include <fmt/printf.h>

#include <cctype>

#include "lang/methods/string_support.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

std::string printf_format(const std::string& format, const std::vector<Object>& values) {
  fmt::dynamic_format_arg_store<fmt::printf_context> store;
  for (const auto& v : values) {
    if (auto i = v.get<std::int64_t>()) store.push_back(*i);
    else if (auto d = v.get<double>()) store.push_back(*d);
    else store.push_back(to_s(v));
  }
  try {
    return fmt::vsprintf(fmt::string_view(format), fmt::basic_format_args<fmt::printf_context>(store));
  } catch (const fmt::format_error& e) {
    throw RuntimeError(std::string("malformed format string: ") + e.what());
  }
}

namespace string_methods {

// format % [args]: printf's directives (%d, %s, %.2f, %05d, %-10s, %x, %%).
Object percent(Call& c) {
  std::vector<Object> values;
  if (auto a = c.args[0].get<Ref<Array>>()) values = **a;
  else values.push_back(c.args[0]);
  return Object(printf_format(str(c), values));
}

// ActiveSupport's inflections, which Rails tutorials use on strings.
Object inflect(Call& c) {
  const auto& s = str(c);
  if (c.name == "pluralize") return Object(model::inflector::pluralize(s));
  if (c.name == "singularize") return Object(model::inflector::singularize(s));
  if (c.name == "underscore") return Object(model::inflector::underscore(s));
  if (c.name == "camelize") return Object(model::inflector::camelize(s));
  std::string out;  // titleize
  bool start = true;
  for (char ch : model::inflector::underscore(s)) {
    if (ch == '_' || ch == ' ') {
      out += ' ', start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    start = false;
  }
  return Object(out);
}

Object truncate(Call& c) {  // ActiveSupport: at most n characters, "..." included
  auto chars = characters(str(c));
  std::int64_t n = int_arg(c.args[0], "truncate");
  if (static_cast<std::int64_t>(chars.size()) <= n) return c.self;
  std::string out;
  for (std::int64_t i = 0; i < n - 3 && i < static_cast<std::int64_t>(chars.size()); ++i) out += chars[static_cast<size_t>(i)];
  return Object(out + "...");
}

}  // namespace string_methods

}  // namespace fw::lang

// Ranges: 1..5 and 1...5 (without the end), endless 1.. and strings "a".."e".
// Enumerable methods see the integers they span.
#include <cmath>
#include <limits>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const Range& range(Call& c) { return **c.self.get<Ref<Range>>(); }

Object first(Call& c) {
  if (c.args.empty()) {
    if (range(c).first.is_nil()) throw RuntimeError("cannot get the first element of beginless range");
    return range(c).first;
  }
  return enumerable(c);
}

Object last(Call& c) {
  if (range(c).last.is_nil()) throw RuntimeError("cannot get the last element of endless range");
  if (c.args.empty()) return range(c).last;
  Array all = elements(c);
  auto n = std::min(all.size(), static_cast<size_t>(std::max<std::int64_t>(0, int_arg(c.args[0], "last"))));
  return Object::array(Array(all.end() - static_cast<std::ptrdiff_t>(n), all.end()));
}

bool covers(const Range& r, const Object& x) {
  try {
    if (!r.first.is_nil() && compare(r.first, x) > 0) return false;
    if (!r.last.is_nil()) {
      int c = compare(x, r.last);
      if (r.exclusive ? c >= 0 : c > 0) return false;
    }
    return true;
  } catch (const RuntimeError&) {  // a value of another kind is simply not in the range
    return false;
  }
}

Object includes(Call& c) { return Object(covers(range(c), c.args[0])); }

Object size(Call& c) {
  auto a = range(c).first.get<std::int64_t>(), b = range(c).last.get<std::int64_t>();
  if (!a) throw type_error("can't iterate from " + class_name(range(c).first));
  if (!b) return Object(std::numeric_limits<double>::infinity());
  std::int64_t n = (range(c).exclusive ? *b - 1 : *b) - *a + 1;
  return Object(n < 0 ? std::int64_t{0} : n);
}

Object sum(Call& c) {
  auto a = range(c).first.get<std::int64_t>(), b = range(c).last.get<std::int64_t>();
  if (c.block || !c.args.empty() || !a || !b) return enumerable(c);
  std::int64_t last = range(c).exclusive ? *b - 1 : *b;
  if (last < *a) return Object(std::int64_t{0});
  // (a + last) * n / 2: one of the two factors is even, so halve it first
  std::int64_t ends = 0, n = 0, total = 0;
  bool overflow = __builtin_add_overflow(*a, last, &ends) || __builtin_sub_overflow(last, *a, &n) ||
                  __builtin_add_overflow(n, 1, &n);
  if (!overflow) overflow = ends % 2 == 0 ? __builtin_mul_overflow(ends / 2, n, &total) : __builtin_mul_overflow(ends, n / 2, &total);
  if (overflow) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
  return Object(total);
}

// Every n-th value: (1..10).step(3), ("a".."e").step(2), (0.0..1.0).step(0.25).
Object step(Call& c) {
  auto a = range(c).first.get<std::int64_t>(), b = range(c).last.get<std::int64_t>();
  bool floats = range(c).first.is<double>() || range(c).last.is<double>() || c.args[0].is<double>();
  if (floats) {
    auto from = as_decimal(range(c).first), to = as_decimal(range(c).last), by = as_decimal(c.args[0]);
    if (!from || !to || !by) throw type_error("step works on numeric and string ranges");
    double x = from->to_double(), end = to->to_double(), step = by->to_double();
    if (step <= 0) throw RuntimeError(step == 0 ? "step can't be 0" : "step can't be negative");
    auto n = static_cast<std::int64_t>(std::floor((end - x) / step + 1e-9));
    Array out;
    for (std::int64_t i = 0; i <= n; ++i) {
      double v = x + static_cast<double>(i) * step;
      if (range(c).exclusive && v >= end) break;
      if (c.block) yield_block(c, {Object(v)});
      else out.push_back(Object(v));
    }
    return c.block ? c.self : Object::array(std::move(out));
  }
  std::int64_t by = int_arg(c.args[0], "step");
  if (by <= 0) throw RuntimeError(by == 0 ? "step can't be 0" : "step can't be negative");
  if (!a || !b) {  // a string range: every n-th of its values
    Array out, all = elements(c);
    for (size_t i = 0; i < all.size(); i += static_cast<size_t>(by)) {
      if (c.block) yield_block(c, {all[i]});
      else out.push_back(all[i]);
    }
    return c.block ? c.self : Object::array(std::move(out));
  }
  Array out;
  for (std::int64_t i = *a; range(c).exclusive ? i < *b : i <= *b; i += by) {
    if (c.block) yield_block(c, {Object(i)});
    else out.push_back(Object(i));
    if (out.size() > 10'000'000) throw RuntimeError("range too large to expand (over 10 million)");
  }
  return c.block ? c.self : Object::array(std::move(out));
}

Object ends(Call& c) { return c.name == "begin" ? range(c).first : range(c).last; }
Object exclude_end(Call& c) { return Object(range(c).exclusive); }

}  // namespace

const std::vector<Method>& methods::range() {
  static const std::vector<Method> table = {
      {"first", "", 0, 1, Returns::Any, "the first value (or the first n)", first, kReads},
      {"last", "", 0, 1, Returns::Any, "the last value (or the last n)", last, kReads},
      {"begin", "", 0, 0, Returns::Any, "where it starts", ends},
      {"end", "", 0, 0, Returns::Any, "where it ends", ends},
      {"include?", "member? cover? ===", 1, 1, Returns::Boolean, "whether a value lies within it", includes},
      {"size", "length", 0, 0, Returns::Integer, "how many integers it spans", size, kReads},
      {"sum", "", 0, 1, Returns::Any, "its integers added up", sum, kReads},
      {"step", "", 1, 1, Returns::Array, "every n-th value", step},
      {"exclude_end?", "", 0, 0, Returns::Boolean, "whether it was written with ... (no end)", exclude_end},
  };
  return table;
}

}  // namespace fw::lang

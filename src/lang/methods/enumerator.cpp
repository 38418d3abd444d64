// An endless Enumerator ([1, 2].cycle): what reads it takes as many values
// as it asks for, or loops until break.
#include <limits>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const Array& round_of(Call& c) { return (*c.self.get<Ref<Enumerator>>())->items; }

// first(n), take(n): the first n values; first: the first one.
Object first(Call& c) {
  const Array& once = round_of(c);
  if (c.args.empty()) return once.empty() ? Object() : once[0];
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  if (n < 0) throw RuntimeError("attempt to take negative size");
  check_array_length(static_cast<size_t>(n));
  Array out;
  for (std::int64_t i = 0; i < n && !once.empty(); ++i) out.push_back(once[static_cast<size_t>(i) % once.size()]);
  return Object::array(std::move(out));
}

// each, each_with_index, with_index: forever, until the block breaks.
Object each(Call& c) {
  if (!c.block) return c.self;
  Array once = round_of(c);
  if (once.empty()) return Object();
  for (std::int64_t i = 0;; ++i) {
    const Object& x = once[static_cast<size_t>(i) % once.size()];
    if (c.name == "each") yield_block(c, {x});
    else yield_block(c, {x, Object(i)});
  }
}

// take_while, find (detect): as far as the block says.
Object take_while(Call& c) {
  Array once = round_of(c), out;
  if (once.empty()) return c.name == "take_while" ? Object::array({}) : Object();
  for (size_t i = 0;; ++i) {
    const Object& x = once[i % once.size()];
    bool yes = yield_block(c, {x}).truthy();
    if (c.name == "take_while") {
      if (!yes) return Object::array(std::move(out));
      out.push_back(x);
      check_array_length(out.size());
    } else if (yes) {
      return x;
    }
  }
}

Object size(Call& c) { return round_of(c).empty() ? Object(std::int64_t{0}) : Object(std::numeric_limits<double>::infinity()); }

}  // namespace

const std::vector<Method>& methods::enumerator() {
  static const std::vector<Method> table = {
      {"first", "take", 0, 1, Returns::Any, "the first value, or the first n", first, kReads},
      {"each", "", 0, 0, Returns::Any, "calls the block with each value, forever (break leaves)", each},
      {"each_with_index", "with_index", 0, 0, Returns::Any, "each, with a count", each},
      {"take_while", "", 0, 0, Returns::Array, "the values while the block is true", take_while},
      {"find", "detect", 0, 0, Returns::Any, "the first value the block is true for", take_while},
      {"size", "", 0, 0, Returns::Any, "Infinity", size, kReads},
  };
  return table;
}

}  // namespace fw::lang

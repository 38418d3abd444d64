// Arrays. What arrays share with hashes, ranges and relations (map, select,
// sum, ...) is in enumerable.cpp. Methods ending in ! change the array in
// place and, as Ruby's do, give nil when there was nothing to change.
#include <algorithm>
#include <functional>
#include <optional>

#include "base/text.hpp"
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

Array& items(Call& c) { return **c.self.get<Ref<Array>>(); }

// Whether `value` is, or holds somewhere inside it, the array `target`.
bool holds_array(const Object& value, const Array* target) {
  if (auto a = value.get<Ref<Array>>()) {
    if (a->get() == target) return true;
    return std::any_of((*a)->begin(), (*a)->end(), [&](const Object& x) { return holds_array(x, target); });
  }
  if (auto h = value.get<Ref<Hash>>())
    return std::any_of((*h)->begin(), (*h)->end(),
                       [&](const auto& kv) { return holds_array(kv.first, target) || holds_array(kv.second, target); });
  return false;
}

// Values are reference-counted: an array inside itself would never be freed.
template <typename Items> void refuse_cycle(Call& c, const Items& added) {
  for (const auto& x : added)
    if (holds_array(x, &items(c))) throw RuntimeError("an array cannot contain itself in fwitter");
}

const Array& array_arg(const Object& o) {
  if (auto a = o.get<Ref<Array>>()) return **a;
  throw type_error("no implicit conversion of " + class_name(o) + " into Array");
}

std::int64_t index_arg(const Object& o) {
  if (auto i = o.get<std::int64_t>()) return *i;
  throw type_error("no implicit conversion of " + class_name(o) + " into Integer");
}

bool contains(const Array& a, const Object& x) {
  return std::any_of(a.begin(), a.end(), [&](const Object& y) { return equal(x, y); });
}

Object size(Call& c) { return Object(static_cast<std::int64_t>(items(c).size())); }
Object empty(Call& c) { return Object(items(c).empty()); }

Object last(Call& c) {
  const auto& a = items(c);
  if (c.args.empty()) return a.empty() ? Object() : a.back();
  std::int64_t n = index_arg(c.args[0]);
  if (n < 0) throw RuntimeError("negative array size");
  auto count = std::min(a.size(), static_cast<size_t>(n));
  return Object::array(Array(a.end() - static_cast<std::ptrdiff_t>(count), a.end()));
}

Object to_a(Call& c) { return c.self; }

// a[i], a[start, length], a[range]
Object at(Call& c) {
  const auto& a = items(c);
  auto n = static_cast<std::int64_t>(a.size());
  std::int64_t start = 0, length = -1;
  if (auto r = c.args[0].get<Ref<Range>>()) {
    start = (*r)->first.is_nil() ? 0 : index_arg((*r)->first);
    std::int64_t last = (*r)->last.is_nil() ? n - 1 : index_arg((*r)->last);
    if (start < 0) start += n;
    if (last < 0) last += n;
    if ((*r)->exclusive && !(*r)->last.is_nil()) --last;
    length = std::max<std::int64_t>(0, last - start + 1);
  } else {
    start = index_arg(c.args[0]);
    if (start < 0) start += n;
    if (c.args.size() == 1) return start < 0 || start >= n ? Object() : a[static_cast<size_t>(start)];
    length = index_arg(c.args[1]);
  }
  if (start < 0 || start > n || length < 0) return Object();
  auto end = std::min(n, start + length);
  return Object::array(Array(a.begin() + start, a.begin() + end));
}

// fetch(i), fetch(i, default), fetch(i) { |i| }: IndexError when out of range and nothing else given.
Object fetch(Call& c) {
  const auto& a = items(c);
  auto n = static_cast<std::int64_t>(a.size());
  std::int64_t i = index_arg(c.args[0]), at = i < 0 ? i + n : i;
  if (at >= 0 && at < n) return a[static_cast<size_t>(at)];
  if (c.block) return yield_block(c, {c.args[0]});
  if (c.args.size() > 1) return c.args[1];
  throw RubyError("IndexError", "index " + std::to_string(i) + " outside of array bounds: " + std::to_string(-n) + "..." +
                                    std::to_string(n));
}

Object set_at(Call& c) {
  auto& a = items(c);
  std::int64_t i = index_arg(c.args[0]);
  auto n = static_cast<std::int64_t>(a.size());
  if (i < 0) i += n;
  if (i < 0) throw RuntimeError("index " + std::to_string(i - n) + " too small for array; minimum: -" + std::to_string(n));
  if (i > 10'000'000) throw RuntimeError("index " + std::to_string(i) + " too big");
  refuse_cycle(c, Array{c.args[1]});
  if (i >= n) a.resize(static_cast<size_t>(i) + 1);
  a[static_cast<size_t>(i)] = c.args[1];
  return c.args[1];
}

Object push(Call& c) {
  refuse_cycle(c, c.args);
  check_array_length(items(c).size() + c.args.size());  // grown in place: no new array is checked
  for (auto& x : c.args) items(c).push_back(x);
  return c.self;
}

Object unshift(Call& c) {
  refuse_cycle(c, c.args);
  check_array_length(items(c).size() + c.args.size());
  items(c).insert(items(c).begin(), c.args.begin(), c.args.end());
  return c.self;
}

// insert(i, items...): before the item at i; a negative i counts from past the
// end (-1 appends); past the end, nil fills the gap.
Object insert(Call& c) {
  auto& a = items(c);
  std::int64_t i = index_arg(c.args[0]);
  auto n = static_cast<std::int64_t>(a.size());
  if (c.args.size() == 1) return c.self;
  if (i < 0) i += n + 1;
  if (i < 0)
    throw RubyError("IndexError", "index " + std::to_string(i - n - 1) + " too small for array; minimum: -" +
                                      std::to_string(n + 1));
  if (i > 10'000'000) throw RuntimeError("index " + std::to_string(i) + " too big");
  Array added(c.args.begin() + 1, c.args.end());
  refuse_cycle(c, added);
  check_array_length(std::max(a.size(), static_cast<size_t>(i)) + added.size());
  if (i > n) a.resize(static_cast<size_t>(i));
  a.insert(a.begin() + i, added.begin(), added.end());
  return c.self;
}

Object concat(Call& c) {
  for (const auto& other : c.args) {
    Array copy = array_arg(other);
    refuse_cycle(c, copy);
    check_array_length(items(c).size() + copy.size());
    items(c).insert(items(c).end(), copy.begin(), copy.end());
  }
  return c.self;
}

// pop and shift, with or without a count.
Object take_off(Call& c) {
  auto& a = items(c);
  bool front = c.name == "shift";
  if (c.args.empty()) {
    if (a.empty()) return Object();
    Object x = front ? a.front() : a.back();
    if (front) a.erase(a.begin());
    else a.pop_back();
    return x;
  }
  auto n = std::min(a.size(), static_cast<size_t>(std::max<std::int64_t>(0, index_arg(c.args[0]))));
  auto from = front ? a.begin() : a.end() - static_cast<std::ptrdiff_t>(n);
  Array out(from, from + static_cast<std::ptrdiff_t>(n));
  a.erase(from, from + static_cast<std::ptrdiff_t>(n));
  return Object::array(std::move(out));
}

Object plus(Call& c) {
  const auto& b = array_arg(c.args[0]);
  check_array_length(items(c).size() + b.size());  // before the copy is made
  Array out = items(c);
  out.insert(out.end(), b.begin(), b.end());
  return Object::array(std::move(out));
}

Object minus(Call& c) {
  const auto& b = array_arg(c.args[0]);
  Array out;
  for (const auto& x : items(c))
    if (!contains(b, x)) out.push_back(x);
  return Object::array(std::move(out));
}

// & and |: set intersection and union, in the receiver's order.
Object set_op(Call& c) {
  const auto& b = array_arg(c.args[0]);
  Array out;
  auto add = [&](const Object& x) {
    if (!contains(out, x)) out.push_back(x);
  };
  for (const auto& x : items(c))
    if (c.name == "|" || contains(b, x)) add(x);
  if (c.name == "|")
    for (const auto& x : b) add(x);
  return Object::array(std::move(out));
}

Object times(Call& c) {
  if (auto sep = c.args[0].get<std::string>()) {
    std::vector<std::string> parts;
    for (const auto& x : items(c)) parts.push_back(to_s(x));
    return Object(fw::join(parts, *sep));
  }
  std::int64_t n = index_arg(c.args[0]);
  if (n < 0) throw RuntimeError("negative argument");
  if (static_cast<double>(items(c).size()) * static_cast<double>(n) > 10e6) throw RuntimeError("argument too big");
  Array out;
  for (std::int64_t i = 0; i < n; ++i) out.insert(out.end(), items(c).begin(), items(c).end());
  return Object::array(std::move(out));
}

Object reverse(Call& c) { return Object::array(Array(items(c).rbegin(), items(c).rend())); }

Object rotate(Call& c) {
  Array out = items(c);
  if (out.empty()) return Object::array(std::move(out));
  auto n = static_cast<std::int64_t>(out.size());
  std::int64_t k = c.args.empty() ? 1 : index_arg(c.args[0]);
  k = ((k % n) + n) % n;
  std::rotate(out.begin(), out.begin() + k, out.end());
  return Object::array(std::move(out));
}

Object join(Call& c) {
  std::vector<std::string> parts;
  std::function<void(const Array&)> walk = [&](const Array& a) {
    for (const auto& x : a) {
      if (auto inner = x.get<Ref<Array>>()) walk(**inner);
      else parts.push_back(to_s(x));
    }
  };
  walk(items(c));
  return Object(fw::join(parts, c.args.empty() || c.args[0].is_nil() ? "" : to_s(c.args[0])));
}

void flatten_into(const Array& a, Array& out, std::int64_t depth) {
  for (const auto& x : a) {
    auto inner = x.get<Ref<Array>>();
    if (inner && depth != 0) flatten_into(**inner, out, depth - 1);
    else out.push_back(x);
  }
}

Object flatten(Call& c) {
  Array out;
  flatten_into(items(c), out, c.args.empty() ? -1 : index_arg(c.args[0]));
  return Object::array(std::move(out));
}

Object compact(Call& c) {
  Array out;
  for (const auto& x : items(c))
    if (!x.is_nil()) out.push_back(x);
  return Object::array(std::move(out));
}

// ActiveSupport's Enumerable#pluck: each item's [key] (records and hashes
// alike); with several keys, an array of them an item.
Object pluck(Call& c) {
  Array list = items(c), out;
  std::vector<Object> key(1);
  auto read = [&](const Object& item, const Object& k) {
    key[0] = k;
    return c.in.call(item, "[]", key);
  };
  for (const auto& item : list) {
    if (c.args.size() == 1) {
      out.push_back(read(item, c.args[0]));
      continue;
    }
    Array row;
    for (const auto& k : c.args) row.push_back(read(item, k));
    out.push_back(Object::array(std::move(row)));
  }
  return Object::array(std::move(out));
}

Object index_of(Call& c) {
  const auto& a = items(c);
  if (c.args.empty()) return enumerable(c);  // index { |x| ... }
  auto it = std::find_if(a.begin(), a.end(), [&](const Object& x) { return equal(x, c.args[0]); });
  return it == a.end() ? Object() : Object(static_cast<std::int64_t>(it - a.begin()));
}

Object remove(Call& c) {
  auto& a = items(c);
  auto before = a.size();
  a.erase(std::remove_if(a.begin(), a.end(), [&](const Object& x) { return equal(x, c.args[0]); }), a.end());
  return a.size() == before ? Object() : c.args[0];
}

Object delete_at(Call& c) {
  auto& a = items(c);
  std::int64_t i = index_arg(c.args[0]);
  auto n = static_cast<std::int64_t>(a.size());
  if (i < 0) i += n;
  if (i < 0 || i >= n) return Object();
  Object x = a[static_cast<size_t>(i)];
  a.erase(a.begin() + i);
  return x;
}

Object clear(Call& c) {
  items(c).clear();
  return c.self;
}

Object sample_first(Call& c) { return items(c).empty() ? Object() : items(c).front(); }

// The ! forms: run the plain method, put its answer in place, and give nil
// when nothing changed.
Object in_place(Call& c) {
  std::string plain = c.name == "delete_if" ? "reject" : c.name == "keep_if" ? "select" : c.name.substr(0, c.name.size() - 1);
  std::vector<Object> args = c.args;
  Object result = c.in.call(c.self, plain, args, c.block);
  auto& a = items(c);
  const Array& changed = array_arg(result);
  bool same = changed.size() == a.size() &&
              std::equal(changed.begin(), changed.end(), a.begin(), [](const Object& x, const Object& y) { return equal(x, y); });
  Array copy = changed;
  a = std::move(copy);
  bool always = c.name == "map!" || c.name == "collect!" || c.name == "sort!" || c.name == "sort_by!" ||
                c.name == "reverse!" || c.name == "delete_if" || c.name == "keep_if";
  return same && !always ? Object() : c.self;
}

Object dup(Call& c) { return Object::array(items(c)); }

// cycle(n) { }: the items n times over; cycle { } forever (until break); cycle alone: an endless Enumerator.
Object cycle(Call& c) {
  Array once = items(c);
  if (c.args.empty() && !c.block) return Object(make_ref<Enumerator>(Enumerator{once}));
  std::int64_t rounds = c.args.empty() || c.args[0].is_nil() ? -1 : index_arg(c.args[0]);
  Array out;
  for (std::int64_t round = 0; rounds < 0 || round < rounds; ++round) {
    if (once.empty()) break;
    for (const auto& x : once) {
      if (c.block) yield_block(c, {x});
      else out.push_back(x), check_array_length(out.size());
    }
  }
  return c.block ? Object() : Object::array(std::move(out));
}

// bsearch { |x| x >= 6 }: the first item the block is true for (find-minimum),
// or, when the block gives numbers, one it gives 0 for (find-any).
Object bsearch(Call& c) {
  const Array& a = items(c);
  size_t low = 0, high = a.size();
  std::optional<Object> found;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    Object answer = yield_block(c, {a[mid]});
    if (auto n = answer.get<std::int64_t>()) {
      if (*n == 0) return a[mid];
      if (*n < 0) high = mid;
      else low = mid + 1;
    } else if (answer.truthy()) {
      found = a[mid];
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return found.value_or(Object());
}

// [[1, 2], [3, 4]].transpose: [[1, 3], [2, 4]].
Object transpose(Call& c) {
  const Array& rows = items(c);
  if (rows.empty()) return Object::array({});
  size_t width = array_arg(rows[0]).size();
  std::vector<Array> columns(width);
  for (const auto& row : rows) {
    const Array& r = array_arg(row);
    if (r.size() != width)
      throw RuntimeError("element size differs (" + std::to_string(r.size()) + " should be " + std::to_string(width) + ")");
    for (size_t i = 0; i < width; ++i) columns[i].push_back(r[i]);
  }
  Array out;
  for (auto& column : columns) out.push_back(Object::array(std::move(column)));
  return Object::array(std::move(out));
}

// values_at(0, -1, 1..2): the items at each index (nil past the end), a range's each in turn.
Object values_at(Call& c) {
  const auto& a = items(c);
  auto n = static_cast<std::int64_t>(a.size());
  auto item = [&](std::int64_t i) { return i < 0 || i >= n ? Object() : a[static_cast<size_t>(i)]; };
  Array out;
  for (const auto& arg : c.args) {
    if (auto r = arg.get<Ref<Range>>()) {
      std::int64_t first = (*r)->first.is_nil() ? 0 : index_arg((*r)->first);
      std::int64_t last = (*r)->last.is_nil() ? n - 1 : index_arg((*r)->last);
      if (first < 0) first += n;
      if (last < 0) last += n;
      if ((*r)->exclusive && !(*r)->last.is_nil()) --last;
      if (first < 0) throw RubyError("RangeError", inspect(arg) + " out of range");
      for (std::int64_t i = first; i <= last; ++i) out.push_back(item(i));
    } else {
      std::int64_t i = index_arg(arg);
      out.push_back(item(i < 0 ? i + n : i));
    }
  }
  return Object::array(std::move(out));
}

// product(other, ...): every combination of one item from each, in order.
Object product(Call& c) {
  std::vector<const Array*> factors{&items(c)};
  for (const auto& arg : c.args) factors.push_back(&array_arg(arg));
  Array out;
  Array row;
  std::function<void(size_t)> walk = [&](size_t k) {
    if (k == factors.size()) return out.push_back(Object::array(row));
    for (const auto& x : *factors[k]) {
      row.push_back(x);
      walk(k + 1);
      row.pop_back();
    }
  };
  walk(0);
  return Object::array(std::move(out));
}

// combination(n): each way to choose n items, in order; yielded to the block, or as an array.
Object combination(Call& c) {
  Array all = items(c);
  std::int64_t n = int_arg(c.args[0], "combination");
  Array out;
  if (n >= 0 && n <= static_cast<std::int64_t>(all.size())) {
    Array chosen;
    std::function<void(size_t)> choose = [&](size_t from) {
      if (chosen.size() == static_cast<size_t>(n)) return out.push_back(Object::array(chosen));
      for (size_t i = from; i + (static_cast<size_t>(n) - chosen.size()) <= all.size(); ++i) {
        chosen.push_back(all[i]);
        choose(i + 1);
        chosen.pop_back();
      }
    };
    choose(0);
  }
  if (!c.block) return Object::array(std::move(out));
  for (const auto& x : out) yield_block(c, {x});
  return c.self;
}

}  // namespace

const std::vector<Method>& methods::array() {
  static const std::vector<Method> table = {
      {"size", "length", 0, 0, Returns::Integer, "the number of items", size, kReads},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no items", empty, kReads},
      {"last", "", 0, 1, Returns::Any, "the last item, or the last n", last, kReads},
      {"to_a", "", 0, 0, Returns::Self, "itself", to_a, kReads},
      {"[]", "slice", 1, 2, Returns::Any, "the item at an index (negative counts from the end), or a[start, n], a[range]",
       at},
      {"[]=", "", 2, 2, Returns::Any, "sets the item at an index", set_at},
      {"fetch", "", 1, 2, Returns::Any, "the item at an index; raises IndexError (or gives the default) when there is none",
       fetch},
      {"<<", "push append", 1, kAnyNumber, Returns::Self, "adds items at the end", push},
      {"unshift", "prepend", 1, kAnyNumber, Returns::Self, "adds items at the front", unshift},
      {"insert", "", 1, kAnyNumber, Returns::Self, "adds items before the one at an index", insert},
      {"concat", "", 1, kAnyNumber, Returns::Self, "adds the items of other arrays at the end", concat},
      {"pop", "", 0, 1, Returns::Any, "removes and gives the last item (or the last n)", take_off},
      {"shift", "", 0, 1, Returns::Any, "removes and gives the first item (or the first n)", take_off},
      {"+", "", 1, 1, Returns::Array, "the items of both arrays", plus},
      {"-", "difference", 1, 1, Returns::Array, "the items not in the other array", minus},
      {"&", "intersection", 1, 1, Returns::Array, "the items in both, without repeats", set_op},
      {"|", "union", 1, 1, Returns::Array, "the items in either, without repeats", set_op},
      {"*", "", 1, 1, Returns::Any, "repeated n times; with a string, joined by it", times},
      {"reverse", "", 0, 0, Returns::Array, "the items in reverse order", reverse, kReads},
      {"rotate", "", 0, 1, Returns::Array, "the items turned n places to the left", rotate},
      {"join", "", 0, 1, Returns::String, "the items as strings, with a separator between them", join},
      {"flatten", "", 0, 1, Returns::Array, "nested arrays spread into one", flatten, kReads},
      {"compact", "", 0, 0, Returns::Array, "without nils", compact, kReads},
      {"pluck", "", 1, kAnyNumber, Returns::Array, "each item's [key] (ActiveSupport); several keys give an array an item",
       pluck},
      {"index", "find_index", 0, 1, Returns::Integer, "the index of the first item == the argument, or nil", index_of},
      {"delete", "", 1, 1, Returns::Any, "removes every item == the argument; gives it, or nil", remove},
      {"delete_at", "", 1, 1, Returns::Any, "removes and gives the item at an index", delete_at},
      {"clear", "", 0, 0, Returns::Self, "removes every item", clear},
      {"dig", "", 1, kAnyNumber, Returns::Any, "follows indexes and keys into nested arrays and hashes", dig},
      {"sample", "", 0, 0, Returns::Any, "an item (the first: fwitter's runs are repeatable)", sample_first},
      {"dup", "clone", 0, 0, Returns::Array, "a copy", dup, kReads},
      {"cycle", "", 0, 1, Returns::Any, "the items over and over (n times); alone, an endless Enumerator: cycle.first(5)", cycle},
      {"bsearch", "", 0, 0, Returns::Any, "in a sorted array, the first item the block is true for", bsearch},
      {"transpose", "", 0, 0, Returns::Array, "rows as columns: [[1, 2], [3, 4]] -> [[1, 3], [2, 4]]", transpose},
      {"values_at", "", 0, kAnyNumber, Returns::Array, "the items at these indexes (or ranges); nil past the end", values_at},
      {"product", "", 0, kAnyNumber, Returns::Array, "every pairing of an item with one of each other array", product},
      {"combination", "", 1, 1, Returns::Array, "each way to choose n of the items, in order", combination},
      {"map!", "collect!", 0, 0, Returns::Self, "map, in place", in_place},
      {"select!", "filter! keep_if", 0, 0, Returns::Self, "select, in place", in_place},
      {"reject!", "delete_if", 0, 0, Returns::Self, "reject, in place", in_place},
      {"sort!", "", 0, 0, Returns::Self, "sort, in place", in_place},
      {"sort_by!", "", 0, 0, Returns::Self, "sort_by, in place", in_place},
      {"uniq!", "", 0, 0, Returns::Self, "uniq, in place; nil when there were no repeats", in_place},
      {"compact!", "", 0, 0, Returns::Self, "compact, in place; nil when there were no nils", in_place},
      {"flatten!", "", 0, 1, Returns::Self, "flatten, in place", in_place},
      {"reverse!", "", 0, 0, Returns::Self, "reverse, in place", in_place},
  };
  return table;
}

}  // namespace fw::lang

// What arrays, hashes, ranges and relations share, as Ruby's Enumerable:
// each works on the receiver's elements (a relation's records, a hash's
// [key, value] pairs, a range's integers). A method that takes a block and
// is called without one gives the elements it would have yielded, as an
// array (where Ruby gives an Enumerator): `4.times.map { }` and
// `each_with_index.map { |t, i| }` read as in Ruby.
#include <algorithm>
#include <cmath>
#include <optional>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

constexpr std::int64_t kMaxRange = 10'000'000;  // elements a range may expand to

Array range_elements(const Range& r) {
  if (auto from = r.first.get<std::string>()) {  // "a".."e", "aa".."ad": String#succ up to the end, as String#upto
    auto to = r.last.get<std::string>();
    if (!to) throw RuntimeError("cannot convert endless range to an array");
    Array out;
    if (from->size() > to->size()) return out;
    for (std::string s = *from; s.size() <= to->size(); s = string_succ(s)) {
      if (s == *to) {
        if (!r.exclusive) out.push_back(Object(s));
        break;
      }
      out.push_back(Object(s));
      if (static_cast<std::int64_t>(out.size()) >= kMaxRange) throw RuntimeError("range too large to expand (over 10 million)");
    }
    return out;
  }
  auto first = r.first.get<std::int64_t>();
  auto last = r.last.get<std::int64_t>();
  if (!first) throw type_error("can't iterate from " + class_name(r.first));
  if (!last) throw RuntimeError("cannot convert endless range to an array");
  std::int64_t end = r.exclusive ? *last - 1 : *last;
  if (end >= *first && end - *first >= kMaxRange) throw RuntimeError("range too large to expand (over 10 million)");
  Array out;
  if (end >= *first) out.reserve(static_cast<size_t>(end - *first + 1));
  for (std::int64_t i = *first; i <= end; ++i) out.push_back(Object(i));
  return out;
}

Object yield1(Call& c, const Object& x) { return yield_block(c, {x}); }

// A range of integers' first and last element (its end included when it
// excludes it), or nothing when an end is not an Integer.
std::optional<std::pair<std::int64_t, std::int64_t>> integer_span(const Range& r) {
  auto first = r.first.get<std::int64_t>(), last = r.last.get<std::int64_t>();
  if (!first || !last) return std::nullopt;
  return std::pair{*first, r.exclusive ? *last - 1 : *last};
}

// How many elements each_element will give, where that is known before
// (an array, a range of integers), else 0: what a result reserves.
size_t known_size(const Call& c) {
  if (auto a = c.self.get<Ref<Array>>()) return (*a)->size();
  if (auto r = c.self.get<Ref<Range>>()) {
    auto span = integer_span(**r);
    if (!span) return 0;
    auto [first, end] = *span;
    return end >= first && end - first < kMaxRange ? static_cast<size_t>(end - first + 1) : 0;
  }
  return 0;
}

// Calls `f` with each element, without a copy of them all: an array's read by
// place as it is now (a block may change the array, as Ruby's each allows), a
// range of integers counted; the rest (a hash's pairs, a relation's records)
// from elements(). `f` returns false to stop.
template <typename F> void each_element(Call& c, F&& f) {
  if (auto a = c.self.get<Ref<Array>>()) {
    Ref<Array> items = *a;  // alive while the block runs, whatever it assigns
    for (size_t i = 0; i < items->size(); ++i) {
      Object x = (*items)[i];  // a copy: the block may grow the array and move its items
      if (!f(x)) return;
    }
    return;
  }
  if (auto r = c.self.get<Ref<Range>>()) {
    if (auto span = integer_span(**r)) {
      for (std::int64_t i = span->first; i <= span->second; ++i)
        if (!f(Object(i))) return;
      return;
    }
  }
  for (const auto& x : elements(c))
    if (!f(x)) return;
}

bool matches(Call& c, const Object& x) {
  if (!c.args.empty()) return equal(c.args[0], x);
  return c.block ? yield1(c, x).truthy() : x.truthy();
}

Object each(Call& c) {
  if (!c.block) return Object::array(elements(c));
  if (c.self.is<RelationPtr>() || c.self.is<ModelRef>()) {  // streams: no array of every record
    store(c).queries().each(relation_of(c), [&](const model::RecordPtr& r) { yield1(c, Object::record(r)); });
    return c.self;
  }
  each_element(c, [&](const Object& x) { return yield1(c, x), true; });
  return c.self;
}

Object each_with_index(Call& c) {
  Array pairs;
  std::int64_t i = 0;
  each_element(c, [&](const Object& x) {
    if (c.block) yield_block(c, {x, Object(i++)});
    else pairs.push_back(Object::array({x, Object(i++)}));
    return true;
  });
  return c.block ? c.self : Object::array(std::move(pairs));
}

Object each_with_object(Call& c) {
  if (!c.block) return Object::array(elements(c));
  each_element(c, [&](const Object& x) { return yield_block(c, {x, c.args[0]}), true; });
  return c.args[0];
}

Object map(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Array out;
  out.reserve(known_size(c));
  each_element(c, [&](const Object& x) { return out.push_back(yield1(c, x)), true; });
  return Object::array(std::move(out));
}

Object flat_map(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Array out;
  each_element(c, [&](const Object& x) {
    Object y = yield1(c, x);
    if (auto a = y.get<Ref<Array>>()) out.insert(out.end(), (*a)->begin(), (*a)->end());
    else out.push_back(y);
    return true;
  });
  return Object::array(std::move(out));
}

Object filter_map(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Array out;
  each_element(c, [&](const Object& x) {
    if (Object y = yield1(c, x); y.truthy()) out.push_back(y);
    return true;
  });
  return Object::array(std::move(out));
}

Object select(Call& c) {
  if (!c.block) return Object::array(elements(c));
  bool keep = c.name != "reject";
  Array out;
  each_element(c, [&](const Object& x) {
    if (yield1(c, x).truthy() == keep) out.push_back(x);
    return true;
  });
  return Object::array(std::move(out));
}

Object partition(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Array yes, no;
  each_element(c, [&](const Object& x) { return (yield1(c, x).truthy() ? yes : no).push_back(x), true; });
  return Object::array({Object::array(std::move(yes)), Object::array(std::move(no))});
}

Object detect(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Object found;
  each_element(c, [&](const Object& x) { return yield1(c, x).truthy() ? (found = x, false) : true; });
  return found;
}

Object find_index(Call& c) {
  auto items = elements(c);
  for (size_t i = 0; i < items.size(); ++i)
    if (matches(c, items[i])) return Object(static_cast<std::int64_t>(i));
  return Object();
}

// Sorts by keys computed once each, stably, as Ruby's sort_by does.
Array sorted_by_keys(Array items, const Array& keys) {
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return compare(keys[a], keys[b]) < 0; });
  Array out;
  out.reserve(order.size());
  for (size_t i : order) out.push_back(items[i]);
  return out;
}

Array keys_of(Call& c, const Array& items) {
  Array keys;
  keys.reserve(items.size());
  for (const auto& x : items) keys.push_back(yield1(c, x));
  return keys;
}

Object sort_by(Call& c) {
  auto items = elements(c);
  if (!c.block) return Object::array(std::move(items));
  auto keys = keys_of(c, items);
  return Object::array(sorted_by_keys(std::move(items), keys));
}

Object sort(Call& c) {
  auto items = elements(c);
  std::stable_sort(items.begin(), items.end(), [&](const Object& a, const Object& b) {
    if (!c.block) return compare(a, b) < 0;
    Object r = yield_block(c, {a, b});
    auto i = r.get<std::int64_t>();
    if (!i) throw RuntimeError("comparison of " + class_name(a) + " with " + class_name(b) + " failed");
    return *i < 0;
  });
  return Object::array(std::move(items));
}

// min(n), max(n), min_by(n) { }, max_by(n) { }: the n least (or greatest), in that order.
Object extremes(Call& c, Array items, bool max, bool by) {
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  if (n < 0) throw RuntimeError("negative size (" + std::to_string(n) + ")");
  std::vector<Object> keys;
  keys.reserve(items.size());
  for (const auto& x : items) keys.push_back(by ? yield1(c, x) : x);
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The n first of a stable sort: equal keys keep their order.
  auto first = order.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(order.size(), static_cast<size_t>(n)));
  std::partial_sort(order.begin(), first, order.end(), [&](size_t a, size_t b) {
    int cmp = !by && c.block ? static_cast<int>(int_arg(yield_block(c, {keys[a], keys[b]}), "the block of min/max"))
                             : compare(keys[a], keys[b]);
    return cmp != 0 ? (max ? cmp > 0 : cmp < 0) : a < b;
  });
  Array out;
  for (size_t i = 0; i < order.size() && static_cast<std::int64_t>(i) < n; ++i) out.push_back(items[order[i]]);
  return Object::array(std::move(out));
}

// min_by and max_by: the first element with the least (or greatest) key.
Object extreme_by(Call& c) {
  auto items = elements(c);
  if (!c.block) return Object::array(std::move(items));
  bool max = c.name == "max_by";
  if (!c.args.empty()) return extremes(c, std::move(items), max, true);
  Object best, best_key;
  for (const auto& x : items) {
    Object key = yield1(c, x);
    if (best_key.is_nil() && best.is_nil()) {
      best = x, best_key = key;
      continue;
    }
    int cmp = compare(key, best_key);
    if (max ? cmp > 0 : cmp < 0) best = x, best_key = key;
  }
  return best;
}

Object extreme(Call& c) {
  auto items = elements(c);
  bool max = c.name == "max";
  if (!c.args.empty()) return extremes(c, std::move(items), max, false);
  Object best;
  bool first = true;
  for (const auto& x : items) {
    int cmp = first ? 0 : c.block ? int_arg(yield_block(c, {x, best}), "the block of min/max") : compare(x, best);
    if (first || (max ? cmp > 0 : cmp < 0)) best = x;
    first = false;
  }
  return best;
}

Object minmax(Call& c) {
  auto items = elements(c);
  if (items.empty()) return Object::array({Object(), Object()});
  Object lo = items[0], hi = items[0];
  for (const auto& x : items) {
    if (compare(x, lo) < 0) lo = x;
    if (compare(x, hi) > 0) hi = x;
  }
  return Object::array({lo, hi});
}

// The value for `key` in `h`, inserted as `start` when missing.
Object& slot(Hash& h, const Object& key, const Object& start) {
  if (Object* found = h.find(key)) return *found;
  return h.set(key, start);
}

Object group_by(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Hash groups;
  each_element(c, [&](const Object& x) {
    Object& group = slot(groups, yield1(c, x), Object::array({}));
    (*group.get<Ref<Array>>())->push_back(x);
    return true;
  });
  for (auto& [key, group] : groups) (*group.get<Ref<Array>>())->shrink_to_fit();  // not up to twice their size
  return Object::hash(std::move(groups));
}

Object tally(Call& c) {
  Hash counts;
  each_element(c, [&](const Object& x) {
    Object& n = slot(counts, x, Object(std::int64_t{0}));
    n = Object(*n.get<std::int64_t>() + 1);
    return true;
  });
  return Object::hash(std::move(counts));
}

Object uniq(Call& c) {
  Array out;
  Hash seen;  // as Ruby's uniq: keys told apart by hash and eql?
  each_element(c, [&](const Object& x) {
    Object key = c.block ? yield1(c, x) : x;
    if (!seen.find(key)) {
      seen.set(key, Object(true));
      out.push_back(x);
    }
    return true;
  });
  return Object::array(std::move(out));
}

Object add(Call& c, const Object& a, const Object& b) {
  std::vector<Object> one{b};
  return c.in.call(a, "+", one);
}

// Floats are added with Kahan-Babuska compensation, as Ruby's sum does:
// [0.1, 0.2, 0.3].sum is 0.6.
Object sum(Call& c) {
  Object total = c.args.empty() ? Object(std::int64_t{0}) : c.args[0];
  double compensation = 0.0;
  bool compensated = false;
  each_element(c, [&](const Object& x) {
    Object v = c.block ? yield1(c, x) : x;
    auto t = total.get<double>();
    auto d = v.get<double>();
    if (t && (d || v.is<std::int64_t>())) {
      double y = d ? *d : static_cast<double>(*v.get<std::int64_t>());
      double s = *t + y;
      compensation += std::fabs(*t) >= std::fabs(y) ? (*t - s) + y : (y - s) + *t;
      total = Object(s), compensated = true;
      return true;
    }
    total = add(c, total, v);
    return true;
  });
  if (compensated) total = Object(*total.get<double>() + compensation);
  return total;
}

Object count(Call& c) {
  auto items = elements(c);
  if (c.args.empty() && !c.block) return Object(static_cast<std::int64_t>(items.size()));
  return Object(static_cast<std::int64_t>(std::count_if(items.begin(), items.end(), [&](const Object& x) { return matches(c, x); })));
}

Object any(Call& c) {
  auto items = elements(c);
  const auto& n = c.name;
  auto test = [&](const Object& x) { return matches(c, x); };
  if (n == "any?") return Object(std::any_of(items.begin(), items.end(), test));
  if (n == "all?") return Object(std::all_of(items.begin(), items.end(), test));
  if (n == "none?") return Object(std::none_of(items.begin(), items.end(), test));
  return Object(std::count_if(items.begin(), items.end(), test) == 1);  // one?
}

// inject(init) { |memo, x| }, inject(:+), inject(init, :+), inject { }
Object inject(Call& c) {
  Object op;
  Object memo;
  bool have_memo = false;
  if (c.args.size() == 2) memo = c.args[0], op = c.args[1], have_memo = true;
  else if (c.args.size() == 1 && c.args[0].is<Symbol>() && !c.block) op = c.args[0];
  else if (c.args.size() == 1) memo = c.args[0], have_memo = true;
  each_element(c, [&](const Object& x) {
    if (!have_memo) {
      memo = x, have_memo = true;
    } else if (auto s = op.get<Symbol>()) {
      std::vector<Object> one{x};
      memo = c.in.call(memo, s->name(), one);
    } else if (c.block) {
      memo = yield_block(c, {memo, x});
    } else {
      throw RuntimeError("inject takes a block or a method name (inject(:+))");
    }
    return true;
  });
  return memo;
}

std::int64_t count_arg(Call& c, size_t i) {
  std::int64_t n = int_arg(c.args[i], c.name.c_str());
  if (n < 0) throw RuntimeError(c.name == "first" || c.name == "last" ? "negative array size" : "attempt to take negative size");
  return n;
}

Object first(Call& c) {
  auto items = elements(c);
  if (c.args.empty()) return items.empty() ? Object() : items.front();
  auto n = static_cast<size_t>(std::min<std::int64_t>(count_arg(c, 0), static_cast<std::int64_t>(items.size())));
  return Object::array(Array(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(n)));
}

Object drop(Call& c) {
  auto items = elements(c);
  auto n = static_cast<size_t>(std::min<std::int64_t>(count_arg(c, 0), static_cast<std::int64_t>(items.size())));
  return Object::array(Array(items.begin() + static_cast<std::ptrdiff_t>(n), items.end()));
}

Object take_while(Call& c) {
  auto items = elements(c);
  bool take = c.name == "take_while";
  size_t i = 0;
  while (i < items.size() && c.block && yield1(c, items[i]).truthy()) ++i;
  auto cut = items.begin() + static_cast<std::ptrdiff_t>(i);
  return Object::array(take ? Array(items.begin(), cut) : Array(cut, items.end()));
}

// chunk_while { |a, b| }: runs of elements, a new run where the block is false
// for two neighbours; slice_when: where it is true.
Object chunk_while(Call& c) {
  Array items = elements(c), out, run;
  bool split_when = c.name == "slice_when";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0 && yield_block(c, {items[i - 1], items[i]}).truthy() == split_when) {
      out.push_back(Object::array(std::move(run)));
      run.clear();
    }
    run.push_back(items[i]);
  }
  if (!run.empty()) out.push_back(Object::array(std::move(run)));
  return Object::array(std::move(out));
}

Object each_slice(Call& c) {
  auto items = elements(c);
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  if (n <= 0) throw RuntimeError("invalid slice size");
  bool cons = c.name == "each_cons";
  Array groups;
  auto size = static_cast<size_t>(n);
  for (size_t i = 0; cons ? i + size <= items.size() : i < items.size(); i += cons ? 1 : size) {
    auto end = std::min(items.size(), i + size);
    groups.push_back(Object::array(Array(items.begin() + static_cast<std::ptrdiff_t>(i), items.begin() + static_cast<std::ptrdiff_t>(end))));
  }
  if (!c.block) return Object::array(std::move(groups));
  for (const auto& g : groups) yield1(c, g);
  return c.self;
}

Object zip(Call& c) {
  auto items = elements(c);
  Array out;
  for (size_t i = 0; i < items.size(); ++i) {
    Array row{items[i]};
    for (const auto& other : c.args) {
      auto a = other.get<Ref<Array>>();
      if (!a) throw type_error("wrong argument type " + class_name(other) + " (must respond to :each)");
      row.push_back(i < (*a)->size() ? (**a)[i] : Object());
    }
    out.push_back(Object::array(std::move(row)));
  }
  return Object::array(std::move(out));
}

Object to_a(Call& c) { return Object::array(elements(c)); }

Object to_h(Call& c) {
  Hash out;
  for (const auto& x : elements(c)) {
    Object pair = c.block ? yield1(c, x) : x;
    auto a = pair.get<Ref<Array>>();
    if (!a || (*a)->size() != 2)
      throw type_error("wrong element type " + class_name(pair) + " (expected array of 2 elements)");
    slot(out, (**a)[0], Object()) = (**a)[1];
  }
  return Object::hash(std::move(out));
}

Object includes(Call& c) {
  auto items = elements(c);
  return Object(std::any_of(items.begin(), items.end(), [&](const Object& x) { return equal(x, c.args[0]); }));
}

Object reverse_each(Call& c) {
  auto items = elements(c);
  std::reverse(items.begin(), items.end());
  if (!c.block) return Object::array(std::move(items));
  for (const auto& x : items) yield1(c, x);
  return c.self;
}

}  // namespace

Array elements(Call& c) {
  if (auto a = c.self.get<Ref<Array>>()) return **a;
  if (auto h = c.self.get<Ref<Hash>>()) {
    Array pairs;
    for (const auto& [k, v] : **h) pairs.push_back(Object::array({k, v}));
    return pairs;
  }
  if (auto r = c.self.get<Ref<Range>>()) return range_elements(**r);
  if (c.self.is<RelationPtr>() || c.self.is<ModelRef>()) {
    Array out;
    store(c).queries().each(relation_of(c), [&](const model::RecordPtr& r) { out.push_back(Object::record(r)); });
    return out;
  }
  throw type_error("undefined method 'each' for " + class_name(c.self));
}

Object enumerable(Call& c) {
  const Method* m = find_method(Kind::Enumerable, c.name);
  check_arity(*m, c.args.size());
  return m->run(c);
}

const std::vector<Method>& methods::enumerable() {
  static const std::vector<Method> table = {
      {"each", "", 0, 0, Returns::Self, "calls the block with each element", each},
      {"each_with_index", "", 0, 0, Returns::Self, "calls the block with each element and its index", each_with_index},
      {"each_with_object", "", 1, 1, Returns::Any, "calls the block with each element and the object; gives the object",
       each_with_object},
      {"map", "collect", 0, 0, Returns::Array, "the block's value for each element", map},
      {"flat_map", "collect_concat", 0, 0, Returns::Array, "the block's arrays, joined into one", flat_map},
      {"filter_map", "", 0, 0, Returns::Array, "the block's values that are not nil or false", filter_map},
      {"select", "filter", 0, 0, Returns::Array, "the elements for which the block is true", select},
      {"reject", "", 0, 0, Returns::Array, "the elements for which the block is false", select},
      {"partition", "", 0, 0, Returns::Array, "[elements the block accepts, the others]", partition},
      {"detect", "find", 0, 0, Returns::Any, "the first element for which the block is true, or nil", detect},
      {"find_index", "index", 0, 1, Returns::Integer, "the index of the first matching element, or nil", find_index},
      {"sort_by", "", 0, 0, Returns::Array, "sorted by the block's value for each element", sort_by},
      {"sort", "", 0, 0, Returns::Array, "sorted (by <=>, or by the block's answer)", sort, kReads},
      {"min_by", "", 0, 1, Returns::Any, "the element with the least block value (or the n least)", extreme_by},
      {"max_by", "", 0, 1, Returns::Any, "the element with the greatest block value (or the n greatest)", extreme_by},
      {"min", "", 0, 1, Returns::Any, "the least element (or the n least)", extreme, kReads},
      {"max", "", 0, 1, Returns::Any, "the greatest element (or the n greatest)", extreme, kReads},
      {"minmax", "", 0, 0, Returns::Array, "[least, greatest]", minmax},
      {"group_by", "", 0, 0, Returns::Hash, "block value => the elements that gave it", group_by},
      {"tally", "", 0, 0, Returns::Hash, "element => how many times it occurs", tally},
      {"uniq", "", 0, 0, Returns::Array, "without repeats (or repeats of the block's value)", uniq, kReads},
      {"sum", "", 0, 1, Returns::Any, "the elements (or the block's values) added up", sum, kReads},
      {"count", "", 0, 1, Returns::Integer, "how many elements (equal to the argument, or accepted by the block)",
       count, kReads},
      {"any?", "", 0, 1, Returns::Boolean, "whether any element is true (or accepted by the block)", any},
      {"all?", "", 0, 1, Returns::Boolean, "whether every element is true (or accepted by the block)", any},
      {"none?", "", 0, 1, Returns::Boolean, "whether no element is true (or accepted by the block)", any},
      {"one?", "", 0, 1, Returns::Boolean, "whether exactly one element is true (or accepted)", any},
      {"inject", "reduce", 0, 2, Returns::Any, "combines the elements: inject(:+), inject(0) { |sum, x| sum + x }",
       inject},
      {"first", "take", 0, 1, Returns::Any, "the first element, or the first n", first, kReads},
      {"drop", "", 1, 1, Returns::Array, "all but the first n elements", drop},
      {"take_while", "", 0, 0, Returns::Array, "the elements before the block first says false", take_while},
      {"drop_while", "", 0, 0, Returns::Array, "the elements from where the block first says false", take_while},
      {"each_slice", "", 1, 1, Returns::Array, "the elements in groups of n", each_slice},
      {"each_cons", "", 1, 1, Returns::Array, "each run of n consecutive elements", each_slice},
      {"chunk_while", "", 0, 0, Returns::Array, "runs of neighbours the block accepts: [1, 2, 4].chunk_while { |a, b| b == a + 1 }",
       chunk_while},
      {"slice_when", "", 0, 0, Returns::Array, "the elements cut where the block is true for two neighbours", chunk_while},
      {"zip", "", 1, kAnyNumber, Returns::Array, "elements paired with those of other arrays", zip},
      {"to_a", "entries", 0, 0, Returns::Array, "the elements as an array", to_a, kReads},
      {"to_h", "", 0, 0, Returns::Hash, "[key, value] pairs (or the block's pairs) as a hash", to_h, kReads},
      {"include?", "member?", 1, 1, Returns::Boolean, "whether an element is == to the argument", includes},
      {"reverse_each", "", 0, 0, Returns::Array, "calls the block with each element, last first", reverse_each},
  };
  return table;
}

}  // namespace fw::lang

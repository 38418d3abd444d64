// Arrays. What arrays share with hashes, ranges and relations (map, select,
// sum, ...) is in enumerable.cpp.
#include <algorithm>

#include "base/text.hpp"
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

Array& items(Call& c) { return **c.self.get<std::shared_ptr<Array>>(); }

// Whether `value` is, or holds somewhere inside it, the array `target`.
bool holds_array(const Object& value, const Array* target) {
  if (auto a = value.get<std::shared_ptr<Array>>()) {
    if (a->get() == target) return true;
    return std::any_of((*a)->begin(), (*a)->end(), [&](const Object& x) { return holds_array(x, target); });
  }
  if (auto h = value.get<std::shared_ptr<Hash>>())
    return std::any_of((*h)->begin(), (*h)->end(),
                       [&](const auto& kv) { return holds_array(kv.first, target) || holds_array(kv.second, target); });
  return false;
}

Object size(Call& c) { return Object(static_cast<std::int64_t>(items(c).size())); }
Object empty(Call& c) { return Object(items(c).empty()); }
Object first(Call& c) { return items(c).empty() ? Object() : items(c).front(); }
Object last(Call& c) { return items(c).empty() ? Object() : items(c).back(); }
Object to_a(Call& c) { return c.self; }

Object at(Call& c) {
  auto i = c.args[0].get<std::int64_t>();
  if (!i) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into Integer");
  auto n = static_cast<std::int64_t>(items(c).size());
  std::int64_t index = *i < 0 ? n + *i : *i;
  return index < 0 || index >= n ? Object() : items(c)[static_cast<size_t>(index)];
}

Object push(Call& c) {
  // Values are reference-counted: an array inside itself would never be freed.
  for (auto& x : c.args)
    if (holds_array(x, &items(c))) throw RuntimeError("an array cannot contain itself in fwitter");
  for (auto& x : c.args) items(c).push_back(x);
  return c.self;
}

Object plus(Call& c) {
  auto b = c.args[0].get<std::shared_ptr<Array>>();
  if (!b) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into Array");
  Array out = items(c);
  out.insert(out.end(), (*b)->begin(), (*b)->end());
  return Object::array(std::move(out));
}

Object reverse(Call& c) { return Object::array(Array(items(c).rbegin(), items(c).rend())); }

Object join(Call& c) {
  std::vector<std::string> parts;
  for (const auto& x : items(c)) parts.push_back(to_s(x));
  return Object(fw::join(parts, c.args.empty() ? "" : to_s(c.args[0])));
}

}  // namespace

const std::vector<Method>& methods::array() {
  static const std::vector<Method> table = {
      {"size", "length", 0, 0, Returns::Integer, "the number of items", size},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no items", empty},
      {"first", "", 0, 0, Returns::Any, "the first item, or nil", first},
      {"last", "", 0, 0, Returns::Any, "the last item, or nil", last},
      {"to_a", "", 0, 0, Returns::Self, "itself", to_a},
      {"[]", "", 1, 1, Returns::Any, "the item at an index (negative counts from the end)", at},
      {"<<", "push append", 1, kAnyNumber, Returns::Self, "adds items at the end", push},
      {"+", "", 1, 1, Returns::Array, "the items of both arrays", plus},
      {"reverse", "", 0, 0, Returns::Array, "the items in reverse order", reverse},
      {"join", "", 0, 1, Returns::String, "the items as strings, with a separator between them", join},
  };
  return table;
}

}  // namespace fw::lang

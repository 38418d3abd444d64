// What arrays, hashes, ranges and relations share, as Ruby's Enumerable:
// each works on the receiver's elements (a relation's records, a hash's
// [key, value] pairs).
#include <algorithm>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

// The receiver's elements.
Array elements(Call& c) {
  if (auto a = c.self.get<std::shared_ptr<Array>>()) return **a;
  if (auto h = c.self.get<std::shared_ptr<Hash>>()) {
    Array pairs;
    for (const auto& [k, v] : **h) pairs.push_back(Object::array({k, v}));
    return pairs;
  }
  Array out;
  store(c).each(relation_of(c.self), [&](const model::RecordPtr& r) { out.push_back(Object::record(r)); });
  return out;
}

Object count(Call& c) { return Object(static_cast<std::int64_t>(elements(c).size())); }
Object any(Call& c) { return Object(!elements(c).empty()); }

Object includes(Call& c) {
  auto all = elements(c);
  return Object(std::any_of(all.begin(), all.end(), [&](const Object& x) { return equal(x, c.args[0]); }));
}

Object uniq(Call& c) {
  Array out;
  for (const auto& x : elements(c))
    if (std::none_of(out.begin(), out.end(), [&](const Object& y) { return equal(x, y); })) out.push_back(x);
  return Object::array(std::move(out));
}

Object sum(Call& c) {
  Object total(std::int64_t{0});
  for (auto& x : elements(c)) {
    std::vector<Object> one{x};
    total = c.in.call(total, "+", one);
  }
  return total;
}

}  // namespace

const std::vector<Method>& methods::enumerable() {
  static const std::vector<Method> table = {
      {"count", "", 0, 0, Returns::Integer, "the number of elements", count},
      {"any?", "", 0, 0, Returns::Boolean, "whether there is any element", any},
      {"include?", "member?", 1, 1, Returns::Boolean, "whether an element is == to the argument", includes},
      {"uniq", "", 0, 0, Returns::Array, "the elements without repeats", uniq},
      {"sum", "", 0, 0, Returns::Any, "the elements added together", sum},
  };
  return table;
}

}  // namespace fw::lang

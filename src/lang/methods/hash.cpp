// Hashes, in insertion order as Ruby keeps them.
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

Hash& pairs(Call& c) { return **c.self.get<std::shared_ptr<Hash>>(); }

Object at(Call& c) {
  for (const auto& [k, v] : pairs(c))
    if (equal(k, c.args[0])) return v;
  return Object();
}

Object size(Call& c) { return Object(static_cast<std::int64_t>(pairs(c).size())); }
Object empty(Call& c) { return Object(pairs(c).empty()); }

Object keys(Call& c) {
  Array out;
  for (const auto& [k, v] : pairs(c)) out.push_back(c.name == "keys" ? k : v);
  return Object::array(std::move(out));
}

}  // namespace

const std::vector<Method>& methods::hash() {
  static const std::vector<Method> table = {
      {"[]", "", 1, 1, Returns::Any, "the value for a key, or nil", at},
      {"size", "length count", 0, 0, Returns::Integer, "the number of keys", size},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no keys", empty},
      {"keys", "", 0, 0, Returns::Array, "the keys, in order", keys},
      {"values", "", 0, 0, Returns::Array, "the values, in order", keys},
  };
  return table;
}

const std::vector<Method>& methods::range() {
  static const std::vector<Method> table = {};
  return table;
}

}  // namespace fw::lang

// Hashes, in insertion order as Ruby keeps them. Enumerable methods see
// [key, value] pairs; a block with |k, v| takes them apart.
#include <algorithm>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

Hash& pairs(Call& c) { return **c.self.get<std::shared_ptr<Hash>>(); }

Hash::iterator find(Hash& h, const Object& key) {
  return std::find_if(h.begin(), h.end(), [&](const auto& kv) { return equal(kv.first, key); });
}

const Hash& hash_of(const Object& o) {
  if (auto h = o.get<std::shared_ptr<Hash>>()) return **h;
  throw type_error("no implicit conversion of " + class_name(o) + " into Hash");
}

Object at(Call& c) {
  auto it = find(pairs(c), c.args[0]);
  return it == pairs(c).end() ? Object() : it->second;
}

Object set_at(Call& c) {
  if (c.args[1].get<std::shared_ptr<Hash>>() && c.args[1].get<std::shared_ptr<Hash>>()->get() == &pairs(c))
    throw RuntimeError("a hash cannot contain itself in fwitter");
  auto it = find(pairs(c), c.args[0]);
  if (it != pairs(c).end()) it->second = c.args[1];
  else pairs(c).push_back({c.args[0], c.args[1]});
  return c.args[1];
}

Object fetch(Call& c) {
  auto it = find(pairs(c), c.args[0]);
  if (it != pairs(c).end()) return it->second;
  if (c.block) return yield_block(c, {c.args[0]});
  if (c.args.size() > 1) return c.args[1];
  throw RuntimeError("key not found: " + inspect(c.args[0]));
}

Object size(Call& c) { return Object(static_cast<std::int64_t>(pairs(c).size())); }
Object empty(Call& c) { return Object(pairs(c).empty()); }

Object keys(Call& c) {
  Array out;
  for (const auto& [k, v] : pairs(c)) out.push_back(c.name == "keys" ? k : v);
  return Object::array(std::move(out));
}

Object has_key(Call& c) { return Object(find(pairs(c), c.args[0]) != pairs(c).end()); }

Object has_value(Call& c) {
  const auto& h = pairs(c);
  return Object(std::any_of(h.begin(), h.end(), [&](const auto& kv) { return equal(kv.second, c.args[0]); }));
}

Object key_of(Call& c) {
  for (const auto& [k, v] : pairs(c))
    if (equal(v, c.args[0])) return k;
  return Object();
}

Object remove(Call& c) {
  auto it = find(pairs(c), c.args[0]);
  if (it == pairs(c).end()) return Object();
  Object v = it->second;
  pairs(c).erase(it);
  return v;
}

Object merge(Call& c) {
  Hash out = pairs(c);
  for (const auto& other : c.args)
    for (const auto& [k, v] : hash_of(other)) {
      auto it = find(out, k);
      if (it == out.end()) out.push_back({k, v});
      else it->second = c.block ? yield_block(c, {k, it->second, v}) : v;
    }
  if (c.name == "merge!" || c.name == "update") return pairs(c) = std::move(out), c.self;
  return Object::hash(std::move(out));
}

// select, filter and reject give a hash.
Object select(Call& c) {
  if (!c.block) return Object::array(elements(c));
  bool keep = c.name != "reject";
  Hash out;
  for (const auto& [k, v] : pairs(c))
    if (yield_block(c, {k, v}).truthy() == keep) out.push_back({k, v});
  return Object::hash(std::move(out));
}

Object transform(Call& c) {
  if (!c.block) return Object::array(elements(c));
  bool values = c.name == "transform_values";
  Hash out;
  for (const auto& [k, v] : pairs(c)) {
    Object changed = yield_block(c, {values ? v : k});
    if (values) out.push_back({k, changed});
    else if (auto it = find(out, changed); it != out.end()) it->second = v;
    else out.push_back({changed, v});
  }
  return Object::hash(std::move(out));
}

Object invert(Call& c) {
  Hash out;
  for (const auto& [k, v] : pairs(c)) {
    auto it = find(out, v);
    if (it != out.end()) it->second = k;
    else out.push_back({v, k});
  }
  return Object::hash(std::move(out));
}

Object each_pair(Call& c) {
  if (!c.block) return Object::array(elements(c));
  Hash copy = pairs(c);  // the block may change the hash
  for (const auto& [k, v] : copy) yield_block(c, {k, v});
  return c.self;
}

Object each_key(Call& c) {
  Hash copy = pairs(c);
  for (const auto& [k, v] : copy) yield_block(c, {c.name == "each_key" ? k : v});
  return c.self;
}

Object to_h(Call& c) {
  if (c.block) return enumerable(c);
  return c.self;
}

Object dup(Call& c) { return Object::hash(pairs(c)); }

Object clear(Call& c) {
  pairs(c).clear();
  return c.self;
}

}  // namespace

const std::vector<Method>& methods::hash() {
  static const std::vector<Method> table = {
      {"[]", "", 1, 1, Returns::Any, "the value for a key, or nil", at},
      {"[]=", "store", 2, 2, Returns::Any, "sets the value for a key", set_at},
      {"fetch", "", 1, 2, Returns::Any, "the value for a key; raises (or gives the default) when missing", fetch},
      {"size", "length", 0, 0, Returns::Integer, "the number of keys", size},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no keys", empty},
      {"keys", "", 0, 0, Returns::Array, "the keys, in order", keys},
      {"values", "", 0, 0, Returns::Array, "the values, in order", keys},
      {"key?", "has_key? include? member?", 1, 1, Returns::Boolean, "whether the key is there", has_key},
      {"value?", "has_value?", 1, 1, Returns::Boolean, "whether a value is there", has_value},
      {"key", "", 1, 1, Returns::Any, "the first key with this value, or nil", key_of},
      {"delete", "", 1, 1, Returns::Any, "removes a key; gives its value, or nil", remove},
      {"merge", "", 0, kAnyNumber, Returns::Hash, "with the pairs of other hashes (theirs win)", merge},
      {"merge!", "update", 0, kAnyNumber, Returns::Self, "merge, in place", merge},
      {"select", "filter", 0, 0, Returns::Hash, "the pairs the block accepts", select},
      {"reject", "", 0, 0, Returns::Hash, "the pairs the block refuses", select},
      {"transform_values", "", 0, 0, Returns::Hash, "each value replaced by the block's answer", transform},
      {"transform_keys", "", 0, 0, Returns::Hash, "each key replaced by the block's answer", transform},
      {"invert", "", 0, 0, Returns::Hash, "values as keys, keys as values", invert},
      {"each", "each_pair", 0, 0, Returns::Self, "calls the block with each key and value", each_pair},
      {"each_key", "", 0, 0, Returns::Self, "calls the block with each key", each_key},
      {"each_value", "", 0, 0, Returns::Self, "calls the block with each value", each_key},
      {"to_h", "", 0, 0, Returns::Hash, "itself (or the block's pairs as a hash)", to_h},
      {"dig", "", 1, kAnyNumber, Returns::Any, "follows keys into nested hashes and arrays", dig},
      {"dup", "clone", 0, 0, Returns::Hash, "a copy", dup},
      {"clear", "", 0, 0, Returns::Self, "removes every key", clear},
  };
  return table;
}

}  // namespace fw::lang

// Hashes, in insertion order as Ruby keeps them. Enumerable methods see
// [key, value] pairs; a block with |k, v| takes them apart.
#include <algorithm>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

Hash& pairs(Call& c) { return **c.self.get<Ref<Hash>>(); }

const Hash& hash_of(const Object& o) {
  if (auto h = o.get<Ref<Hash>>()) return **h;
  throw type_error("no implicit conversion of " + class_name(o) + " into Hash");
}

// h[k]: a missing key gives the default (Hash.new(0)), or the default block's answer.
Object at(Call& c) {
  Hash& h = pairs(c);
  if (const Object* v = h.find(c.args[0])) return *v;
  if (!h.default_proc.is_nil()) return c.in.yield(h.default_proc, {c.self, c.args[0]});
  return h.default_value;
}

Object set_at(Call& c) {
  if (c.args[1].get<Ref<Hash>>() && c.args[1].get<Ref<Hash>>()->get() == &pairs(c))
    throw RuntimeError("a hash cannot contain itself in fwitter");
  pairs(c).set(c.args[0], c.args[1]);
  return c.args[1];
}

Object fetch(Call& c) {
  if (const Object* v = pairs(c).find(c.args[0])) return *v;
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

Object has_key(Call& c) { return Object(pairs(c).find(c.args[0]) != nullptr); }

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
  Object v;
  if (!pairs(c).erase(c.args[0], &v) && c.block) return yield_block(c, {c.args[0]});
  return v;
}

Object merge(Call& c) {
  bool in_place = c.name == "merge!" || c.name == "update";
  Object target = in_place ? c.self : Object::hash(pairs(c));
  Hash& out = **target.get<Ref<Hash>>();
  for (const auto& other : c.args) {
    Hash from = hash_of(other);  // a copy: the block may change either hash
    for (const auto& [k, v] : from) {
      Object* mine = out.find(k);
      out.set(k, mine && c.block ? yield_block(c, {k, *mine, v}) : v);
    }
  }
  return target;
}

// select, filter and reject give a hash.
Object select(Call& c) {
  if (!c.block) return Object::array(elements(c));
  bool keep = c.name != "reject";
  Hash out;
  for (const auto& pair : pairs(c)) {
    Hash::Pair kv = pair;  // a copy: a block that adds keys to the hash moves its pairs
    if (yield_block(c, {kv.first, kv.second}).truthy() == keep) out.push_back(std::move(kv));
  }
  return Object::hash(std::move(out));
}

Object transform(Call& c) {
  if (!c.block) return Object::array(elements(c));
  bool values = c.name == "transform_values";
  Hash out;
  for (const auto& pair : pairs(c)) {
    Hash::Pair kv = pair;  // a copy: a block that adds keys to the hash moves its pairs
    Object changed = yield_block(c, {values ? kv.second : kv.first});
    if (values) out.set(kv.first, changed);
    else out.set(changed, kv.second);
  }
  return Object::hash(std::move(out));
}

Object invert(Call& c) {
  Hash out;
  for (const auto& [k, v] : pairs(c)) out.set(v, k);
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

Object dup(Call& c) { return Object::hash(pairs(c)); }  // the default value and block come along, as in Ruby

Object default_of(Call& c) { return pairs(c).default_value; }

Object set_default(Call& c) {
  pairs(c).default_value = c.args[0];
  return c.args[0];
}

Object clear(Call& c) {
  pairs(c).clear();
  return c.self;
}

// select!, keep_if, reject!, delete_if: select or reject, in place; the !
// forms give nil when nothing was removed.
Object select_in_place(Call& c) {
  bool keep = c.name == "select!" || c.name == "filter!" || c.name == "keep_if";
  std::vector<Object> none;
  Object kept = c.in.call(c.self, keep ? "select" : "reject", none, c.block);
  if (!c.block) return kept;  // what select gives without a block
  Hash& h = pairs(c);
  bool removed = hash_of(kept).size() != h.size();
  Hash out = hash_of(kept);
  out.default_value = h.default_value, out.default_proc = h.default_proc;
  h = std::move(out);
  return removed || c.name == "keep_if" || c.name == "delete_if" ? c.self : Object();
}

}  // namespace

const std::vector<Method>& methods::hash() {
  static const std::vector<Method> table = {
      {"[]", "", 1, 1, Returns::Any, "the value for a key, or nil", at},
      {"[]=", "store", 2, 2, Returns::Any, "sets the value for a key", set_at},
      {"fetch", "", 1, 2, Returns::Any, "the value for a key; raises (or gives the default) when missing", fetch},
      {"size", "length", 0, 0, Returns::Integer, "the number of keys", size, kReads},
      {"empty?", "", 0, 0, Returns::Boolean, "whether it has no keys", empty, kReads},
      {"keys", "", 0, 0, Returns::Array, "the keys, in order", keys, kReads},
      {"values", "", 0, 0, Returns::Array, "the values, in order", keys, kReads},
      {"key?", "has_key? include? member?", 1, 1, Returns::Boolean, "whether the key is there", has_key},
      {"value?", "has_value?", 1, 1, Returns::Boolean, "whether a value is there", has_value},
      {"key", "", 1, 1, Returns::Any, "the first key with this value, or nil", key_of},
      {"delete", "", 1, 1, Returns::Any, "removes a key; gives its value, or nil", remove},
      {"default", "", 0, 0, Returns::Any, "what a missing key gives (Hash.new(0))", default_of},
      {"default=", "", 1, 1, Returns::Any, "sets what a missing key gives", set_default},
      {"merge", "", 0, kAnyNumber, Returns::Hash, "with the pairs of other hashes (theirs win)", merge},
      {"merge!", "update", 0, kAnyNumber, Returns::Self, "merge, in place", merge},
      {"select", "filter", 0, 0, Returns::Hash, "the pairs the block accepts", select},
      {"reject", "", 0, 0, Returns::Hash, "the pairs the block refuses", select},
      {"select!", "filter! keep_if", 0, 0, Returns::Self, "select, in place", select_in_place},
      {"reject!", "delete_if", 0, 0, Returns::Self, "reject, in place", select_in_place},
      {"transform_values", "", 0, 0, Returns::Hash, "each value replaced by the block's answer", transform},
      {"transform_keys", "", 0, 0, Returns::Hash, "each key replaced by the block's answer", transform},
      {"invert", "", 0, 0, Returns::Hash, "values as keys, keys as values", invert},
      {"each", "each_pair", 0, 0, Returns::Self, "calls the block with each key and value", each_pair},
      {"each_key", "", 0, 0, Returns::Self, "calls the block with each key", each_key},
      {"each_value", "", 0, 0, Returns::Self, "calls the block with each value", each_key},
      {"to_h", "", 0, 0, Returns::Hash, "itself (or the block's pairs as a hash)", to_h, kReads},
      {"dig", "", 1, kAnyNumber, Returns::Any, "follows keys into nested hashes and arrays", dig},
      {"dup", "clone", 0, 0, Returns::Hash, "a copy", dup, kReads},
      {"clear", "", 0, 0, Returns::Self, "removes every key", clear},
  };
  return table;
}

}  // namespace fw::lang

// includes / preload: one query per association (and per through step) for
// all the records loaded, cached on each record as ActiveRecord's preloader
// does; and reading a collection that a preload already holds.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/errors.hpp"
#include "model/store.hpp"

namespace fw::model {

const std::vector<RecordPtr>* Store::loaded(const Relation& relation) const {
  return relation.is_association() ? relation.owner()->loaded() : nullptr;
}

void Store::preload(const std::vector<RecordPtr>& records, const std::vector<AssociationTree>& associations) {
  if (records.empty()) return;
  const ModelClass& model = records.front()->model();
  for (const auto& node : associations) {
    const Reflection& r = *model.reflection(node.name);  // checked when the relation was built
    PreloadedTargets targets = load_association(records, r);
    for (size_t i = 0; i < records.size(); ++i) {
      auto& mine = targets.per_owner[i];
      if (r.is_collection()) records[i]->cache_collection(r.name, std::move(mine));
      else records[i]->targets()[r.name] = mine.empty() ? nullptr : mine.front();
    }
    preload(targets.all, node.nested);  // the next level's owners, in the order they loaded
  }
}

namespace {

// Each record's value of `key`, once each, nil left out: the values an IN lists.
std::vector<Input> distinct_keys(const std::vector<RecordPtr>& records, const std::string& key) {
  std::vector<Input> out;
  std::set<Value> seen;
  for (const auto& r : records) {
    Value v = r->get(key);
    if (!is_null(v) && seen.insert(v).second) out.push_back(v);
  }
  return out;
}

}  // namespace

// The targets of a direct association for each owner, from one query:
// SELECT "users".* FROM "users" WHERE "users"."id" IN (?, ?).
PreloadedTargets Store::load_association(const std::vector<RecordPtr>& owners, const Reflection& r,
                                          const ScopeBody& extra) {
  if (r.is_instance_dependent()) instance_dependent_scope(r);
  if (r.is_through()) return load_through(owners, r);
  if (r.macro == Macro::HasAndBelongsToMany)
    throw ModelError(fmt::format("preloading the has_and_belongs_to_many {} is not supported; use joins(:{})", r.name,
                                 r.name));
  if (r.polymorphic) return load_polymorphic(owners, r);
  const std::string& owner_key = r.is_belongs_to() ? r.foreign_key : r.primary_key;
  const std::string& target_key = r.is_belongs_to() ? r.primary_key : r.foreign_key;
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), {}};
  auto keys = distinct_keys(owners, owner_key);
  if (keys.empty()) return out;
  Relation targets = Relation(*r.klass).where({{target_key, Input::list_of(std::move(keys))}});
  if (!r.as.empty()) targets = targets.where({{r.foreign_type, Value(r.owner->name)}});
  if (r.scope) targets = r.scope(code(), targets);  // its order too: each owner's targets come in the scope's order
  if (extra) targets = extra(code(), targets);
  out.all = to_a(targets);
  std::map<Value, std::vector<RecordPtr>> by_key;
  for (const auto& t : out.all) by_key[t->get(target_key)].push_back(t);
  for (size_t i = 0; i < owners.size(); ++i) {
    auto it = by_key.find(owners[i]->get(owner_key));
    if (it != by_key.end()) out.per_owner[i] = it->second;
  }
  return out;
}

// A polymorphic belongs_to: one query per type the owners name.
PreloadedTargets Store::load_polymorphic(const std::vector<RecordPtr>& owners, const Reflection& r) {
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), {}};
  std::vector<std::string> types;
  for (const auto& o : owners)
    if (auto t = std::get_if<std::string>(&o->get(r.foreign_type)); t && std::find(types.begin(), types.end(), *t) == types.end())
      types.push_back(*t);
  for (const auto& type : types) {
    const ModelClass& model = polymorphic_class(type, r);
    std::vector<RecordPtr> mine;
    for (const auto& o : owners)
      if (o->get(r.foreign_type) == Value(type)) mine.push_back(o);
    auto keys = distinct_keys(mine, r.foreign_key);
    if (keys.empty()) continue;
    Relation targets = Relation(model).where({{model.primary_key, Input::list_of(std::move(keys))}});
    if (r.scope) targets = r.scope(code(), targets);
    std::map<Value, RecordPtr> by_key;
    for (const auto& t : to_a(targets)) {
      out.all.push_back(t);
      by_key[t->id()] = t;
    }
    for (size_t i = 0; i < owners.size(); ++i) {
      if (owners[i]->get(r.foreign_type) != Value(type)) continue;
      auto it = by_key.find(owners[i]->get(r.foreign_key));
      if (it != by_key.end()) out.per_owner[i] = {it->second};
    }
  }
  return out;
}

// A through association in its steps: the join records, then their targets.
PreloadedTargets Store::load_through(const std::vector<RecordPtr>& owners, const Reflection& r) {
  PreloadedTargets middles = load_association(owners, *r.through_reflection);
  std::map<const Record*, size_t> index;
  for (size_t i = 0; i < middles.all.size(); ++i) index.emplace(middles.all[i].get(), i);
  PreloadedTargets ends = load_association(middles.all, *r.source_reflection, r.scope);
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), std::move(ends.all)};
  for (size_t i = 0; i < owners.size(); ++i)
    for (const auto& m : middles.per_owner[i]) {
      const auto& targets = ends.per_owner[index.at(m.get())];
      out.per_owner[i].insert(out.per_owner[i].end(), targets.begin(), targets.end());
    }
  return out;
}

}  // namespace fw::model

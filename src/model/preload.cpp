// includes / preload: one query per association (and per through step) for
// all the records loaded, cached on each record as ActiveRecord's preloader
// does; and reading a collection that a preload already holds.
#include <fmt/format.h>

#include <map>
#include <set>

#include "model/errors.hpp"
#include "model/store.hpp"

namespace fw::model {

const std::vector<RecordPtr>* Store::loaded(const Relation& relation) const {
  if (!relation.is_association()) return nullptr;
  const Relation::Owner* owner = relation.owner();
  return owner->record->cached_collection(owner->reflection->name);
}

void Store::preload(const std::vector<RecordPtr>& records, const std::vector<AssociationTree>& associations) {
  if (records.empty()) return;
  const ModelClass& model = records.front()->model();
  for (const auto& node : associations) {
    const Reflection& r = *model.reflection(node.name);  // checked when the relation was built
    auto targets = load_association(records, r);
    std::vector<RecordPtr> all;
    std::set<const Record*> seen;
    for (size_t i = 0; i < records.size(); ++i) {
      for (const auto& t : targets[i])
        if (seen.insert(t.get()).second) all.push_back(t);
      if (r.is_collection()) records[i]->cache_collection(r.name, std::move(targets[i]));
      else records[i]->targets()[r.name] = targets[i].empty() ? nullptr : targets[i].front();
    }
    preload(all, node.nested);
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
std::vector<std::vector<RecordPtr>> Store::load_association(const std::vector<RecordPtr>& owners, const Reflection& r) {
  if (r.is_through()) return load_through(owners, r);
  if (r.macro == Macro::HasAndBelongsToMany)
    throw ModelError(fmt::format("preloading the has_and_belongs_to_many {} is not supported; use joins(:{})", r.name,
                                 r.name));
  const std::string& owner_key = r.is_belongs_to() ? r.foreign_key : r.primary_key;
  const std::string& target_key = r.is_belongs_to() ? r.primary_key : r.foreign_key;
  std::vector<std::vector<RecordPtr>> out(owners.size());
  auto keys = distinct_keys(owners, owner_key);
  if (keys.empty()) return out;
  std::map<Value, std::vector<RecordPtr>> by_key;
  for (const auto& t : to_a(Relation(*r.klass).where({{target_key, Input::list_of(std::move(keys))}})))
    by_key[t->get(target_key)].push_back(t);
  for (size_t i = 0; i < owners.size(); ++i) {
    auto it = by_key.find(owners[i]->get(owner_key));
    if (it != by_key.end()) out[i] = it->second;
  }
  return out;
}

// A through association in its steps: the join records, then their targets.
std::vector<std::vector<RecordPtr>> Store::load_through(const std::vector<RecordPtr>& owners, const Reflection& r) {
  auto middles = load_association(owners, *r.through_reflection);
  std::vector<RecordPtr> all;
  std::map<const Record*, size_t> index;
  for (const auto& list : middles)
    for (const auto& m : list)
      if (index.emplace(m.get(), all.size()).second) all.push_back(m);
  auto ends = load_association(all, *r.source_reflection);
  std::vector<std::vector<RecordPtr>> out(owners.size());
  for (size_t i = 0; i < owners.size(); ++i)
    for (const auto& m : middles[i]) {
      const auto& targets = ends[index[m.get()]];
      out[i].insert(out[i].end(), targets.begin(), targets.end());
    }
  return out;
}

}  // namespace fw::model

// The store's association entry points: a belongs_to's or has_one's target
// (cached on its owner), a collection as a relation scoped to its owner,
// include?, preload, and <<, build, create and delete on a collection. What
// each does for its kind of association is the kind's (association.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

// ---- Reading ----

// The target is cached on the owner, as ActiveRecord's association cache
// keeps it: t.user twice runs one query (Record::targets()).
RecordPtr Associations::target(const RecordPtr& owner, const Reflection& reflection) {
  store_.followed(reflection);
  if (const RecordPtr* cached = owner->cached_target(reflection.name)) return *cached;
  const Association& kind = reflection.kind();
  RecordPtr found = kind.find_target(store_, owner, reflection);
  if (kind.remembers_target(*owner)) owner->targets()[reflection.name] = found;
  return found;
}

Relation Associations::collection(const RecordPtr& owner, const Reflection& reflection) {
  store_.followed(reflection);
  return Relation::association(owner, reflection, store_.code());
}

bool Associations::includes(const Relation& collection, const RecordPtr& record) {
  if (!record || &record->model() != &collection.model() || record->new_record()) return false;
  if (const auto* records = loaded(collection))
    return std::any_of(records->begin(), records->end(), [&](const RecordPtr& r) { return r->id() == record->id(); });
  return store_.queries().exists(collection.where({{collection.model().primary_key, record->id()}}));
}

// ---- Preloading: includes and preload ----

const std::vector<RecordPtr>* Associations::loaded(const Relation& relation) const {
  return relation.is_association() ? relation.owner()->loaded() : nullptr;
}

// One query per association (and per through step) for all the records
// loaded, cached on each record as ActiveRecord's preloader does.
void Associations::preload(const std::vector<RecordPtr>& records, const std::vector<AssociationTree>& associations) {
  if (records.empty()) return;
  const ModelClass& model = records.front()->model();
  for (const auto& node : associations) {
    const Reflection& r = *model.reflection(node.name);  // checked when the relation was built
    PreloadedTargets targets = r.kind().preload(store_, records, r);
    for (size_t i = 0; i < records.size(); ++i) {
      auto& mine = targets.per_owner[i];
      if (r.is_collection()) records[i]->cache_collection(r.name, std::move(mine));
      else records[i]->targets()[r.name] = mine.empty() ? nullptr : mine.front();
    }
    preload(targets.all, node.nested);  // the next level's owners, in the order they loaded
  }
}

// ---- Writing on a collection ----

const Relation::Owner& Associations::require_owner(const Relation& collection, const char* method) {
  const Relation::Owner* owner = collection.owner();
  if (!owner || !owner->reflection->is_collection())
    throw ModelError(fmt::format("{} works on a collection association (such as user.tweets), not on {}", method,
                                 collection.model().name + ".where(...)"));
  if (owner->record->new_record())
    throw ModelError("You cannot call create unless the parent is saved");
  return *owner;
}

bool Associations::add(const Relation& collection, const RecordPtr& record) {
  const Relation::Owner& owner = require_owner(collection, "<<");
  owner.record->reset_collections();  // a preloaded collection would miss the new record
  return owner.reflection->kind().add(store_, owner, record);
}

RecordPtr Associations::build_in(const Relation& collection, const Attributes& attributes) {
  const Relation::Owner* owner = collection.owner();
  auto record = std::make_shared<Record>(collection.model());
  for (const auto& [column, value] : collection.scope_attributes()) record->set(column, value);
  for (const auto& [name, value] : attributes) store_.persistence().assign(*record, name, value);
  if (owner) owner->reflection->kind().set_owner(*record, *owner->reflection, *owner->record);
  // u.tweets.build joins the records u loaded, as ActiveRecord adds it to the target
  if (collection.is_association())
    if (const auto* loaded = owner->loaded()) {
      auto records = *loaded;
      records.push_back(record);
      owner->keep(std::move(records));
    }
  return record;
}

RecordPtr Associations::create_in(const Relation& collection, const Attributes& attributes, bool strict) {
  const Relation::Owner& owner = require_owner(collection, "create");
  owner.record->reset_collections();
  auto record = build_in(collection, attributes);
  return owner.reflection->kind().create(store_, owner, record, strict);
}

void Associations::remove(const Relation& collection, const RecordPtr& record) {
  const Relation::Owner& owner = require_owner(collection, "delete");
  owner.record->reset_collections();
  storage::Transaction tx(store_.db());
  owner.reflection->kind().unlink(store_, collection, owner, record);
  tx.commit();
}

}  // namespace fw::model

// has_many and has_one: the targets hold the owner's key (and with as:, its
// class in their type column). Their join and preload, << and build (the key
// set), delete (nullify, delete or destroy as dependent: says), and
// dependent: when the owner is destroyed.
#include "model/association.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

std::vector<Hop> HasMany::path(const Reflection& r) const {
  const std::string& target = target_model(r).table;
  if (!r.as.empty()) return {{r.owner->table, r.primary_key, target, r.foreign_key, r.foreign_type, r.owner->name}};
  return {{r.owner->table, r.primary_key, target, r.foreign_key}};
}

PreloadedTargets HasMany::preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                          const ScopeBody& extra) const {
  return preload_by_key(store, owners, r, r.primary_key, r.foreign_key, extra);
}

void HasMany::set_owner(Record& record, const Reflection& r, const Record& owner) const {
  record.set(r.foreign_key, owner.get(r.primary_key));
  if (!r.as.empty()) record.set(r.foreign_type, r.owner->name);
}

// As ActiveRecord's <<: an invalid record is not saved, and << answers false.
bool HasMany::link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const {
  set_owner(*record, *owner.reflection, *owner.record);
  return store.persistence().save(*record);
}

void HasMany::unlink(Store& store, const Relation& collection, const Relation::Owner& owner,
                     const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  if (r.dependent == Dependent::Destroy) {
    store.persistence().destroy(*record);
    return;
  }
  Relation one = collection.where({{collection.model().primary_key, record->id()}});
  if (r.dependent == Dependent::DeleteAll) {
    store.queries().delete_all(one);
    return;
  }
  std::vector<storage::Bind> sets = {{r.foreign_key, Value{}}};
  if (!r.as.empty()) sets.push_back({r.foreign_type, Value{}});
  store.write(Change::Kind::Update, r.klass->table, one.update_query(sets, r.klass->name + " Update All"), &one);
  store.remember(*record);
  record->set(r.foreign_key, Value{});
  if (!r.as.empty()) record->set(r.foreign_type, Value{});
  record->mark_saved();
}

bool HasMany::before_destroy(Store& store, Record& owner, const Reflection& r) const {
  return run_dependent(store, owner, r, r, false);
}

bool HasOne::before_destroy(Store& store, Record& owner, const Reflection& r) const {
  return run_dependent(store, owner, r, r, true);
}

}  // namespace fw::model

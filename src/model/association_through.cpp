// has_many :through and has_one :through: the targets reached through another
// association of the owner (the through association, then the source
// association of its model). Joined and preloaded step by step; << and
// create make the join record, delete removes it, dependent: acts on the
// join records.
#include <fmt/format.h>

#include <map>

#include "model/association.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

namespace {

// A has_many :through can be written to when it goes through a has_many (or
// has_one) to a belongs_to: the join record is what gets created.
void check_writable(const Reflection& r) {
  const Reflection* through = r.through_reflection;
  const Reflection* source = r.source_reflection;
  if (through->is_through() || source->is_through() || !source->is_belongs_to() || through->is_belongs_to())
    throw ModelError(fmt::format(
        "Cannot modify association '{}#{}' because the source reflection class '{}' is associated to '{}' via :{}.",
        r.owner->name, r.name, source->klass->name, through->klass->name, macro_name(source->macro)));
}

}  // namespace

std::vector<Hop> HasManyThrough::path(const Reflection& r) const {
  auto path = association_path(*r.through_reflection);
  auto rest = association_path(*r.source_reflection);
  path.insert(path.end(), rest.begin(), rest.end());
  return path;
}

// The join records, then their targets (with the through association's own scope).
PreloadedTargets HasManyThrough::preload_targets(Store& store, const std::vector<RecordPtr>& owners,
                                                 const Reflection& r, const ScopeBody&) const {
  PreloadedTargets middles = r.through_reflection->kind().preload(store, owners, *r.through_reflection);
  std::map<const Record*, size_t> index;
  for (size_t i = 0; i < middles.all.size(); ++i) index.emplace(middles.all[i].get(), i);
  PreloadedTargets ends = r.source_reflection->kind().preload(store, middles.all, *r.source_reflection, r.scope);
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), std::move(ends.all)};
  for (size_t i = 0; i < owners.size(); ++i)
    for (const auto& m : middles.per_owner[i]) {
      const auto& targets = ends.per_owner[index.at(m.get())];
      out.per_owner[i].insert(out.per_owner[i].end(), targets.begin(), targets.end());
    }
  return out;
}

// The record (saved first when new), then the join record that links it, raising RecordInvalid.
bool HasManyThrough::link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  check_writable(r);
  if (record->new_record()) store.persistence().save_strict(*record);
  const Reflection& through = *r.through_reflection;
  auto join = store.persistence().build(*through.klass, {{r.source_reflection->name, record}});
  join->set(through.foreign_key, owner.record->get(through.primary_key));
  store.persistence().save_strict(*join);
  return true;
}

RecordPtr HasManyThrough::create(Store& store, const Relation::Owner& owner, const RecordPtr& record,
                                 bool strict) const {
  check_writable(*owner.reflection);
  return save_then_link(store, owner, record, strict);
}

// The join records that link the record go.
void HasManyThrough::unlink(Store& store, const Relation&, const Relation::Owner& owner,
                            const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  check_writable(r);
  Relation joins = Relation::association(owner.record, *r.through_reflection, store.code())
                       .where({{r.source_reflection->foreign_key, record->get(r.source_reflection->primary_key)}});
  store.queries().delete_all(joins);
}

// A through association's dependents are its join records.
bool HasManyThrough::before_destroy(Store& store, Record& owner, const Reflection& r) const {
  return run_dependent(store, owner, r, *r.through_reflection, false);
}

bool HasOneThrough::before_destroy(Store& store, Record& owner, const Reflection& r) const {
  return run_dependent(store, owner, r, *r.through_reflection, true);
}

}  // namespace fw::model

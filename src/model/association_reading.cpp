// Reading an association: a belongs_to's or has_one's target (cached on its
// owner), a collection as a relation scoped to its owner, and include?.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"

namespace fw::model {

// The target is cached on the owner, as ActiveRecord's association cache
// keeps it: t.user twice runs one query (Record::targets()).
RecordPtr Store::target(const RecordPtr& owner, const Reflection& reflection) {
  followed(reflection);
  if (const RecordPtr* cached = owner->cached_target(reflection.name)) return *cached;
  RecordPtr found;
  if (reflection.polymorphic) {
    const Value& type = owner->get(reflection.foreign_type);
    const Value& key = owner->get(reflection.foreign_key);
    if (!is_null(key) && !is_blank(type)) {
      const ModelClass& model = polymorphic_class(value_to_s(type), reflection);
      Relation one = Relation(model).where({{model.primary_key, key}});
      one = reflection.scoped(code(), one, owner);
      auto rows = to_a(one.limit(1));
      if (!rows.empty()) found = rows.front();
    }
  } else if (!reflection.is_belongs_to() || !is_null(owner->get(reflection.foreign_key))) {
    if (auto query = Relation::target_query(owner, reflection, reflection.klass->name + " Load")) {
      found = load_first(*reflection.klass, *query);
    } else {
      auto rows = to_a(Relation::association(owner, reflection, code()).limit(1));
      if (!rows.empty()) found = rows.front();
    }
  }
  // A new owner's has_one finds nothing until it is saved: nothing to remember.
  if (reflection.is_belongs_to() || !owner->new_record()) owner->targets()[reflection.name] = found;
  return found;
}

const ModelClass& Store::polymorphic_class(const std::string& type, const Reflection& r) const {
  if (const ModelClass* m = app_.find(type)) return *m;
  throw ModelError(fmt::format("uninitialized constant {} (the {} of {} names no model).{}", type, r.foreign_type,
                               r.owner->name, suggestion_suffix(type, app_.model_names())));
}

Relation Store::collection(const RecordPtr& owner, const Reflection& reflection) {
  followed(reflection);
  return Relation::association(owner, reflection, code());
}

bool Store::includes(const Relation& collection, const RecordPtr& record) {
  if (!record || &record->model() != &collection.model() || record->new_record()) return false;
  if (const auto* records = loaded(collection))
    return std::any_of(records->begin(), records->end(), [&](const RecordPtr& r) { return r->id() == record->id(); });
  return exists(collection.where({{collection.model().primary_key, record->id()}}));
}

}  // namespace fw::model

#include "model/reflection.hpp"

#include "model/model_class.hpp"

namespace fw::model {

std::vector<Hop> association_path(const Reflection& r) {
  if (r.is_through()) {
    auto path = association_path(*r.through_reflection);
    auto rest = association_path(*r.source_reflection);
    path.insert(path.end(), rest.begin(), rest.end());
    return path;
  }
  const std::string& owner = r.owner->table;
  const std::string& target = r.klass->table;
  switch (r.macro) {
    case Macro::BelongsTo: return {{owner, r.foreign_key, target, r.primary_key}};
    case Macro::HasMany:
    case Macro::HasOne: return {{owner, r.primary_key, target, r.foreign_key}};
    case Macro::HasAndBelongsToMany:
      return {{owner, r.primary_key, r.join_table, r.foreign_key},
              {r.join_table, r.association_foreign_key, target, r.klass->primary_key}};
  }
  return {};
}

}  // namespace fw::model

#include "model/reflection.hpp"

#include "model/errors.hpp"
#include "model/model_class.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

std::vector<Hop> association_path(const Reflection& r) {
  if (r.is_through()) {
    auto path = association_path(*r.through_reflection);
    auto rest = association_path(*r.source_reflection);
    path.insert(path.end(), rest.begin(), rest.end());
    return path;
  }
  if (r.polymorphic || !r.klass) polymorphic_has_no_table(r);
  const std::string& owner = r.owner->table;
  const std::string& target = r.klass->table;
  switch (r.macro) {
    case Macro::BelongsTo: return {{owner, r.foreign_key, target, r.primary_key}};
    case Macro::HasMany:
    case Macro::HasOne:
      if (!r.as.empty()) return {{owner, r.primary_key, target, r.foreign_key, r.foreign_type, r.owner->name}};
      return {{owner, r.primary_key, target, r.foreign_key}};
    case Macro::HasAndBelongsToMany:
      return {{owner, r.primary_key, r.join_table, r.foreign_key},
              {r.join_table, r.association_foreign_key, target, r.klass->primary_key}};
  }
  return {};
}

std::string type_filter(const Hop& hop, const std::string& alias) {
  if (hop.type_column.empty()) return "";
  std::string value;
  for (char c : hop.type_value) value += c == '\'' ? std::string("''") : std::string(1, c);
  return " AND " + storage::quote_identifier(alias) + "." + storage::quote_identifier(hop.type_column) + " = '" +
         value + "'";
}

void polymorphic_has_no_table(const Reflection& r) {
  throw ModelError("Cannot eagerly load the polymorphic association :" + r.name);
}

void instance_dependent_scope(const Reflection& r) {
  throw ModelError("The association scope '" + r.name + "' is instance dependent (the scope block takes an argument). "
                   "Preloading instance dependent scopes is not supported.");
}

Relation Reflection::scoped(CodeRunner& code, const Relation& r, const std::shared_ptr<Record>& owner_record) const {
  if (owner_scope) return owner_scope(code, r, owner_record);
  return scope ? scope(code, r) : r;
}

const char* dependent_name(Dependent d) {
  switch (d) {
    case Dependent::None: return "";
    case Dependent::Destroy: return "destroy";
    case Dependent::Delete: return "delete";
    case Dependent::DeleteAll: return "delete_all";
    case Dependent::Nullify: return "nullify";
    case Dependent::RestrictWithError: return "restrict_with_error";
    case Dependent::RestrictWithException: return "restrict_with_exception";
  }
  return "";
}

}  // namespace fw::model

namespace fw::model {

void Reflection::raise_broken() const { throw NamedError(broken_class, broken_message); }

}  // namespace fw::model

#include "model/reflection.hpp"

#include "model/association.hpp"

#include "model/errors.hpp"
#include "model/model_class.hpp"
#include "model/relation.hpp"
#include "storage/database.hpp"

namespace fw::model {

std::vector<Hop> association_path(const Reflection& r) { return r.kind().path(r); }

const Association& Reflection::kind() const {
  if (!kind_) kind_ = &Association::of(*this);
  return *kind_;
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

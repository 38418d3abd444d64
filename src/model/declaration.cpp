#include "model/declaration.hpp"

namespace fw::model {

Value Arg::to_value() const {
  switch (kind) {
    case Kind::Nil: return Value{};
    case Kind::Bool:
    case Kind::Integer:
    case Kind::Float: return scalar;
    default: return text;
  }
}

const char* macro_name(Macro macro) {
  switch (macro) {
    case Macro::BelongsTo: return "belongs_to";
    case Macro::HasMany: return "has_many";
    case Macro::HasOne: return "has_one";
    case Macro::HasAndBelongsToMany: return "has_and_belongs_to_many";
  }
  return "";
}

}  // namespace fw::model

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

}  // namespace fw::model

#include "model/declaration.hpp"

#include "model/relation.hpp"

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

ScopeBody scope_code(CodeId code) {
  return [code](CodeRunner& run, const Relation& relation) { return run.run_scope(code, relation, nullptr); };
}

OwnerScopeBody owner_scope_code(CodeId code) {
  return [code](CodeRunner& run, const Relation& relation, const std::shared_ptr<Record>& owner) {
    return run.run_scope(code, relation, owner);
  };
}

CallbackBody record_code(CodeId code) {
  return [code](CodeRunner& run, Record& record) { return run.run_on_record(code, record); };
}

}  // namespace fw::model

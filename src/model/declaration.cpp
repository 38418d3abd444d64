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

namespace fw::model {

const char* callback_name(CallbackKind kind) {
  switch (kind) {
    case CallbackKind::BeforeValidation: return "before_validation";
    case CallbackKind::AfterValidation: return "after_validation";
    case CallbackKind::BeforeSave: return "before_save";
    case CallbackKind::AfterSave: return "after_save";
    case CallbackKind::BeforeCreate: return "before_create";
    case CallbackKind::AfterCreate: return "after_create";
    case CallbackKind::BeforeUpdate: return "before_update";
    case CallbackKind::AfterUpdate: return "after_update";
    case CallbackKind::BeforeDestroy: return "before_destroy";
    case CallbackKind::AfterDestroy: return "after_destroy";
    case CallbackKind::AfterCommit: return "after_commit";
    case CallbackKind::AfterCreateCommit: return "after_create_commit";
    case CallbackKind::AfterUpdateCommit: return "after_update_commit";
    case CallbackKind::AfterDestroyCommit: return "after_destroy_commit";
    case CallbackKind::AfterSaveCommit: return "after_save_commit";
    case CallbackKind::AfterRollback: return "after_rollback";
  }
  return "";
}

}  // namespace fw::model

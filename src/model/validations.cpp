// Validations run in declaration order, each by its kind's check (validator_kinds.cpp).
#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model {

bool Persistence::valid(Record& record) {
  record.errors().clear();
  if (!run_callbacks(record, CallbackKind::BeforeValidation)) return false;  // throw :abort: invalid, with no errors
  for (const auto& v : record.model().validators) {
    if (!v.on.empty() && (v.on == "create") != record.new_record()) continue;
    run_validator(record, v);
  }
  for (auto& change : record.nested_changes()) {  // accepts_nested_attributes_for: "Posts title can't be blank"
    if (change.destroy) continue;
    // Its belongs_to back to `record` is `record` while it is checked, as ActiveRecord's inverse is.
    Record& child = *change.record;
    std::vector<std::string> inverse;
    for (const auto& b : child.model().reflections)
      if (b->is_belongs_to() && b->foreign_key == change.reflection->foreign_key && b->klass == &record.model() &&
          !child.targets().count(b->name)) {
        child.targets()[b->name] = RecordPtr(&record, [](Record*) {});
        inverse.push_back(b->name);
      }
    bool ok = valid(child);
    for (const auto& name : inverse) child.targets().erase(name);
    if (ok) continue;
    for (const auto& [attribute, message] : change.record->errors().items())
      record.errors().add(change.reflection->name + "." + attribute, message);
  }
  run_callbacks(record, CallbackKind::AfterValidation);
  return record.errors().empty();
}

// The kind's check, on the attribute's value: the column's, or the virtual
// attribute's; on an association, whether it is there.
void Persistence::run_validator(Record& record, const Validator& v) {
  const ModelClass& m = record.model();
  const ValidatorKind& kind = *v.kind;
  if (!guards_pass(v.guards, store_.code(), record)) return;
  if (!v.broken_class.empty()) throw NamedError(v.broken_class, v.broken_message);
  if (v.custom) {  // validate :method_name (or an EachValidator's validate_each): its code adds the errors
    if (v.allow_nil.value_or(false) || v.allow_blank) {  // an EachValidator's allow_nil: and allow_blank:
      int i = m.column_index(v.attribute);
      const Value* value = i >= 0 ? &record.at(static_cast<size_t>(i)) : m.is_virtual(v.attribute) ? &record.virtual_value(v.attribute) : nullptr;
      if (value && (v.allow_blank ? is_blank(*value) : is_null(*value))) return;
    }
    v.custom(store_.code(), record);
    return;
  }
  std::function<void(const std::string&)> add = [&](const std::string& message) {
    record.errors().add(v.attribute, v.message.empty() ? message : v.message);
  };
  if (v.association && kind.on_records) {
    Value none;
    Checking checking{store_, record, v, none, -1, add};
    return kind.on_records(checking, *v.association);
  }
  if (v.association) {
    auto self = std::shared_ptr<Record>(&record, [](Record*) {});
    bool present = false;
    if (auto it = record.targets().find(v.association->name); it != record.targets().end() && it->second)
      present = true;  // assigned as a record (saved with this one if new)
    else if (v.association->is_belongs_to() && is_null(record.get(v.association->foreign_key)))
      present = false;
    else
      present = v.association->is_collection()
                    ? store_.queries().exists(store_.associations().collection(self, *v.association))
                    : store_.associations().target(self, *v.association) != nullptr;
    if (kind.on_association) kind.on_association(present, add);
    return;
  }
  int index = m.column_index(v.attribute);
  if (index >= 0 && !m.secure_passwords.empty() && m.is_virtual(v.attribute)) index = -1;  // password beside its digest
  if (index < 0 && kind.needs_column) return;  // no column to ask
  const Value& value = index >= 0 ? record.at(static_cast<size_t>(index)) : record.virtual_value(v.attribute);
  if (v.allow_nil.value_or(kind.nil_passes) && is_null(value)) return;
  if (v.allow_blank && is_blank(value)) return;
  Checking checking{store_, record, v, value, index, add};
  if (kind.check) kind.check(checking);
}

}  // namespace fw::model

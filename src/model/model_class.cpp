#include "model/model_class.hpp"

#include <algorithm>

namespace fw::model {

const ModelClass::NestedAttributes* ModelClass::nested(const std::string& attribute) const {
  static const std::string suffix = "_attributes";
  if (attribute.size() <= suffix.size() || attribute.compare(attribute.size() - suffix.size(), suffix.size(), suffix) != 0)
    return nullptr;
  std::string name = attribute.substr(0, attribute.size() - suffix.size());
  for (const auto& n : nested_attributes)
    if (n.reflection->name == name) return &n;
  return nullptr;
}

bool ModelClass::is_virtual(const std::string& name) const {
  return std::find(virtual_attributes.begin(), virtual_attributes.end(), name) != virtual_attributes.end();
}

bool ModelClass::is_secure_password(const std::string& name) const {
  return std::find(secure_passwords.begin(), secure_passwords.end(), name) != secure_passwords.end();
}

int ModelClass::column_index(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return static_cast<int>(i);
  return -1;
}

const Column* ModelClass::column(const std::string& n) const {
  int i = column_index(n);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

std::vector<const ModelClass*> ModelClass::descendants() const {
  std::vector<const ModelClass*> out{this};
  for (const ModelClass* s : subclasses)
    for (const ModelClass* d : s->descendants()) out.push_back(d);
  return out;
}

bool ModelClass::inherits_from(const ModelClass& other) const {
  for (const ModelClass* m = this; m; m = m->superclass)
    if (m == &other) return true;
  return false;
}

const Reflection* ModelClass::reflection(const std::string& n) const {
  for (const auto& r : reflections)
    if (r->name == n) return r.get();
  return nullptr;
}

const Reflection* ModelClass::broken_reflection(const std::string& n) const {
  for (const auto& r : broken_reflections)
    if (r->name == n) return r.get();
  return nullptr;
}

const Delegation* ModelClass::delegation(const std::string& method) const {
  for (const auto& d : delegations)
    if (d.method == method) return &d;
  return nullptr;
}

const Scope* ModelClass::scope(const std::string& n) const {
  for (const auto& s : scopes)
    if (s.name == n) return &s;
  return nullptr;
}

std::vector<std::string> ModelClass::column_names() const {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

std::vector<std::string> ModelClass::association_names() const {
  std::vector<std::string> out;
  for (const auto& r : reflections) out.push_back(r->name);
  return out;
}

namespace {

template <typename Keep>
std::vector<const Callback*> chain(const std::vector<Callback>& callbacks, Keep keep) {
  std::vector<const Callback*> out;
  for (auto it = callbacks.rbegin(); it != callbacks.rend(); ++it)
    if (it->prepend && keep(*it)) out.push_back(&*it);
  for (const auto& c : callbacks)
    if (!c.prepend && keep(c)) out.push_back(&c);
  return out;
}

}  // namespace

std::vector<const Callback*> ModelClass::callbacks_of(CallbackKind kind) const {
  switch (kind) {
    case CallbackKind::AfterValidation: case CallbackKind::AfterSave: case CallbackKind::AfterCreate:
    case CallbackKind::AfterUpdate: case CallbackKind::AfterDestroy: {
      // ActiveModel prepends every after_* callback already: prepend: true changes nothing.
      std::vector<const Callback*> out;
      for (const auto& c : callbacks)
        if (c.kind == kind) out.push_back(&c);
      return out;
    }
    default: return chain(callbacks, [kind](const Callback& c) { return c.kind == kind; });
  }
}

bool ModelClass::has_transaction_callbacks() const {
  return std::any_of(callbacks.begin(), callbacks.end(), [](const Callback& c) { return is_transaction_callback(c.kind); });
}

std::vector<const Callback*> ModelClass::transaction_callbacks(bool committed, TransactionAction action) const {
  auto out = chain(callbacks, [&](const Callback& c) {
    bool kind = committed ? is_transaction_callback(c.kind) && c.kind != CallbackKind::AfterRollback
                          : c.kind == CallbackKind::AfterRollback;
    return kind && (c.on == 0 || (c.on & action) != 0);
  });
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace fw::model

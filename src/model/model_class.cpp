#include "model/model_class.hpp"

namespace fw::model {

int ModelClass::column_index(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column) return static_cast<int>(i);
  return -1;
}

const Column* ModelClass::column(const std::string& n) const {
  int i = column_index(n);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

const Reflection* ModelClass::reflection(const std::string& n) const {
  for (const auto& r : reflections)
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

std::vector<const Callback*> ModelClass::callbacks_of(CallbackKind kind) const {
  std::vector<const Callback*> out;
  for (const auto& c : callbacks)
    if (c.kind == kind) out.push_back(&c);
  return out;
}

}  // namespace fw::model

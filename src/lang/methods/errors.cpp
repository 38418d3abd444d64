// record.errors: ActiveModel::Errors.
#include <algorithm>

#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const model::Errors& errors(Call& c) { return c.self.get<ErrorsRef>()->record->errors(); }

Object full_messages(Call& c) { return strings(errors(c).full_messages()); }
Object count(Call& c) { return Object(static_cast<std::int64_t>(errors(c).size())); }
Object empty(Call& c) { return Object(errors(c).empty()); }
Object any(Call& c) { return Object(!errors(c).empty()); }

Object on(Call& c) {
  auto on = errors(c).on(name_arg(c.args[0], c.name.c_str()));
  return c.name == "[]" ? strings(on) : Object(!on.empty());
}

// {username: ["can't be blank", ...]}, in the order the errors were added.
Object messages(Call& c) {
  Hash h;
  for (const auto& item : errors(c).items()) {
    const auto& attr = item.first;  // a name, not a structured binding: a lambda captures it (C++17)
    const auto& message = item.second;
    Object* list = h.find(Symbol(attr));
    if (!list) list = &h.set(Symbol(attr), Object::array({}));
    (*list->get<Ref<Array>>())->push_back(Object(message));
  }
  return Object::hash(std::move(h));
}

}  // namespace

const std::vector<Method>& methods::errors() {
  static const std::vector<Method> table = {
      {"full_messages", "to_a", 0, 0, Returns::Array, "each error as a sentence: \"Username can't be blank\"",
       full_messages},
      {"count", "size", 0, 0, Returns::Integer, "how many errors", count},
      {"empty?", "", 0, 0, Returns::Boolean, "no errors", empty},
      {"any?", "", 0, 0, Returns::Boolean, "some errors", any},
      {"[]", "", 1, 1, Returns::Array, "the messages on one attribute: errors[:username]", on},
      {"include?", "", 1, 1, Returns::Boolean, "whether an attribute has errors", on},
      {"messages", "to_hash", 0, 0, Returns::Hash, "attribute => its messages", messages},
  };
  return table;
}

}  // namespace fw::lang

// record.errors: ActiveModel::Errors.
#include <algorithm>
#include <map>

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

// errors.add(:name, :blank), errors.add(:base, "message"), errors.add(:age, :too_short, count: 3):
// ActiveModel 6.1's default messages for the symbols, %{count} filled in.
Object add(Call& c) {
  std::string attribute = name_arg(c.args[0], "add");
  std::string message = "is invalid";
  const Hash* options = nullptr;
  for (size_t i = 1; i < c.args.size(); ++i) {
    if (auto h = c.args[i].get<Ref<Hash>>()) options = h->get();
    else if (auto sym = c.args[i].get<Symbol>()) message = sym->name();
    else message = to_s(c.args[i]);
  }
  static const std::map<std::string, std::string> defaults = {
      {"blank", "can't be blank"}, {"present", "must be blank"}, {"invalid", "is invalid"},
      {"taken", "has already been taken"}, {"too_short", "is too short (minimum is %{count} characters)"},
      {"too_long", "is too long (maximum is %{count} characters)"},
      {"wrong_length", "is the wrong length (should be %{count} characters)"}, {"not_a_number", "is not a number"},
      {"not_an_integer", "must be an integer"}, {"inclusion", "is not included in the list"},
      {"exclusion", "is reserved"}, {"accepted", "must be accepted"}, {"empty", "can't be empty"},
      {"required", "must exist"}, {"greater_than", "must be greater than %{count}"},
      {"greater_than_or_equal_to", "must be greater than or equal to %{count}"},
      {"less_than", "must be less than %{count}"}, {"less_than_or_equal_to", "must be less than or equal to %{count}"},
      {"equal_to", "must be equal to %{count}"}, {"other_than", "must be other than %{count}"},
      {"odd", "must be odd"}, {"even", "must be even"}};
  if (c.args.size() > 1 && c.args[1].is<Symbol>())
    if (auto it = defaults.find(message); it != defaults.end()) message = it->second;
  if (options) {
    if (const Object* given = options->find(Symbol("message"))) message = to_s(*given);
    for (size_t at; (at = message.find("%{count}")) != std::string::npos;) {
      const Object* count = options->find(Symbol("count"));
      message.replace(at, 8, count ? to_s(*count) : "");
    }
  }
  auto& list = c.self.get<ErrorsRef>()->record->errors();
  list.add(attribute, message);
  return Object::array({Object(message)});
}

}  // namespace

const std::vector<Method>& methods::errors() {
  static const std::vector<Method> table = {
      {"full_messages", "to_a", 0, 0, Returns::Array, "each error as a sentence: \"Username can't be blank\"",
       full_messages, kReads},
      {"count", "size", 0, 0, Returns::Integer, "how many errors", count, kReads},
      {"empty?", "", 0, 0, Returns::Boolean, "no errors", empty, kReads},
      {"any?", "", 0, 0, Returns::Boolean, "some errors", any},
      {"[]", "", 1, 1, Returns::Array, "the messages on one attribute: errors[:username]", on},
      {"include?", "", 1, 1, Returns::Boolean, "whether an attribute has errors", on},
      {"messages", "to_hash", 0, 0, Returns::Hash, "attribute => its messages", messages},
      {"add", "", 1, 3, Returns::Array, "adds an error: errors.add(:name, :blank), errors.add(:base, \"message\")", add},
  };
  return table;
}

}  // namespace fw::lang

// What every value answers to (Ruby's Object and Kernel), and the methods
// of nil, true and false, and procs.
#include "base/text.hpp"
#include "lang/methods/support.hpp"
#include "model/column.hpp"

namespace fw::lang {

std::string to_s(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  if (auto s = o.get<Symbol>()) return s->name;
  Value v;
  if (o.to_value(v)) return value_to_s(v);
  return inspect(o);
}

Object strings(const std::vector<std::string>& items) {
  Array out;
  for (const auto& s : items) out.push_back(Object(s));
  return Object::array(std::move(out));
}

namespace {

Object is_nil(Call& c) { return Object(c.self.is_nil()); }

Object class_of(Call& c) {
  if (auto r = c.self.get<model::RecordPtr>()) return ModelRef{&(*r)->model()};
  return Object(class_name(c.self));
}

Object inspect_self(Call& c) { return Object(inspect(c.self)); }
Object to_s_self(Call& c) { return Object(to_s(c.self)); }

Object blank(Call& c) {
  Value v;
  bool blank = c.self.to_value(v) && model::is_blank(v);
  if (auto a = c.self.get<std::shared_ptr<Array>>()) blank = (*a)->empty();
  if (auto h = c.self.get<std::shared_ptr<Hash>>()) blank = (*h)->empty();
  return Object(c.name == "blank?" ? blank : !blank);
}

Object is_a(Call& c) {
  auto m = c.args[0].get<ModelRef>();
  auto r = c.self.get<model::RecordPtr>();
  return Object(m && r && &(*r)->model() == m->model);
}

Object frozen(Call& c) {
  if (auto r = c.self.get<model::RecordPtr>()) return Object((*r)->destroyed());
  return Object(!c.self.is<std::shared_ptr<Array>>() && !c.self.is<std::shared_ptr<Hash>>());
}

Object nil_to_a(Call&) { return Object::array({}); }

Object logic(Call& c) {
  bool a = *c.self.get<bool>(), b = c.args[0].truthy();
  return Object(c.name == "&" ? a && b : c.name == "|" ? a || b : a != b);
}

}  // namespace

const std::vector<Method>& methods::object() {
  static const std::vector<Method> table = {
      {"nil?", "", 0, 0, Returns::Boolean, "whether it is nil", is_nil},
      {"class", "", 0, 0, Returns::Any, "its class", class_of},
      {"inspect", "", 0, 0, Returns::String, "as Ruby shows it: \"text\", :sym, #<User id: 1, ...>", inspect_self},
      {"to_s", "", 0, 0, Returns::String, "as text", to_s_self},
      {"blank?", "", 0, 0, Returns::Boolean, "nil, false, empty or only white space", blank},
      {"present?", "", 0, 0, Returns::Boolean, "not blank?", blank},
      {"is_a?", "kind_of? instance_of?", 1, 1, Returns::Boolean, "whether it is an instance of a class", is_a},
      {"frozen?", "", 0, 0, Returns::Boolean, "whether it can no longer change", frozen},
  };
  return table;
}

const std::vector<Method>& methods::nil() {
  static const std::vector<Method> table = {
      {"to_a", "", 0, 0, Returns::Array, "an empty array", nil_to_a},
  };
  return table;
}

const std::vector<Method>& methods::boolean() {
  static const std::vector<Method> table = {
      {"&", "", 1, 1, Returns::Boolean, "and, evaluating both sides", logic},
      {"|", "", 1, 1, Returns::Boolean, "or, evaluating both sides", logic},
      {"^", "", 1, 1, Returns::Boolean, "exclusive or", logic},
  };
  return table;
}

const std::vector<Method>& methods::proc() {
  static const std::vector<Method> table = {};
  return table;
}

const std::vector<Method>& methods::main() {
  static const std::vector<Method> table = {};
  return table;
}

}  // namespace fw::lang

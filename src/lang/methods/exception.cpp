// Classes as values (Integer, ArgumentError: x.class, rescue, is_a?) and
// exceptions as values (rescue => e; e.message, e.record), with the Ruby
// class each error a statement meets belongs to.
#include <cstring>
#include <map>

#include "lang/methods/support.hpp"
#include "model/errors.hpp"

namespace fw::lang {

namespace {

bool starts(const char* text, const char* prefix) { return std::strncmp(text, prefix, std::strlen(prefix)) == 0; }
bool holds(const char* text, const char* part) { return std::strstr(text, part) != nullptr; }

// The language's errors by their wording: each is raised in many places with
// the message Ruby gives, and the message says which class Ruby raises.
std::string class_by_message(const char* m) {
  if (starts(m, "undefined method") || starts(m, "private method") || starts(m, "protected method"))
    return "NoMethodError";
  if (starts(m, "undefined local variable or method") || starts(m, "uninitialized constant")) return "NameError";
  if (starts(m, "divided by 0")) return "ZeroDivisionError";
  if (starts(m, "wrong number of arguments") || starts(m, "invalid value for") || starts(m, "comparison of") ||
      starts(m, "negative ") || starts(m, "missing keyword") || starts(m, "unknown keyword") || starts(m, "invalid date") ||
      starts(m, "step can't be 0") || starts(m, "invalid radix"))
    return "ArgumentError";
  if (starts(m, "no implicit conversion") || holds(m, "can't be coerced") || starts(m, "wrong argument type") ||
      starts(m, "String can't") || starts(m, "nil can't"))
    return "TypeError";
  if (starts(m, "key not found")) return "KeyError";
  if (starts(m, "can't modify frozen")) return "FrozenError";
  if (starts(m, "index ") && holds(m, "out of")) return "IndexError";
  if (starts(m, "uncaught throw")) return "UncaughtThrowError";
  if (starts(m, "stack level too deep")) return "SystemStackError";
  if (starts(m, "RangeError")) return "RangeError";
  if (starts(m, "RegexpError")) return "RegexpError";
  if (starts(m, "no block given")) return "LocalJumpError";
  return "RuntimeError";
}

}  // namespace

std::string ruby_class_by_message(const char* message) {
  if (holds(message, "(expected") && holds(message, "expected, got")) return "ActiveRecord::AssociationTypeMismatch";
  return class_by_message(message);
}

Object exception_value(const std::string& class_name, const std::string& message, model::RecordPtr record) {
  auto out = make_ref<Exception>();
  out->class_name = class_name;
  out->message = message;
  out->record = std::move(record);
  return Object(std::move(out));
}

Object make_exception(const std::string& class_name, const std::string& message) {
  return Object(make_ref<Exception>(Exception{class_name, message.empty() ? class_name : message, nullptr}));
}

namespace {

const std::string& class_of_self(Call& c) { return c.self.get<BuiltinClass>()->name(); }
const Exception& error_of(Call& c) { return **c.self.get<Ref<Exception>>(); }

Object class_name_(Call& c) { return Object(class_of_self(c)); }

// Integer === 5, ArgumentError === e: whether the argument is one (case/when, rescue).
Object class_case_eq(Call& c) { return Object(is_kind_of(c.args[0], class_of_self(c))); }

// Hash.new(0), Hash.new { |h, k| h[k] = [] }, Array.new(3, 0), Array.new(3) { |i| i * i },
// String.new("x"), ArgumentError.new("message").
Object class_new(Call& c) {
  const std::string& name = class_of_self(c);
  if (name == "Hash") {
    Hash h;
    if (!c.args.empty()) h.default_value = c.args[0];
    if (c.block) h.default_proc = c.in.keep_proc(*c.block, false);
    return Object::hash(std::move(h));
  }
  if (name == "Array") {
    std::int64_t n = 0;
    if (!c.args.empty()) {
      auto i = c.args[0].get<std::int64_t>();
      if (!i) throw type_error("no implicit conversion of " + class_name(c.args[0]) + " into Integer");
      if (*i < 0) throw RuntimeError("negative array size");
      n = *i;
    }
    check_array_length(static_cast<size_t>(n));
    Array items;
    for (std::int64_t i = 0; i < n; ++i)
      items.push_back(c.block ? yield_block(c, {Object(i)}) : c.args.size() > 1 ? c.args[1] : Object());
    return Object::array(std::move(items));
  }
  if (name == "String") return Object(c.args.empty() ? std::string() : to_s(c.args[0]));
  if (name == "Object") return Object(std::string("#<Object>"));
  if (exception_is_a(name, "Exception") && is_builtin_class(name))
    return make_exception(name, c.args.empty() ? "" : to_s(c.args[0]));
  throw no_method("new", "class " + name, {});
}

Object superclass(Call& c) {
  static const std::map<std::string, std::string> parents = {
      {"Integer", "Numeric"}, {"Float", "Numeric"}, {"BigDecimal", "Numeric"}, {"Numeric", "Object"},
      {"String", "Object"},   {"Symbol", "Object"}, {"Array", "Object"},        {"Hash", "Object"},
      {"Range", "Object"},    {"Object", "BasicObject"}};
  const std::string& name = class_of_self(c);
  if (auto it = parents.find(name); it != parents.end()) return BuiltinClass{it->second};
  if (name == "BasicObject") return Object();
  if (is_builtin_class(name) && exception_is_a(name, "Exception")) return BuiltinClass{class_ancestors(name)[1]};  // classes only
  return BuiltinClass{"Object"};
}

Object ancestors(Call& c) {
  Array out;
  for (const auto& name : class_ancestors(class_of_self(c))) out.push_back(BuiltinClass{name});
  return Object::array(std::move(out));
}

Object error_message(Call& c) { return Object(error_of(c).message); }

Object error_full_message(Call& c) { return Object(error_of(c).message + " (" + error_of(c).class_name + ")"); }

Object error_record(Call& c) {
  if (!error_of(c).record) throw no_method("record", "an instance of " + error_of(c).class_name, {});
  return Object::record(error_of(c).record);
}

Object error_backtrace(Call&) { return Object(); }

Object error_equal(Call& c) {
  auto other = c.args[0].get<Ref<Exception>>();
  return Object(other && (*other)->class_name == error_of(c).class_name && (*other)->message == error_of(c).message);
}

}  // namespace

const std::vector<Method>& methods::class_() {
  static const std::vector<Method> table = {
      {"name", "to_s inspect", 0, 0, Returns::String, "the class's name", class_name_},
      {"===", "", 1, 1, Returns::Boolean, "whether the argument is one (as case/when and rescue ask)", class_case_eq},
      {"new", "", 0, 2, Returns::Any, "a new one: Hash.new(0), Hash.new { |h, k| h[k] = [] }, Array.new(3, 0)", class_new},
      {"superclass", "", 0, 0, Returns::Any, "the class it inherits from", superclass},
      {"ancestors", "", 0, 0, Returns::Array, "itself, the classes above it and the modules they include", ancestors},
  };
  return table;
}

const std::vector<Method>& methods::exception() {
  static const std::vector<Method> table = {
      {"message", "to_s", 0, 0, Returns::String, "what went wrong", error_message},
      {"full_message", "", 0, 0, Returns::String, "the message with the class's name", error_full_message},
      {"record", "", 0, 0, Returns::Any, "ActiveRecord::RecordInvalid's record, with its errors", error_record},
      {"backtrace", "", 0, 0, Returns::Nil, "nil (fwitter keeps no backtrace)", error_backtrace},
      {"==", "", 1, 1, Returns::Boolean, "the same class and message", error_equal},
  };
  return table;
}

}  // namespace fw::lang

#include "lang/object.hpp"

#include <algorithm>
#include <cctype>
#include <new>
#include <regex>
#include <stdexcept>

#include "base/text.hpp"
#include "lang/errors.hpp"

namespace fw::lang {

Object Object::from(const Value& v) {
  struct {
    Object operator()(std::monostate) const { return Object(); }
    Object operator()(bool b) const { return Object(b); }
    Object operator()(std::int64_t i) const { return Object(i); }
    Object operator()(double d) const { return Object(d); }
    Object operator()(const std::string& s) const { return Object(s); }
  } convert;
  return std::visit(convert, v);
}

bool Object::to_value(Value& out) const {
  if (is_nil()) return out = Value{}, true;
  if (auto b = get<bool>()) return out = *b, true;
  if (auto i = get<std::int64_t>()) return out = *i, true;
  if (auto d = get<double>()) return out = *d, true;
  if (auto s = get<std::string>()) return out = *s, true;
  if (auto s = get<Symbol>()) return out = s->name, true;
  if (auto d = get<Decimal>()) return out = d->to_double(), true;  // as ActiveRecord binds a BigDecimal to SQLite
  if (auto t = get<Time>()) return out = t->stored(), true;         // "2017-05-24 00:00:00"
  if (auto d = get<Date>()) return out = d->stored(), true;         // "2017-05-24"
  return false;
}

std::optional<Decimal> as_decimal(const Object& o) {
  if (auto d = o.get<Decimal>()) return *d;
  if (auto i = o.get<std::int64_t>()) return Decimal::from_int(*i);
  if (auto f = o.get<double>()) return Decimal::from_double(*f);
  return std::nullopt;
}

std::optional<Time> as_time(const Object& o) {
  if (auto t = o.get<Time>()) return *t;
  if (auto d = o.get<Date>()) return d->midnight();
  return std::nullopt;
}

std::string class_name(const Object& o) {
  switch (o.variant().index()) {
    case 0: return "NilClass";
    case 1: return *o.get<bool>() ? "TrueClass" : "FalseClass";
    case 2: return "Integer";
    case 3: return "Float";
    case 4: return "String";
    case 5: return "Symbol";
    case 6: return "Regexp";
    case 7: return "Array";
    case 8: return "Hash";
    case 9: return (*o.get<model::RecordPtr>())->model().name;
    case 10: return "ActiveRecord::Relation";
    case 11: return "Class";
    case 12: return "ActiveModel::Errors";
    case 13: return "Proc";
    case 14: return "Range";
    case 15: return "ActiveRecord::QueryMethods::WhereChain";
    case 16: return "BigDecimal";
    case 17: return o.get<Time>()->with_zone ? "ActiveSupport::TimeWithZone" : "Time";
    case 18: return "Date";
    default: return "Class";
  }
}

static bool equal_at(const Object& a, const Object& b, int depth);

bool equal(const Object& a, const Object& b) { return equal_at(a, b, 0); }

// Arrays can contain themselves (a << a): past a depth, only identity counts.
static bool equal_at(const Object& a, const Object& b, int depth) {
  if (a.is<Decimal>() || b.is<Decimal>()) {
    auto x = as_decimal(a), y = as_decimal(b);
    return x && y && compare(*x, *y) == 0;
  }
  if (a.is<Time>() || a.is<Date>() || b.is<Time>() || b.is<Date>()) {
    auto x = as_time(a), y = as_time(b);
    return x && y && compare(*x, *y) == 0;
  }
  Value x, y;
  if (a.to_value(x) && b.to_value(y) && !a.is<Symbol>() && !b.is<Symbol>()) return values_equal(x, y);
  if (auto s = a.get<Symbol>(), t = b.get<Symbol>(); s && t) return s->name == t->name;
  if (auto r = a.get<model::RecordPtr>(), q = b.get<model::RecordPtr>(); r && q) {
    if (*r == *q) return true;
    return &(*r)->model() == &(*q)->model() && !is_null((*r)->id()) && (*r)->id() == (*q)->id();
  }
  if (auto m = a.get<ModelRef>(), n = b.get<ModelRef>(); m && n) return m->model == n->model;
  if (auto m = a.get<BuiltinClass>(), n = b.get<BuiltinClass>(); m && n) return m->name == n->name;
  if (auto r = a.get<std::shared_ptr<Range>>(), q = b.get<std::shared_ptr<Range>>(); r && q)
    return (*r)->exclusive == (*q)->exclusive && equal_at((*r)->first, (*q)->first, depth + 1) &&
           equal_at((*r)->last, (*q)->last, depth + 1);
  if (auto p = a.get<std::shared_ptr<Proc>>(), q = b.get<std::shared_ptr<Proc>>(); p && q) return *p == *q;
  if (auto h = a.get<std::shared_ptr<Hash>>(), g = b.get<std::shared_ptr<Hash>>(); h && g) {
    if (*h == *g) return true;
    if ((*h)->size() != (*g)->size() || depth > 100) return false;
    for (const auto& entry : **h) {
      const Object& k = entry.first;  // not a structured binding: the lambda captures it (C++17)
      auto it = std::find_if((*g)->begin(), (*g)->end(), [&](const auto& kv) { return equal_at(kv.first, k, depth + 1); });
      if (it == (*g)->end() || !equal_at(it->second, entry.second, depth + 1)) return false;
    }
    return true;
  }
  if (auto x1 = a.get<std::shared_ptr<Array>>(), y1 = b.get<std::shared_ptr<Array>>(); x1 && y1) {
    if (*x1 == *y1) return true;
    if ((*x1)->size() != (*y1)->size() || depth > 100) return false;
    for (size_t i = 0; i < (*x1)->size(); ++i)
      if (!equal_at((**x1)[i], (**y1)[i], depth + 1)) return false;
    return true;
  }
  return false;
}

std::string with_suggestion(const std::string& word, const std::vector<std::string>& known) {
  bool is_name = !word.empty() && (std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_');
  if (!is_name) return "";  // no "did you mean" for an operator: nil + 1 is not a typo of !
  auto matches = close_matches(word, known);
  return matches.empty() ? "" : ". Did you mean? " + join(matches, " or ");
}

RuntimeError no_method(const std::string& method, const std::string& receiver, const std::vector<std::string>& known) {
  return RuntimeError("undefined method '" + method + "' for " + receiver + with_suggestion(method, known));
}

RuntimeError no_name(const std::string& name, const std::vector<std::string>& known) {
  return RuntimeError("undefined local variable or method '" + name + "' for main" + with_suggestion(name, known));
}

RuntimeError wrong_arguments(size_t given, const std::string& expected) {
  return RuntimeError("wrong number of arguments (given " + std::to_string(given) + ", expected " + expected + ")");
}

RuntimeError type_error(const std::string& message) { return RuntimeError(message); }

RuntimeError type_mismatch(const std::string& model, const std::string& inspected, const std::string& class_name) {
  return RuntimeError(model + "(#" + model + ") expected, got " + inspected + " which is an instance of " + class_name);
}

}  // namespace fw::lang

namespace fw::lang {

std::string foreign_error_message(const std::exception& e) {
  if (auto* re = dynamic_cast<const std::regex_error*>(&e)) {
    if (re->code() == std::regex_constants::error_complexity || re->code() == std::regex_constants::error_stack)
      return "RegexpError: the regular expression is too complex for this text";
    return std::string("RegexpError: ") + e.what();
  }
  if (dynamic_cast<const std::bad_alloc*>(&e)) return "failed to allocate memory (NoMemoryError)";
  if (dynamic_cast<const std::out_of_range*>(&e) || dynamic_cast<const std::length_error*>(&e))
    return std::string("RangeError: ") + e.what();
  return std::string("internal error: ") + e.what();
}

}  // namespace fw::lang

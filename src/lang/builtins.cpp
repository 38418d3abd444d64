// Methods of plain values: numbers, strings, symbols, arrays, hashes, nil.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/text.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "lang/interpreter.hpp"
#include "model/column.hpp"

namespace fw::lang {

namespace {

void arity(const std::vector<Object>& args, size_t n) {
  if (args.size() != n) throw wrong_arguments(args.size(), std::to_string(n));
}

[[noreturn]] void overflow() { throw RuntimeError("integer overflow (fwitter's integers are 64-bit)"); }

std::optional<double> number(const Object& o) {
  if (auto i = o.get<std::int64_t>()) return static_cast<double>(*i);
  if (auto d = o.get<double>()) return *d;
  return std::nullopt;
}

Object integer_op(std::int64_t a, std::int64_t b, const std::string& op) {
  std::int64_t r = 0;
  bool overflowed = (op == "+" && __builtin_add_overflow(a, b, &r)) || (op == "-" && __builtin_sub_overflow(a, b, &r)) ||
                    (op == "*" && __builtin_mul_overflow(a, b, &r));
  if (overflowed) overflow();
  if (op == "+" || op == "-" || op == "*") return Object(r);
  if (op == "/" || op == "%") {
    if (b == 0) throw RuntimeError("divided by 0");
    if (a == INT64_MIN && b == -1) overflow();
    std::int64_t q = a / b, m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) q -= 1, m += b;  // Ruby rounds toward minus infinity
    return Object(op == "/" ? q : m);
  }
  if (op == "<") return Object(a < b);
  if (op == ">") return Object(a > b);
  if (op == "<=") return Object(a <= b);
  if (op == ">=") return Object(a >= b);
  return Object();
}

Object float_op(double a, double b, const std::string& op) {
  if (op == "+") return Object(a + b);
  if (op == "-") return Object(a - b);
  if (op == "*") return Object(a * b);
  if (op == "/") return Object(a / b);
  if (op == "%") return Object(std::fmod(a, b));
  if (op == "<") return Object(a < b);
  if (op == ">") return Object(a > b);
  if (op == "<=") return Object(a <= b);
  if (op == ">=") return Object(a >= b);
  return Object();
}

bool is_operator(const std::string& n) {
  return n == "+" || n == "-" || n == "*" || n == "/" || n == "%" || n == "<" || n == ">" || n == "<=" || n == ">=";
}

const std::vector<std::string>& common_methods() {
  static const std::vector<std::string> names = {"nil?", "class", "inspect", "to_s", "present?", "blank?",
                                                 "is_a?", "frozen?"};
  return names;
}

std::string to_s(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  if (auto s = o.get<Symbol>()) return s->name;
  Value v;
  if (o.to_value(v)) return value_to_s(v);
  return inspect(o);
}

// Whether `value` is, or holds somewhere inside it, the array `target`.
bool holds_array(const Object& value, const Array* target) {
  if (auto a = value.get<std::shared_ptr<Array>>()) {
    if (a->get() == target) return true;
    return std::any_of((*a)->begin(), (*a)->end(), [&](const Object& x) { return holds_array(x, target); });
  }
  if (auto h = value.get<std::shared_ptr<Hash>>())
    return std::any_of((*h)->begin(), (*h)->end(),
                       [&](const auto& kv) { return holds_array(kv.first, target) || holds_array(kv.second, target); });
  return false;
}

}  // namespace

Object Interpreter::call_common(const Object& self, const std::string& name, std::vector<Object>& args) {
  if (name == "nil?") return Object(self.is_nil());
  if (name == "class") {
    if (auto r = self.get<model::RecordPtr>()) return ModelRef{&(*r)->model()};
    return Object(class_name(self));
  }
  if (name == "inspect") return Object(inspect(self));
  if (name == "to_s") return Object(to_s(self));
  if (name == "blank?" || name == "present?") {
    Value v;
    bool blank = self.to_value(v) ? model::is_blank(v) : false;
    if (auto a = self.get<std::shared_ptr<Array>>()) blank = (*a)->empty();
    if (auto h = self.get<std::shared_ptr<Hash>>()) blank = (*h)->empty();
    return Object(name == "blank?" ? blank : !blank);
  }
  if (name == "is_a?") {
    arity(args, 1);
    if (auto m = args[0].get<ModelRef>()) {
      auto r = self.get<model::RecordPtr>();
      return Object(r && &(*r)->model() == m->model);
    }
    return Object(false);
  }
  if (name == "frozen?") {
    if (auto r = self.get<model::RecordPtr>()) return Object((*r)->destroyed());
    return Object(!self.is<std::shared_ptr<Array>>() && !self.is<std::shared_ptr<Hash>>());
  }
  throw no_method(name, self.is_nil() ? "nil" : "an instance of " + class_name(self), common_methods());
}

Object Interpreter::call_value(const Object& self, const std::string& name, std::vector<Object>& args) {
  // numbers
  if (auto a = number(self)) {
    if (is_operator(name)) {
      arity(args, 1);
      auto b = number(args[0]);
      if (!b) throw type_error(fmt::format("{} can't be coerced into {}", class_name(args[0]), class_name(self)));
      auto x = self.get<std::int64_t>(), y = args[0].get<std::int64_t>();
      if (x && y) return integer_op(*x, *y, name);
      if (name == "/" && *b == 0 && self.is<std::int64_t>() && args[0].is<std::int64_t>()) throw RuntimeError("divided by 0");
      return float_op(*a, *b, name);
    }
    if (name == "to_i") return Object(static_cast<std::int64_t>(std::isfinite(*a) && std::fabs(*a) < 9.2e18 ? *a : 0));
    if (name == "to_f") return Object(*a);
    if (name == "abs") {
      if (auto i = self.get<std::int64_t>()) {
        if (*i == INT64_MIN) overflow();
        return Object(*i < 0 ? -*i : *i);
      }
      return Object(std::fabs(*a));
    }
    if (name == "zero?") return Object(*a == 0);
    if (auto i = self.get<std::int64_t>()) {
      if (name == "even?") return Object(*i % 2 == 0);
      if (name == "odd?") return Object(*i % 2 != 0);
    }
  }
  // strings and symbols
  if (auto s = self.get<std::string>()) {
    if (name == "length" || name == "size") {
      std::int64_t n = 0;
      for (unsigned char c : *s) n += (c & 0xC0) != 0x80;
      return Object(n);
    }
    if (name == "upcase" || name == "downcase") {
      std::string out = *s;
      std::transform(out.begin(), out.end(), out.begin(), name == "upcase" ? ::toupper : ::tolower);
      return Object(out);
    }
    if (name == "strip") {
      size_t a = s->find_first_not_of(" \t\r\n"), b = s->find_last_not_of(" \t\r\n");
      return Object(a == std::string::npos ? std::string() : s->substr(a, b - a + 1));
    }
    if (name == "to_sym") return Symbol{*s};
    if (name == "to_i") return Object::from(model::cast_to_column(model::ColumnType::Integer, *s).index() ? model::cast_to_column(model::ColumnType::Integer, *s) : Value(std::int64_t{0}));
    if (name == "to_f") return Object::from(model::cast_to_column(model::ColumnType::Float, *s).index() ? model::cast_to_column(model::ColumnType::Float, *s) : Value(0.0));
    if (name == "empty?") return Object(s->empty());
    if (name == "+" || name == "<<") {
      arity(args, 1);
      auto t = args[0].get<std::string>();
      if (!t) throw type_error("no implicit conversion of " + class_name(args[0]) + " into String");
      return Object(*s + *t);
    }
    if (name == "*") {
      arity(args, 1);
      auto n = args[0].get<std::int64_t>();
      if (!n || *n < 0) throw RuntimeError("String#* takes a non-negative integer");
      if (static_cast<double>(s->size()) * static_cast<double>(*n) > 16e6) throw RuntimeError("argument too big");
      std::string out;
      for (std::int64_t i = 0; i < *n; ++i) out += *s;
      return Object(out);
    }
    if (name == "include?" || name == "start_with?" || name == "end_with?") {
      arity(args, 1);
      auto t = args[0].get<std::string>();
      if (!t) throw type_error("no implicit conversion of " + class_name(args[0]) + " into String");
      if (name == "include?") return Object(s->find(*t) != std::string::npos);
      if (name == "start_with?") return Object(s->rfind(*t, 0) == 0);
      return Object(s->size() >= t->size() && s->compare(s->size() - t->size(), t->size(), *t) == 0);
    }
    if (name == "<" || name == ">" || name == "<=" || name == ">=") {
      arity(args, 1);
      auto t = args[0].get<std::string>();
      if (!t) throw RuntimeError("comparison of String with " + class_name(args[0]) + " failed");
      int c = s->compare(*t);
      return Object(name == "<" ? c < 0 : name == ">" ? c > 0 : name == "<=" ? c <= 0 : c >= 0);
    }
  }
  if (auto sym = self.get<Symbol>()) {
    if (name == "to_sym") return self;
    if (name == "length" || name == "size") return Object(static_cast<std::int64_t>(sym->name.size()));
  }
  // arrays
  if (auto a = self.get<std::shared_ptr<Array>>()) {
    Array& items = **a;
    if (name == "size" || name == "length" || name == "count") return Object(static_cast<std::int64_t>(items.size()));
    if (name == "empty?") return Object(items.empty());
    if (name == "any?") return Object(!items.empty());
    if (name == "first") return items.empty() ? Object() : items.front();
    if (name == "last") return items.empty() ? Object() : items.back();
    if (name == "to_a") return self;
    if (name == "[]") {
      arity(args, 1);
      auto i = args[0].get<std::int64_t>();
      if (!i) throw type_error("no implicit conversion of " + class_name(args[0]) + " into Integer");
      std::int64_t n = static_cast<std::int64_t>(items.size());
      std::int64_t at = *i < 0 ? n + *i : *i;
      return at < 0 || at >= n ? Object() : items[static_cast<size_t>(at)];
    }
    if (name == "include?") {
      arity(args, 1);
      return Object(std::any_of(items.begin(), items.end(), [&](const Object& x) { return equal(x, args[0]); }));
    }
    if (name == "<<" || name == "push") {
      // Values are reference-counted: an array inside itself would never be freed.
      for (auto& x : args)
        if (holds_array(x, &items)) throw RuntimeError("an array cannot contain itself in fwitter");
      for (auto& x : args) items.push_back(x);
      return self;
    }
    if (name == "+") {
      arity(args, 1);
      auto b = args[0].get<std::shared_ptr<Array>>();
      if (!b) throw type_error("no implicit conversion of " + class_name(args[0]) + " into Array");
      Array out = items;
      out.insert(out.end(), (*b)->begin(), (*b)->end());
      return Object::array(std::move(out));
    }
    if (name == "reverse") return Object::array(Array(items.rbegin(), items.rend()));
    if (name == "uniq") {
      Array out;
      for (const auto& x : items)
        if (std::none_of(out.begin(), out.end(), [&](const Object& y) { return equal(x, y); })) out.push_back(x);
      return Object::array(std::move(out));
    }
    if (name == "sum") {
      Object total(std::int64_t{0});
      for (auto& x : items) {
        std::vector<Object> one{x};
        total = call_value(total, "+", one);
      }
      return total;
    }
    if (name == "join") {
      std::vector<std::string> parts;
      for (const auto& x : items) parts.push_back(to_s(x));
      return Object(join(parts, args.empty() ? "" : to_s(args[0])));
    }
  }
  // hashes
  if (auto h = self.get<std::shared_ptr<Hash>>()) {
    if (name == "[]") {
      arity(args, 1);
      for (const auto& [k, v] : **h)
        if (equal(k, args[0])) return v;
      return Object();
    }
    if (name == "size" || name == "length" || name == "count") return Object(static_cast<std::int64_t>((*h)->size()));
    if (name == "empty?") return Object((*h)->empty());
    if (name == "keys" || name == "values") {
      Array out;
      for (const auto& [k, v] : **h) out.push_back(name == "keys" ? k : v);
      return Object::array(std::move(out));
    }
  }
  if (self.is_nil() && name == "to_a") return Object::array({});
  if (auto b = self.get<bool>(); b && (name == "&" || name == "|")) {
    arity(args, 1);
    return Object(name == "&" ? *b && args[0].truthy() : *b || args[0].truthy());
  }
  return call_common(self, name, args);
}

}  // namespace fw::lang

// What every value answers to (Ruby's Object and Kernel), and the methods
// of nil, true and false, and procs.
#include <algorithm>

#include "base/text.hpp"
#include "lang/methods/support.hpp"
#include "model/column.hpp"

namespace fw::lang {

std::string to_s(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  if (auto s = o.get<Symbol>()) return s->name();
  if (auto d = o.get<Decimal>()) return d->to_plain();
  if (auto t = o.get<Time>()) return fw::to_s(*t);
  if (auto d = o.get<Date>()) return fw::to_s(*d);
  if (auto m = o.get<ModelRef>()) return m->model->name;  // its inspect lists the columns
  if (auto p = o.get<BcryptPassword>()) return p->digest;
  if (auto m = o.get<MatchData>()) return m->groups[0].value_or("");
  Value v;
  if (o.to_value(v)) return value_to_s(v);
  return inspect(o);
}

Object yield_block(Call& c, std::vector<Object> args) {
  if (!c.block) throw RuntimeError("no block given (yield)");
  return c.in.yield(*c.block, std::move(args));
}

Object dig(Call& c) {
  Object at = c.self;
  for (const auto& key : c.args) {
    if (at.is_nil()) return at;
    std::vector<Object> one{key};
    at = c.in.call(at, "[]", one);
  }
  return at;
}

Object strings(const std::vector<std::string>& items) {
  Array out;
  for (const auto& s : items) out.push_back(Object(s));
  return Object::array(std::move(out));
}

namespace {

const std::string& string_arg_of(const Object& o) {
  if (auto s = o.get<std::string>()) return *s;
  throw type_error("no implicit conversion of " + class_name(o) + " into String");
}

std::string described(const Object& o) {
  if (o.is_nil() || o.is<bool>() || o.is<std::int64_t>() || o.is<double>()) return inspect(o);
  return class_name(o);
}

}  // namespace

int compare(const Object& a, const Object& b) {
  auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
  if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;  // the commonest, first
  if (a.is<Decimal>() || b.is<Decimal>()) {
    auto p = as_decimal(a), q = as_decimal(b);
    if (p && q) return compare(*p, *q);
  }
  if (auto p = as_time(a), q = as_time(b); p && q) return compare(*p, *q);
  bool na = x || a.is<double>(), nb = y || b.is<double>();
  if (na && nb) {
    double p = x ? static_cast<double>(*x) : *a.get<double>(), q = y ? static_cast<double>(*y) : *b.get<double>();
    if (p < q) return -1;
    if (p > q) return 1;
    if (p == q) return 0;
  }
  if (auto s = a.get<std::string>(), t = b.get<std::string>(); s && t) return s->compare(*t) < 0 ? -1 : s->compare(*t) > 0;
  if (auto s = a.get<Symbol>(), t = b.get<Symbol>(); s && t) return s->name().compare(t->name()) < 0 ? -1 : s->name() != t->name();
  if (auto s = a.get<Ref<Array>>(), t = b.get<Ref<Array>>(); s && t) {
    for (size_t i = 0; i < (*s)->size() && i < (*t)->size(); ++i)
      if (int c = compare((**s)[i], (**t)[i])) return c;
    return (*s)->size() < (*t)->size() ? -1 : (*s)->size() > (*t)->size();
  }
  if (auto r = a.get<model::RecordPtr>(), q = b.get<model::RecordPtr>(); r && q && equal(a, b)) return 0;
  throw RuntimeError("comparison of " + class_name(a) + " with " + described(b) + " failed");
}

namespace {

Object is_nil(Call& c) { return Object(c.self.is_nil()); }

Object class_of(Call& c) {
  if (auto r = c.self.get<model::RecordPtr>()) return ModelRef{&(*r)->model()};
  return BuiltinClass{class_name(c.self)};
}

Object inspect_self(Call& c) { return Object(inspect(c.self, store(c))); }
Object to_s_self(Call& c) { return Object(to_s(c.self)); }

Object blank(Call& c) {
  Value v;
  bool blank = c.self.to_value(v) && model::is_blank(v);
  if (auto a = c.self.get<Ref<Array>>()) blank = (*a)->empty();
  if (auto h = c.self.get<Ref<Hash>>()) blank = (*h)->empty();
  return Object(c.name == "blank?" ? blank : !blank);
}

// is_a? (kind_of?): the class or one above it; instance_of?: the class itself.
Object is_a(Call& c) {
  if (auto m = c.args[0].get<ModelRef>()) {
    auto r = c.self.get<model::RecordPtr>();
    return Object(r && &(*r)->model() == m->model);
  }
  auto k = c.args[0].get<BuiltinClass>();
  if (!k) throw type_error("class or module required");
  if (c.name == "instance_of?") return Object(class_name(c.self) == k->name());
  return Object(is_kind_of(c.self, k->name()));
}

Object frozen(Call& c) {
  if (auto r = c.self.get<model::RecordPtr>()) return Object((*r)->destroyed());
  return Object(!c.self.is<Ref<Array>>() && !c.self.is<Ref<Hash>>());
}

Object nil_to_a(Call&) { return Object::array({}); }
Object nil_to_s(Call&) { return Object(std::string()); }
Object nil_to_i(Call&) { return Object(std::int64_t{0}); }

Object itself(Call& c) { return c.self; }

Object tap(Call& c) {
  if (c.block) yield_block(c, {c.self});
  return c.self;
}

Object then(Call& c) { return c.block ? yield_block(c, {c.self}) : c.self; }

Object send(Call& c) {
  std::string name = name_arg(c.args[0], "send");
  std::vector<Object> rest(c.args.begin() + 1, c.args.end());
  return c.in.call(c.self, name, rest, c.block);
}

Object respond_to(Call& c) {
  std::string name = name_arg(c.args[0], "respond_to?");
  auto names = names_for(c.self);
  if (const auto* model = model_of(c.self))  // the model's own defs
    for (auto& n : c.in.model_method_names(*model, !c.self.is<model::RecordPtr>())) names.push_back(std::move(n));
  return Object(std::find(names.begin(), names.end(), name) != names.end());
}

Object presence(Call& c) {
  std::vector<Object> none;
  return c.in.call(c.self, "present?", none).truthy() ? c.self : Object();
}

// ActiveSupport's try: nil.try(:name) is nil; otherwise the call.
Object try_call(Call& c) {
  if (c.self.is_nil()) return Object();
  return send(c);
}

Object in(Call& c) {
  std::vector<Object> one{c.self};
  return c.in.call(c.args[0], "include?", one);
}

Object not_(Call& c) { return Object(!c.self.truthy()); }
Object eq(Call& c) { return Object(equal(c.self, c.args[0]) != (c.name == "!=")); }

Object case_eq(Call& c) {
  if (auto m = c.self.get<ModelRef>()) {
    auto r = c.args[0].get<model::RecordPtr>();
    return Object(r && &(*r)->model() == m->model);
  }
  return Object(equal(c.self, c.args[0]));
}

Object dup_value(Call& c) { return c.self; }

// ---- procs ----

Object proc_call(Call& c) { return c.in.yield(c.self, c.args); }

Object proc_arity(Call& c) {
  const auto& p = *c.self.get<Ref<Proc>>();
  if (!p->symbol.empty()) return Object(std::int64_t{-2});
  auto n = static_cast<std::int64_t>(p->params.size());
  return Object(p->lambda ? n : (n == 0 ? std::int64_t{0} : n));
}

Object proc_lambda(Call& c) { return Object((*c.self.get<Ref<Proc>>())->lambda); }

// ---- the top level: Kernel ----

void write_puts(std::ostream& out, const Object& o) {
  if (auto a = o.get<Ref<Array>>()) {
    if ((*a)->empty()) out << '\n';
    for (const auto& x : **a) write_puts(out, x);
    return;
  }
  std::string text = to_s(o);
  out << text;
  if (text.empty() || text.back() != '\n') out << '\n';
}

Object puts(Call& c) {
  auto& out = c.in.output();
  if (c.args.empty()) out << '\n';
  for (const auto& a : c.args) write_puts(out, a);
  out.flush();
  return Object();
}

Object print(Call& c) {
  for (const auto& a : c.args) c.in.output() << to_s(a);
  c.in.output().flush();
  return Object();
}

// p and pp: each argument's inspect on a line; the argument back (or an array of them).
Object p(Call& c) {
  for (const auto& a : c.args) c.in.output() << inspect(a, store(c)) << '\n';
  c.in.output().flush();
  if (c.args.empty()) return Object();
  return c.args.size() == 1 ? c.args[0] : Object::array(c.args);
}

Object make_lambda(Call& c) {
  if (!c.block) throw RuntimeError("tried to create Proc object without a block");
  return c.in.keep_proc(*c.block, c.name == "lambda");
}

// loop { }: until break, or a StopIteration raised inside it.
Object loop(Call& c) {
  if (!c.block) throw RuntimeError("loop needs a block: loop do ... end (break leaves it)");
  try {
    for (;;) yield_block(c, {});
  } catch (const RubyError& e) {
    if (!exception_is_a(e.class_name(), "StopIteration")) throw;
  }
  return Object();
}

// raise "boom" (a RuntimeError), raise ArgumentError, raise ArgumentError, "why",
// raise e (an exception value, rescued before); raise alone: "unhandled exception".
Object raise(Call& c) {
  if (c.args.empty()) throw RubyError("RuntimeError", "unhandled exception");
  if (auto e = c.args[0].get<Ref<Exception>>()) {
    std::string message = c.args.size() > 1 ? to_s(c.args[1]) : (*e)->message;
    throw RubyError((*e)->class_name, message, *e);
  }
  if (auto k = c.args[0].get<BuiltinClass>()) {
    if (!exception_is_a(k->name(), "Exception") || !is_builtin_class(k->name())) throw type_error("exception class/object expected");
    throw RubyError(k->name(), c.args.size() > 1 ? to_s(c.args[1]) : k->name());
  }
  if (c.args.size() > 1) throw type_error("exception class/object expected");
  throw RubyError("RuntimeError", to_s(c.args[0]));
}

// catch(:tag) { ... throw :tag, value ... }: the value thrown (or the block's own).
Object catch_tag(Call& c) {
  std::string tag = c.args.empty() ? "" : c.args[0].is<Symbol>() ? c.args[0].get<Symbol>()->name() : to_s(c.args[0]);
  try {
    return yield_block(c, c.args);
  } catch (const ThrowSignal& t) {
    if (t.tag() != tag) throw;
    return t.value ? *t.value : Object();
  }
}

Object throw_tag(Call& c) {
  ThrowSignal signal(c.args[0].is<Symbol>() ? c.args[0].get<Symbol>()->name() : to_s(c.args[0]));
  if (c.args.size() > 1) signal.value = std::make_shared<const Object>(c.args[1]);
  throw signal;
}

Object format(Call& c) {
  std::vector<Object> values(c.args.begin() + 1, c.args.end());
  return Object(printf_format(string_arg_of(c.args[0]), values));
}

Object to_integer(Call& c) {
  if (auto i = c.args[0].get<std::int64_t>()) return Object(*i);
  if (auto d = c.args[0].get<double>()) return Object(static_cast<std::int64_t>(*d));
  std::string s = to_s(c.args[0]);
  auto v = parse_int(s);
  if (!v) throw RuntimeError("invalid value for Integer(): " + inspect(c.args[0]));
  return Object(*v);
}

// Float("2.5"): a number or numeric text as a Float; raises when it is not one.
Object to_float(Call& c) {
  if (auto i = c.args[0].get<std::int64_t>()) return Object(static_cast<double>(*i));
  if (auto d = c.args[0].get<double>()) return Object(*d);
  if (auto d = c.args[0].get<Decimal>()) return Object(d->to_double());
  if (c.args[0].is_nil()) throw type_error("can't convert nil into Float");
  std::string s = to_s(c.args[0]);
  auto v = parse_float(s);
  if (!v) throw RuntimeError("invalid value for Float(): " + inspect(c.args[0]));
  return Object(*v);
}

Object logic(Call& c) {
  bool a = *c.self.get<bool>(), b = c.args[0].truthy();
  return Object(c.name == "&" ? a && b : c.name == "|" ? a || b : a != b);
}

}  // namespace

const std::vector<Method>& methods::object() {
  static const std::vector<Method> table = {
      {"nil?", "", 0, 0, Returns::Boolean, "whether it is nil", is_nil},
      {"class", "", 0, 0, Returns::Any, "its class", class_of, kReads},
      {"inspect", "", 0, 0, Returns::String, "as Ruby shows it: \"text\", :sym, #<User id: 1, ...>", inspect_self},
      {"to_s", "", 0, 0, Returns::String, "as text", to_s_self, kReads},
      {"blank?", "", 0, 0, Returns::Boolean, "nil, false, empty or only white space", blank},
      {"present?", "", 0, 0, Returns::Boolean, "not blank?", blank},
      {"is_a?", "kind_of? instance_of?", 1, 1, Returns::Boolean, "whether it is an instance of a class", is_a},
      {"frozen?", "", 0, 0, Returns::Boolean, "whether it can no longer change", frozen},
      {"itself", "", 0, 0, Returns::Self, "itself", itself, kReads},
      {"tap", "", 0, 0, Returns::Self, "calls the block with itself; gives itself", tap},
      {"then", "yield_self", 0, 0, Returns::Any, "the block's value for itself", then},
      {"send", "public_send __send__", 1, kAnyNumber, Returns::Any, "calls a method by name: send(:username)", send},
      {"respond_to?", "", 1, 2, Returns::Boolean, "whether it has a method of that name", respond_to},
      {"presence", "", 0, 0, Returns::Any, "itself if present?, else nil", presence},
      {"try", "", 1, kAnyNumber, Returns::Any, "calls a method, unless it is nil", try_call},
      {"in?", "", 1, 1, Returns::Boolean, "whether the argument includes it", in},
      {"!", "", 0, 0, Returns::Boolean, "not", not_},
      {"==", "eql? equal?", 1, 1, Returns::Boolean, "equal", eq},
      {"!=", "", 1, 1, Returns::Boolean, "not equal", eq},
      {"===", "", 1, 1, Returns::Boolean, "case equality, as case/when uses it", case_eq},
      {"dup", "clone freeze", 0, 0, Returns::Self, "itself (a copy, for arrays and hashes)", dup_value, kReads},
  };
  return table;
}

const std::vector<Method>& methods::nil() {
  static const std::vector<Method> table = {
      {"to_a", "", 0, 0, Returns::Array, "an empty array", nil_to_a, kReads},
      {"to_s", "", 0, 0, Returns::String, "an empty string", nil_to_s, kReads},
      {"to_i", "", 0, 0, Returns::Integer, "0", nil_to_i, kReads},
      {"=~", "", 1, 1, Returns::Any, "nil: nil matches no pattern", [](Call&) { return Object(); }},
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
  static const std::vector<Method> table = {
      {"call", "() [] yield ===", 0, kAnyNumber, Returns::Any, "runs it with arguments", proc_call},
      {"arity", "", 0, 0, Returns::Integer, "how many arguments it takes", proc_arity},
      {"lambda?", "", 0, 0, Returns::Boolean, "whether it is a lambda (strict arguments)", proc_lambda},
  };
  return table;
}

const std::vector<Method>& methods::main() {
  static const std::vector<Method> table = {
      {"puts", "", 0, kAnyNumber, Returns::Nil, "prints each argument (an array's items) on a line of its own", puts},
      {"print", "", 0, kAnyNumber, Returns::Nil, "prints the arguments, with no newline", print},
      {"p", "", 0, kAnyNumber, Returns::Any, "prints each argument's inspect; gives it back", p},
      {"pp", "", 0, kAnyNumber, Returns::Any, "prints each argument's inspect; gives it back", p},
      {"lambda", "", 0, 0, Returns::Proc, "the block as a lambda", make_lambda},
      {"proc", "", 0, 0, Returns::Proc, "the block as a proc", make_lambda},
      {"loop", "", 0, 0, Returns::Any, "runs the block again and again, until break", loop},
      {"raise", "", 0, 2, Returns::Nil, "stops the statement with an error message", raise},
      {"throw", "", 1, 2, Returns::Nil, "throw :abort in a callback halts the save or destroy; throw :tag, value leaves catch",
       throw_tag},
      {"catch", "", 0, 1, Returns::Any, "runs the block; throw :tag, value inside it ends it with the value", catch_tag},
      {"format", "sprintf", 1, kAnyNumber, Returns::String, "printf-style formatting: format(\"%05.2f\", x)", format},
      {"Integer", "", 1, 1, Returns::Integer, "a string or number as an integer; raises when it is not one", to_integer},
      {"Float", "", 1, 1, Returns::Float, "a string or number as a float; raises when it is not one", to_float},
  };
  return table;
}

}  // namespace fw::lang

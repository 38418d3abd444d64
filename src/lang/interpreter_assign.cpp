// Variables and assignment: lookup, x op= y, multiple assignment, parameter binding, $~ and defined?.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "lang/interpreter.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"

namespace fw::lang {

using model::RecordPtr;

// ---- variables ----

const std::int64_t* Interpreter::integer_at(const Node& n) {
  if (n.kind == Node::Kind::Integer) return &n.integer;
  if (n.kind != Node::Kind::Variable) return nullptr;
  Object* v = lookup(n.var());
  return v ? v->get<std::int64_t>() : nullptr;
}

Object* Interpreter::lookup(Name name) {
  for (Env* e = env_.get(); e; e = e->parent.get()) {
    if (Object* found = e->vars.find(name)) return found;
  }
  if ((*name)[0] == '@') return instance_variable(name, false);
  return nullptr;
}

void Interpreter::assign(Name name, const Object& value) {
  if (Object* existing = lookup(name)) *existing = value;
  else if (Object* slot = (*name)[0] == '@' ? instance_variable(name, true) : nullptr) *slot = value;
  else env_->vars[name] = value;
}

// @name inside a record's method: a variable of that record, which lives as
// long as it does (elsewhere @name is a variable of the scope, as in irb's main).
Object* Interpreter::instance_variable(Name name, bool create) {
  if (self_.empty()) return nullptr;
  auto record = self_.back().get<RecordPtr>();
  if (!record) return nullptr;
  auto& slot = (*record)->instance_variables();
  if (!slot) {
    if (!create) return nullptr;
    slot = std::make_shared<Env::Vars>();
  }
  auto* vars = static_cast<Env::Vars*>(slot.get());
  return create ? &(*vars)[name] : vars->find(name);
}

std::vector<std::string> Interpreter::variable_names() const {
  std::vector<std::string> out;
  for (const Env* e = env_.get(); e; e = e->parent.get())
    for (const auto& [k, v] : e->vars) out.push_back(*k);
  return out;
}

std::vector<std::string> Interpreter::function_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : functions_) out.push_back(k);
  return out;
}

namespace {
// The patterns inside "(a,*b,(c,d))", split at its top-level commas.
std::vector<std::string> split_pattern(const std::string& group) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (size_t i = 1; i + 1 < group.size(); ++i) {
    char c = group[i];
    if (c == ',' && depth == 0) {
      out.push_back(std::move(current));
      current.clear();
      continue;
    }
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    current += c;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

Array as_list(const Object& value) {
  if (auto a = value.get<Ref<Array>>()) return **a;
  return Array{value};
}
}  // namespace

void Interpreter::bind_target(const std::string& target, const Object& value, bool local) {
  if (target[0] == '(') return destructure(split_pattern(target), as_list(value), local);
  if (local) env_->vars[target] = value;
  else assign(target, value);
}

// a, *rest, (b, c) = values: as Ruby's multiple assignment spreads them.
void Interpreter::destructure(const std::vector<std::string>& targets, const Array& values, bool local) {
  size_t splat = targets.size();
  for (size_t i = 0; i < targets.size(); ++i)
    if (targets[i][0] == '*') splat = i;
  if (splat == targets.size()) {
    for (size_t i = 0; i < targets.size(); ++i) bind_target(targets[i], i < values.size() ? values[i] : Object(), local);
    return;
  }
  size_t after = targets.size() - splat - 1;
  for (size_t i = 0; i < splat; ++i) bind_target(targets[i], i < values.size() ? values[i] : Object(), local);
  size_t rest_end = values.size() >= splat + after ? values.size() - after : splat;
  Array rest;
  for (size_t i = splat; i < rest_end && i < values.size(); ++i) rest.push_back(values[i]);
  if (targets[splat].size() > 1) bind_target(targets[splat].substr(1), Object::array(std::move(rest)), local);
  for (size_t j = 0; j < after; ++j) {
    size_t at = std::max(splat, rest_end) + j;
    bind_target(targets[splat + 1 + j], at < values.size() ? values[at] : Object(), local);
  }
}

Object Interpreter::eval_multi_assign(const Node& n) {
  Object value = eval(*n.items[0]);
  at_ = n.pos;
  destructure(n.params, as_list(value), false);
  return value;
}

// Parameters as Ruby binds them: required ones first from both ends, then
// optional ones (the rest take their defaults, evaluated in order, seeing the
// parameters before them), the splat the rest; key: value arguments (a
// trailing hash of symbol keys) to keywords and **opts; &block to the block.
void Interpreter::bind_params(const std::vector<std::string>& params, const std::vector<NodePtr>& defaults,
                              std::vector<Object> args, bool strict, const Object* block) {
  size_t required = 0, optional = 0;
  bool splat = false, keywords = false;
  for (const auto& p : params) {
    if (p[0] == '*' && p.size() > 1 && p[1] == '*') keywords = true;
    else if (p[0] == '*') splat = true;
    else if (p.back() == ':' || (p.size() > 1 && p[p.size() - 2] == ':' && p.back() == '=')) keywords = true;
    else if (p.back() == '=') ++optional;
    else if (p[0] != '&') ++required;
  }
  Hash kwargs;
  if (keywords && !args.empty()) {
    if (auto h = args.back().get<Ref<Hash>>();
        h && std::all_of((*h)->begin(), (*h)->end(), [](const auto& kv) { return kv.first.template is<Symbol>(); })) {
      kwargs = **h;
      args.pop_back();
    }
  }
  if (strict && (args.size() < required || (!splat && args.size() > required + optional))) {
    std::string expected = splat ? fmt::format("{}+", required)
                           : optional ? fmt::format("{}..{}", required, required + optional)
                                      : std::to_string(required);
    throw wrong_arguments(args.size(), expected);
  }
  size_t given_optional = args.size() > required ? std::min(optional, args.size() - required) : 0;
  size_t next = 0, next_default = 0, required_left = required;
  auto take = [&] { return next < args.size() ? args[next++] : Object(); };
  for (const auto& p : params) {
    bool is_keyword = p.back() == ':' || (p.size() > 1 && p[p.size() - 2] == ':' && p.back() == '=');
    if (is_keyword) {
      std::string key = p.substr(0, p.find(':'));
      Object value;
      if (kwargs.erase(Object(Symbol{key}), &value)) {
        if (p.back() == '=') ++next_default;
      } else if (p.back() == '=') {
        value = eval(*defaults[next_default++]);
      } else {
        throw RuntimeError("missing keyword: :" + key);
      }
      env_->vars[key] = value;
    } else if (p[0] == '*' && p.size() > 1 && p[1] == '*') {
      env_->vars[p.substr(2)] = Object::hash(std::exchange(kwargs, Hash()));
    } else if (p[0] == '*') {
      size_t count = args.size() > next + required_left ? args.size() - next - required_left : 0;
      Array rest(args.begin() + static_cast<std::ptrdiff_t>(next), args.begin() + static_cast<std::ptrdiff_t>(next + count));
      next += count;
      if (p.size() > 1) env_->vars[p.substr(1)] = Object::array(std::move(rest));
    } else if (p[0] == '&') {
      env_->vars[p.substr(1)] = block ? *block : Object();
    } else if (p.back() == '=') {
      std::string name = p.substr(0, p.size() - 1);
      if (given_optional > 0) {
        --given_optional;
        env_->vars[name] = take();
        ++next_default;
      } else {
        env_->vars[name] = eval(*defaults[next_default++]);
      }
    } else {
      --required_left;
      bind_target(p, take(), true);
    }
  }
  if (strict && !kwargs.empty()) throw RuntimeError("unknown keyword: " + inspect(kwargs.begin()->first));
}

// $~ and $1, $2, ...: the last match; $! the error being rescued.
Object Interpreter::eval_global(const Node& n) {
  if (n.name == "$~") return last_match_;
  if (n.name == "$!") return last_error_;
  if (n.name.size() > 1 && std::isdigit(static_cast<unsigned char>(n.name[1]))) {
    auto groups = last_match_.get<Ref<Array>>();
    size_t i = static_cast<size_t>(std::atoi(n.name.c_str() + 1));
    return groups && i < (*groups)->size() ? (**groups)[i] : Object();
  }
  return Object();  // an unset global is nil, as in Ruby
}

// defined?(x): what x is ("local-variable", "method", "expression", ...), or
// nil when it names nothing; x itself is not run.
Object Interpreter::eval_defined(const Node& n) {
  if (n.items.size() != 1) throw wrong_arguments(n.items.size(), "1");
  const Node& x = *n.items[0];
  switch (x.kind) {
    case Node::Kind::Variable:
      if (lookup(x.name)) return Object(std::string(x.name[0] == '@' ? "instance-variable" : "local-variable"));
      if (x.name[0] == '$') return eval_global(x).is_nil() ? Object() : Object(std::string("global-variable"));
      if (x.name[0] == '@') return Object();
      if (functions_.count(x.name) || find_method(Kind::Main, x.name) || store_.app().find_by_singular(x.name))
        return Object(std::string("method"));
      return Object();
    case Node::Kind::Constant:
      if (store_.app().find(x.name) || constants_.count(x.name) || is_builtin_class(x.name))
        return Object(std::string("constant"));
      return Object();
    case Node::Kind::Call:
      if (!x.receiver) return functions_.count(x.name) || find_method(Kind::Main, x.name) ? Object(std::string("method")) : Object();
      try {
        Object self = eval(*x.receiver);
        auto names = names_for(self);
        return std::find(names.begin(), names.end(), x.name) != names.end() || model_method(self, x.name)
                   ? Object(std::string("method"))
                   : Object();
      } catch (const fw::Error&) {
        return Object();
      }
    case Node::Kind::Assign: case Node::Kind::OpAssign: case Node::Kind::MultiAssign: case Node::Kind::AttrAssign:
    case Node::Kind::IndexAssign:
      return Object(std::string("assignment"));
    case Node::Kind::Self: return Object(std::string("self"));
    case Node::Kind::Nil: return Object(std::string("expression"));
    default: return Object(std::string("expression"));
  }
}

Object Interpreter::eval_assign(const Node& n) {
  Object value = eval(*n.items[0]);
  if (n.flags == "constant") {
    constants_[n.name] = value;
    return value;
  }
  assign(n.var(), value);
  if (value.is<Ref<Proc>>()) remember_closure(env_);
  return value;
}

Object Interpreter::eval_attr_assign(const Node& n) {
  Object target = eval(*n.receiver);
  Object value = eval(*n.items[0]);
  at_ = n.pos;
  assign_attribute(target, n.name, value);
  return value;
}

Object Interpreter::eval_index_assign(const Node& n) {
  Object target = eval(*n.receiver);
  std::vector<Object> args{eval(*n.items[0]), eval(*n.items[1])};
  at_ = n.pos;
  call(target, "[]=", args);
  return args[1];
}

// x += 1, x ||= [], u.name ||= "x", h[k] += 1: the target is read and written once.
Object Interpreter::eval_op_assign(const Node& n) {
  const Node& target = *n.items[0];
  const std::string& op = n.name;
  if (n.op && target.kind == Node::Kind::Variable) {  // i += 1: for two numbers, no method call
    Object* slot = lookup(target.var());
    if (std::int64_t* x = slot ? slot->mutable_integer() : nullptr)
      if (const std::int64_t* y = integer_at(*n.items[1])) {  // both integers: changed in place
        at_ = n.pos;
        Object result = integer_operation(*x, *y, static_cast<Operator>(n.op));
        if (auto r = result.get<std::int64_t>()) *x = *r;
        else *slot = result;  // a comparison's true or false
        return result;
      }
    Object current = slot ? *slot : Object();  // read before the value, as Ruby reads it
    Object value = eval(*n.items[1]);
    auto result = number_operation(current, static_cast<Operator>(n.op), value);
    if (!result) {
      at_ = n.pos;
      std::vector<Object> args{value};
      result = call(current, op, args);  // nil + 1: NoMethodError, as Ruby
    }
    if (Object* now = lookup(target.var())) *now = *result;  // again: the value may have added variables
    else assign(target.var(), *result);
    return *std::move(result);
  }
  Object receiver, index;
  if (target.kind != Node::Kind::Variable) receiver = eval(*target.receiver);
  if (target.kind == Node::Kind::Index) index = eval(*target.items[0]);
  at_ = n.pos;
  auto read = [&]() -> Object {
    if (target.kind == Node::Kind::Variable) {
      Object* v = lookup(target.var());
      return v ? *v : Object();
    }
    std::vector<Object> args;
    if (target.kind == Node::Kind::Index) args.push_back(index);
    return call(receiver, target.kind == Node::Kind::Index ? "[]" : target.name, args);
  };
  auto write = [&](const Object& value) {
    if (target.kind == Node::Kind::Variable) return assign(target.var(), value);
    if (target.kind == Node::Kind::Call) return assign_attribute(receiver, target.name, value);
    std::vector<Object> args{index, value};
    call(receiver, "[]=", args);
  };
  Object current = read();
  bool logical = op.size() == 2 && op[0] == op[1] && (op[0] == '|' || op[0] == '&');  // ||= and &&=
  if (logical && (op[0] == '|') == current.truthy()) return current;
  Object value = eval(*n.items[1]);
  at_ = n.pos;
  if (!logical) {
    auto fast = n.op ? number_operation(current, static_cast<Operator>(n.op), value) : std::nullopt;
    if (fast) {
      value = *std::move(fast);
    } else {
      std::vector<Object> args{value};
      value = call(current, op, args);
    }
  }
  write(value);
  return value;
}

void Interpreter::assign_attribute(const Object& target, const std::string& name, const Object& value) {
  auto r = target.get<RecordPtr>();
  if (!r) throw no_method(name + "=", class_name(target), {});
  if (!instance_methods_.empty())
    if (const Node* setter = model_method(target, name + "=")) {  // def display_name=(value) in the model
      std::vector<Object> args{value};
      call_model_method(*setter, target, args);
      return;
    }
  store_.persistence().assign(**r, name, to_input(value));
}

}  // namespace fw::lang

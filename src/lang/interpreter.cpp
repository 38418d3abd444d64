#include "lang/interpreter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/text.hpp"
#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

using model::RecordPtr;
using model::Relation;


// ---- statements ----

std::vector<std::string> Interpreter::variable_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : variables_) out.push_back(k);
  return out;
}

std::optional<Object> Interpreter::run(const Node& statement) {
  at_ = statement.pos;
  self_.clear();
  if (statement.kind == Node::Kind::ConsoleCommand) {
    if (!commands_) throw RuntimeError("the console command '" + statement.name + "' works in the console only");
    return commands_(statement);
  }
  if (statement.kind == Node::Kind::ClassDef)
    throw RuntimeError("classes are declared in the app's db/models.fw, which fwitter reads when it starts");
  Object value = eval(statement);
  variables_["_"] = value;
  return value;
}

Relation Interpreter::run_scope(const Node& body, const Relation& relation) {
  self_.push_back(Object::relation(relation));
  struct Pop {
    std::vector<Object>& s;
    ~Pop() { s.pop_back(); }
  } pop{self_};
  Object result = eval(body);
  if (auto r = result.get<RelationPtr>()) return **r;
  if (auto m = result.get<ModelRef>()) return Relation(*m->model);
  throw type_error("a scope's body must give a relation (such as where(...)), not " + class_name(result));
}

Object Interpreter::eval(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: case Node::Kind::True: case Node::Kind::False: case Node::Kind::Integer:
    case Node::Kind::Float: case Node::Kind::String: case Node::Kind::Symbol: case Node::Kind::Regex:
      return eval_literal(n);
    case Node::Kind::Self:
      return self_.empty() ? Object(std::string("main")) : self_.back();
    case Node::Kind::Array: {
      Array items;
      for (const auto& i : n.items) items.push_back(eval(*i));
      return Object::array(std::move(items));
    }
    case Node::Kind::Hash: {
      Hash items;
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) items.push_back({eval(*n.items[i]), eval(*n.items[i + 1])});
      return Object::hash(std::move(items));
    }
    case Node::Kind::Variable: {
      auto it = variables_.find(n.name);
      if (it != variables_.end()) return it->second;
      return eval_call(n);
    }
    case Node::Kind::Call: return eval_call(n);
    case Node::Kind::Constant: {
      if (const auto* m = store_.app().find(n.name)) return ModelRef{m};
      at_ = n.pos;
      throw RuntimeError("uninitialized constant " + n.name + with_suggestion(n.name, store_.app().model_names()));
    }
    case Node::Kind::Assign: {
      Object value = eval(*n.items[0]);
      variables_[n.name] = value;
      return value;
    }
    case Node::Kind::AttrAssign: {
      Object target = eval(*n.receiver);
      Object value = eval(*n.items[0]);
      at_ = n.pos;
      assign_attribute(target, n.name, value);
      return value;
    }
    case Node::Kind::Binary: return eval_binary(n);
    case Node::Kind::Not: return Object(!eval(*n.items[0]).truthy());
    case Node::Kind::Negate: {
      Object v = eval(*n.items[0]);
      if (auto i = v.get<std::int64_t>()) {
        if (*i == INT64_MIN) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
        return Object(-*i);
      }
      if (auto d = v.get<double>()) return Object(-*d);
      throw no_method("-@", class_name(v), {});
    }
    case Node::Kind::And: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? eval(*n.items[1]) : left;
    }
    case Node::Kind::Or: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? left : eval(*n.items[1]);
    }
    case Node::Kind::Index: {
      Object self = eval(*n.receiver);
      std::vector<Object> args{eval(*n.items[0])};
      at_ = n.pos;
      return call(self, "[]", args);
    }
    case Node::Kind::Lambda: return Lambda{n.items[0].get()};
    case Node::Kind::Command: return eval_command(n);
    case Node::Kind::ClassDef:
    case Node::Kind::ConsoleCommand:
    case Node::Kind::CommandPair:
      break;
  }
  throw RuntimeError("this cannot be used as a value");
}

Object Interpreter::eval_literal(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: return Object();
    case Node::Kind::True: return Object(true);
    case Node::Kind::False: return Object(false);
    case Node::Kind::Integer: {
      auto v = parse_int(n.text);
      if (!v) throw RuntimeError("integer " + n.text + " is too large");
      return Object(*v);
    }
    case Node::Kind::Float: return Object(parse_float(n.text).value_or(0.0));
    case Node::Kind::String: return Object(n.text);
    case Node::Kind::Symbol: return Symbol{n.text};
    default: return Regex{n.text, n.flags};
  }
}

std::vector<Object> Interpreter::eval_args(const Node& call) {
  std::vector<Object> args;
  for (const auto& a : call.items) args.push_back(eval(*a));
  return args;
}

Object Interpreter::eval_call(const Node& n) {
  if (!n.receiver) {
    auto args = eval_args(n);
    at_ = n.pos;
    if (!self_.empty()) return call(self_.back(), n.name, args);
    return call_self(n.name, args, n);
  }
  Object self = eval(*n.receiver);
  auto args = eval_args(n);
  at_ = n.pos;
  return call(self, n.name, args);
}

// Calls with no receiver at the top level: user(1) and friends.
Object Interpreter::call_self(const std::string& name, std::vector<Object>& args, const Node& at) {
  if (const auto* m = store_.app().find_by_singular(name); m && at.parens) {
    if (args.size() != 1) throw wrong_arguments(args.size(), "1");
    Value id;
    if (!args[0].to_value(id)) throw type_error(name + "(id) takes an id, not " + class_name(args[0]));
    return Object::record(store_.find(Relation(*m), id));
  }
  std::vector<std::string> known;
  for (const auto& v : variable_names())
    if (v != "_") known.push_back(v);
  for (const auto& m : store_.app().models()) known.push_back(model::inflector::underscore(m->name));
  if (at.parens) throw no_method(name, "main", known);  // with parentheses, Ruby's word is method
  throw no_name(name, known);
}

Object Interpreter::eval_binary(const Node& n) {
  Object left = eval(*n.items[0]);
  Object right = eval(*n.items[1]);
  at_ = n.pos;
  const std::string& op = n.name;
  if (op == "==") return Object(equal(left, right));
  if (op == "!=") return Object(!equal(left, right));
  std::vector<Object> args{right};
  return call(left, op, args);
}

// heart user=2 tweet=5  ==  Heart.create!(user_id: 2, tweet_id: 5)
Object Interpreter::eval_command(const Node& n) {
  const auto* m = store_.app().find_by_singular(n.name);
  if (!m) {
    std::vector<std::string> names;
    for (const auto& x : store_.app().models()) names.push_back(model::inflector::underscore(x->name));
    throw RuntimeError("no model named " + n.name + " for the command form (model key=value ...)." +
                       suggestion_suffix(n.name, names));
  }
  model::Attributes attributes;
  for (const auto& pair : n.items) {
    Object value = eval(*pair->items[0]);
    at_ = pair->pos;
    if (pair->path.empty()) {
      attributes.push_back({pair->name, to_input(value)});
      continue;
    }
    // assoc.column=value: the associated record found by that column.
    const model::Reflection* r = m->reflection(pair->name);
    if (!r || !r->is_belongs_to())
      throw RuntimeError(fmt::format("{} has no belongs_to association {} to look up by {}.{}", m->name, pair->name,
                                     pair->path, suggestion_suffix(pair->name, m->association_names())));
    auto found = store_.find_by(Relation(*r->klass), {{pair->path, to_input(value)}});
    if (!found) {
      Value v;
      value.to_value(v);
      throw model::RecordNotFound::by(r->klass->name, pair->path, v);
    }
    attributes.push_back({pair->name, model::Input(found)});
  }
  at_ = n.pos;
  auto record = store_.build(*m, attributes);
  store_.save_strict(*record);
  return Object::record(record);
}

void Interpreter::assign_attribute(const Object& target, const std::string& name, const Object& value) {
  auto r = target.get<RecordPtr>();
  if (!r) throw no_method(name + "=", class_name(target), {});
  store_.assign(**r, name, to_input(value));
}

// ---- method calls ----

namespace {

// How Ruby names a receiver in "undefined method" messages.
std::string describe_receiver(const Object& self) {
  if (auto m = self.get<ModelRef>()) return "class " + m->model->name;
  if (auto r = self.get<RelationPtr>())
    return (*r)->owner() ? "an instance of ActiveRecord::Associations::CollectionProxy"
                         : "an instance of ActiveRecord::Relation";
  if (self.is_nil()) return "nil";
  return "an instance of " + class_name(self);
}

}  // namespace

// Every method call goes through here: a model's members first, then the
// tables of the receiver's kind and its ancestors (vocabulary.hpp).
Object Interpreter::call(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block) {
  Call c{*this, self, name, args, block};
  if (self.is<RecordPtr>()) {
    if (auto v = call_record_member(c)) return *v;
  } else if (self.is<ModelRef>() || self.is<RelationPtr>()) {
    if (auto v = call_scope(c)) return *v;
  }
  for (Kind kind : ancestors(self)) {
    if (const Method* m = find_method(kind, name)) {
      check_arity(*m, args.size());
      return m->run(c);
    }
  }
  throw no_method(name, describe_receiver(self), names_for(self));
}

}  // namespace fw::lang

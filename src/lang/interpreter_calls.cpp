// Method calls: arguments and blocks, yield, def'd functions, models' own methods, the tables, the command form.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/text.hpp"
#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/forbidden.hpp"
#include "lang/interpreter.hpp"
#include "lang/interpreter_support.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"
#include "model/errors.hpp"

namespace fw::lang {

using model::RecordPtr;
using model::Relation;
using namespace interp;

std::vector<Object> Interpreter::eval_args(const Node& call) {
  std::vector<Object> args;
  for (const auto& a : call.items) args.push_back(eval(*a));
  return args;
}

// The block a call was written with, as a proc over the current scope.
Object Interpreter::make_block(const Node& block) {
  if (block.kind == Node::Kind::BlockPass) {
    Object given = eval(*block.items[0]);
    if (given.is_nil() || given.is<Ref<Proc>>()) return given;
    if (auto s = given.get<Symbol>()) {
      auto proc = make_ref<Proc>();
      proc->symbol = s->name();
      return Object(std::move(proc));
    }
    throw type_error("wrong argument type " + class_name(given) + " (expected Proc)");
  }
  auto proc = make_ref<Proc>();
  proc->params = block.params;
  proc->body = block.items[0].get();
  proc->env = env_;
  if (!self_.empty()) proc->self = self_.back();
  return Object(std::move(proc));
}

Object Interpreter::eval_lambda(const Node& n) {
  auto proc = make_ref<Proc>();
  auto tree = std::shared_ptr<const Node>(clone(n));  // the lambda's whole node: its defaults too
  proc->params = n.params, proc->body = tree->items[0].get(), proc->tree = tree, proc->defaults = &tree->defaults;
  proc->env = env_, proc->lambda = true;
  if (!self_.empty()) proc->self = self_.back();
  return Object(std::move(proc));
}

namespace {
// Kernel's methods, called with no receiver even where self is a record or a relation.
bool is_kernel_method(const std::string& name) {
  static const std::set<std::string> names = {"throw", "raise", "puts", "print", "p", "pp", "format", "sprintf"};
  return names.count(name) > 0;
}
}  // namespace

Object Interpreter::eval_call(const Node& n) {
  if (!n.receiver) {
    if (n.name == "defined?") return eval_defined(n);
    if (n.name == "retry" && n.items.empty()) {
      if (last_error_.is_nil()) throw RuntimeError("Invalid retry: retry works inside a rescue clause");
      throw RetrySignal{};
    }
  }
  Object self;
  if (n.receiver) {
    self = eval(*n.receiver);
    if (n.safe && self.is_nil()) return Object();  // x&.name: nil stays nil, arguments unread
  }
  auto args = eval_args(n);
  Object block = n.block ? make_block(*n.block) : Object();
  const Object* given = block.is_nil() ? nullptr : &block;
  at_ = n.pos;
  // email.downcase! (or self.email.downcase!) inside a model's callback or
  // method changes the attribute, as Ruby's string, shared with the record, would.
  if (self.is<std::string>() && !n.name.empty() && n.name.back() == '!' && !self_.empty()) {
    const Node& r = *n.receiver;
    bool bare = r.kind == Node::Kind::Variable || (r.kind == Node::Kind::Call && r.receiver &&
                                                    r.receiver->kind == Node::Kind::Self && r.items.empty());
    if (auto rec = self_.back().get<RecordPtr>(); bare && rec && (*rec)->model().column(r.name)) {
      RecordPtr owner = *rec;
      std::string before = *self.get<std::string>();
      Object result = call(self, n.name, args, given);
      if (*self.get<std::string>() != before) assign_attribute(Object::record(owner), r.name, self);
      return result;
    }
  }
  try {
    if (!n.receiver && n.name == "super" && !frames_.empty() && !self_.empty()) {  // past the model's own method
      if (!n.parens && n.items.empty()) args = frames_.back().args;  // bare super passes the method's arguments on
      return call_builtin(self_.back(), frames_.back().name, args, given);
    }
    if (n.receiver) {
      if (n.receiver->kind != Node::Kind::Self) check_visible(self, n.name);
      return call(self, n.name, args, given);
    }
    if (!self_.empty() && !is_kernel_method(n.name)) return call(self_.back(), n.name, args, given);
    return call_self(n.name, args, n, given);
  } catch (BreakSignal& b) {  // break inside this call's block ends the call
    if (!given || b.from != given->get<Ref<Proc>>()->get()) throw;
    return b.value;
  }
}

Object Interpreter::yield(const Object& block, std::vector<Object> args) {
  const auto& proc = *block.get<Ref<Proc>>();
  check_interrupt();
  if (!proc->symbol.empty()) {  // &:name
    if (args.empty()) throw RuntimeError("no receiver given");
    Object self = args[0];
    args.erase(args.begin());
    return call(self, proc->symbol, args);
  }
  const auto& params = proc->params;
  bool plain = std::all_of(params.begin(), params.end(), plain_param);
  if (proc->lambda && plain && args.size() != params.size())
    throw wrong_arguments(args.size(), std::to_string(params.size()));
  bool spread = params.size() > 1 || (params.size() == 1 && params[0][0] == '*' && params[0] != "*");
  if (!proc->lambda && spread && args.size() == 1)  // |k, v| takes a pair apart
    if (auto a = args[0].get<Ref<Array>>()) args = **a;
  // The scope of the block's last call, unless a proc made inside it kept it:
  // a block called for each of a million elements allocates one scope, not a million.
  std::shared_ptr<Env> env = std::move(proc->spare);
  if (env && env.use_count() == 1) env->vars.clear();
  else env = std::make_shared<Env>();
  env->parent = proc->env;
  struct Recycle {  // declared before the scope switch, so it runs after the switch back
    std::shared_ptr<Env>& env;
    Proc& proc;
    ~Recycle() {
      if (env.use_count() != 1) return;
      env->vars.clear();  // kept empty: its values (a hash whose default block this is) must not keep themselves alive
      env->parent.reset();
      proc.spare = std::move(env);
    }
  } recycle{env, *proc};
  DepthCount depth(call_depth_);
  EnvScope scope(env_, env);
  if (plain) {
    const auto& vars = intern_all(params, proc->param_vars);
    for (size_t i = 0; i < vars.size(); ++i) env->vars[vars[i]] = i < args.size() ? args[i] : Object();
  } else {
    static const std::vector<NodePtr> none;
    bind_params(params, proc->defaults ? *proc->defaults : none, std::move(args), proc->lambda, nullptr);
  }
  bool has_self = !proc->self.is_nil();
  if (has_self) self_.push_back(proc->self);
  struct PopSelf {
    std::vector<Object>& s;
    bool on;
    ~PopSelf() {
      if (on) s.pop_back();
    }
  } pop{self_, has_self};
  try {
    return eval(*proc->body);
  } catch (const NextSignal& next) {
    return next.value;
  } catch (BreakSignal& b) {
    if (proc->lambda) return b.value;  // break in a lambda leaves the lambda
    if (!b.from) b.from = proc.get();
    throw;
  } catch (const ReturnSignal& r) {
    if (proc->lambda) return r.value;
    throw;
  }
}

Object Interpreter::keep_proc(const Object& block, bool lambda) {
  const auto& given = *block.get<Ref<Proc>>();
  auto proc = make_ref<Proc>(*given);
  proc->spare.reset();  // its own, not the block's
  if (proc->body && !proc->tree) {
    auto tree = std::shared_ptr<const Node>(clone(*proc->body));
    proc->body = tree.get(), proc->tree = tree;
  }
  proc->lambda = lambda;
  if (proc->env) remember_closure(proc->env);
  return Object(std::move(proc));
}

// A def's body with its parameters bound; `self`, when given, is the
// receiver of its calls (a model's method: the record, or the class).
Object Interpreter::call_function(const Node& def, std::vector<Object>& args, const Object* self, const Object* block) {
  bool plain = std::all_of(def.params.begin(), def.params.end(), plain_param);
  if (plain && args.size() != def.params.size()) throw wrong_arguments(args.size(), std::to_string(def.params.size()));
  check_interrupt();
  auto env = std::make_shared<Env>();  // a method sees its parameters, not the caller's variables
  DepthCount depth(call_depth_);
  EnvScope scope(env_, env);
  if (plain) {
    const auto& vars = intern_all(def.params, def.param_vars);
    for (size_t i = 0; i < args.size(); ++i) env->vars[vars[i]] = args[i];
  } else {
    bind_params(def.params, def.defaults, args, true, block);
  }
  if (self) self_.push_back(*self);
  struct PopSelf {
    std::vector<Object>& s;
    bool on;
    ~PopSelf() {
      if (on) s.pop_back();
    }
  } pop{self_, self != nullptr};
  try {
    return eval(*def.items[0]);
  } catch (const ReturnSignal& r) {
    return r.value;
  }
}

// Calls with no receiver at the top level: methods defined with def,
// user(1) and friends, then puts, p and the rest of the Main table.
Object Interpreter::call_self(const std::string& name, std::vector<Object>& args, const Node& at, const Object* block) {
  if (auto f = functions_.find(name); f != functions_.end()) {
    auto def = f->second;  // kept alive even if the method redefines itself
    return call_function(*def, args, nullptr, block);
  }
  if (const auto* m = store_.app().find_by_singular(name); m && at.parens) {
    if (args.size() != 1) throw wrong_arguments(args.size(), "1");
    Value id;
    if (!args[0].to_value(id)) throw type_error(name + "(id) takes an id, not " + class_name(args[0]));
    return Object::record(store_.queries().find(Relation::all(*m, store_.code()), id));
  }
  if (const Method* m = find_method(Kind::Main, name)) {
    check_arity(*m, args.size());
    Object main(std::string("main"));
    Call c{*this, main, name, args, block};
    return m->run(c);
  }
  if (auto refused = refused_call(name)) throw RubyError(kRefusedClass, *refused);
  std::vector<std::string> known = method_names(Kind::Main);
  for (const auto& v : variable_names())
    if (v != "_") known.push_back(v);
  for (const auto& f : function_names()) known.push_back(f);
  for (const auto& singular : store_.app().singular_names()) known.push_back(singular);
  if (at.parens || !args.empty() || block) throw no_method(name, "main", known);  // Ruby's word for a call is method
  throw no_name(name, known);
}

// heart user=2 tweet=5  ==  Heart.create!(user_id: 2, tweet_id: 5)
Object Interpreter::eval_command(const Node& n) {
  const auto* m = store_.app().find_by_singular(n.name);
  if (!m) {
    throw RuntimeError("no model named " + n.name + " for the command form (model key=value ...)." +
                       suggestion_suffix(n.name, store_.app().singular_names()));
  }
  model::Attributes attributes;
  attributes.reserve(n.items.size());
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
    auto found = store_.queries().find_by(Relation(*r->klass), {{pair->path, to_input(value)}});
    if (!found) {
      Value v;
      value.to_value(v);
      throw model::RecordNotFound::by(r->klass->name, pair->path, v);
    }
    attributes.push_back({pair->name, model::Input(found)});
  }
  at_ = n.pos;
  auto record = store_.persistence().build(*m, attributes);
  store_.persistence().save_strict(*record);
  return Object::record(record);
}

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

void Interpreter::define_method(const model::ModelClass& model, const Node& def, bool class_method,
                                const std::string& source, Visibility visibility) {
  (class_method ? class_methods_ : instance_methods_)[&model][def.name] = &def;
  def_sources_[&def] = source;
  if (visibility != Visibility::Public) hidden_[&def] = visibility;
  else hidden_.erase(&def);
}

void Interpreter::set_visibility(const model::ModelClass& model, const std::string& name, Visibility visibility) {
  auto of_model = instance_methods_.find(&model);
  if (of_model == instance_methods_.end()) return;
  if (auto it = of_model->second.find(name); it != of_model->second.end()) {
    if (visibility != Visibility::Public) hidden_[it->second] = visibility;
    else hidden_.erase(it->second);
  }
}

// record.downcase_email from outside, for a private method: NoMethodError, as Ruby's.
void Interpreter::check_visible(const Object& self, const std::string& name) const {
  if (hidden_.empty()) return;
  const Node* def = model_method(self, name);
  auto it = def ? hidden_.find(def) : hidden_.end();
  if (it == hidden_.end()) return;
  throw RuntimeError(fmt::format("{} method '{}' called for {}",
                                 it->second == Visibility::Private ? "private" : "protected", name,
                                 describe_receiver(self)));
}

std::vector<std::string> Interpreter::model_method_names(const model::ModelClass& model, bool class_methods) const {
  std::vector<std::string> out;
  const Methods& methods = class_methods ? class_methods_ : instance_methods_;
  if (auto it = methods.find(&model); it != methods.end())
    for (const auto& [name, def] : it->second) out.push_back(name);
  return out;
}

const Node* Interpreter::model_method(const Object& self, const std::string& name) const {
  const Methods* methods = &instance_methods_;
  const model::ModelClass* model = nullptr;
  if (auto r = self.get<RecordPtr>()) model = &(*r)->model();
  else if (auto m = self.get<ModelRef>()) model = m->model, methods = &class_methods_;
  else if (auto rel = self.get<RelationPtr>()) model = &(*rel)->model(), methods = &class_methods_;
  return model ? method_of(*methods, model, name) : nullptr;
}

// A model's method: its own first, then its superclass's (single-table inheritance).
const Node* Interpreter::method_of(const Methods& methods, const model::ModelClass* model, const std::string& name) {
  for (; model; model = model->superclass) {
    auto of_model = methods.find(model);
    if (of_model == methods.end()) continue;
    if (auto it = of_model->second.find(name); it != of_model->second.end()) return it->second;
  }
  return nullptr;
}

// Every method call goes through here: a model's own methods (def in its
// class body) and members first, then the tables of the receiver's kind and
// its ancestors (vocabulary.hpp).
Object Interpreter::call(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block) {
  if (!instance_methods_.empty() || !class_methods_.empty())
    if (const Node* def = model_method(self, name)) return call_model_method(*def, self, args);
  if (!aliases_.empty())
    if (auto r = self.get<RecordPtr>())
      for (const model::ModelClass* m = &(*r)->model(); m; m = m->superclass)
        if (auto of = aliases_.find(m); of != aliases_.end())
          if (auto it = of->second.find(name); it != of->second.end()) return call(self, it->second, args, block);
  return call_builtin(self, name, args, block);
}

Object Interpreter::call_model_method(const Node& def, const Object& self, std::vector<Object>& args) {
  frames_.push_back({def.name, args});
  struct Pop {
    std::vector<Frame>& f;
    ~Pop() { f.pop_back(); }
  } pop{frames_};
  KeepPlace place{at_, at_source_, raised_in_};
  if (auto it = def_sources_.find(&def); it != def_sources_.end()) at_source_ = it->second;
  return call_function(def, args, &self);
}

Object Interpreter::call_builtin(const Object& self, const std::string& name, std::vector<Object>& args,
                                 const Object* block) {
  Call c{*this, self, name, args, block};
  if (self.is<RecordPtr>()) {
    if (auto v = call_record_member(c)) return *v;
  } else if (self.is<ModelRef>() || self.is<RelationPtr>()) {
    if (auto v = call_scope(c)) return *v;
  }
  if (const Method* m = method_for(kind_of(self), name)) {
    check_arity(*m, args.size());
    return m->run(c);
  }
  // A BCrypt::Password is a String in the gem: the digest answers String's methods (length, [0, 7]).
  if (auto password = self.get<BcryptPassword>(); password && find_method(Kind::String, name))
    return call_builtin(Object(password->digest), name, args, block);
  if (auto refused = refused_call(name)) throw RubyError(kRefusedClass, *refused);
  auto known = names_for(self);
  const model::ModelClass* model = nullptr;
  if (auto r = self.get<RecordPtr>()) model = &(*r)->model();
  if (auto m = self.get<ModelRef>()) model = m->model;
  if (model)
    for (auto& n : model_method_names(*model, !self.is<RecordPtr>())) known.push_back(std::move(n));
  throw no_method(name, describe_receiver(self), known);
}

}  // namespace fw::lang

#include "lang/interpreter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <atomic>
#include <cstdint>
#include <exception>
#include <cmath>
#include <iostream>
#include <new>

#include "base/diagnostic.hpp"
#include "base/text.hpp"
#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/forbidden.hpp"
#include "lang/inspect.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"
#include "model/errors.hpp"

namespace fw::lang {

using model::RecordPtr;
using model::Relation;

namespace {

// Why a running statement was asked to stop: 0 it was not, else a Stop.
enum Stop : int { kRunning = 0, kInterrupted = 1, kExpired = 2 };
std::atomic<int> stop_requested{kRunning};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

// break, next and return unwind as these; they are not errors, so nothing
// that catches errors stops them.
struct BreakSignal {
  Object value;
  const Proc* from = nullptr;  // the block it leaves; null inside a loop
};
struct NextSignal {
  Object value;
};
struct ReturnSignal {
  Object value;
};
struct RetrySignal {};  // retry, in a rescue clause: runs the begin's body again

// Runs with `env` as the current scope, and puts the previous one back.
class EnvScope {
 public:
  EnvScope(std::shared_ptr<Env>& slot, std::shared_ptr<Env> env) : slot_(slot), saved_(std::move(slot)) {
    slot_ = std::move(env);
  }
  ~EnvScope() { slot_ = std::move(saved_); }

 private:
  std::shared_ptr<Env>& slot_;
  std::shared_ptr<Env> saved_;
};

// How far the stack may grow below where a statement started: well inside
// the 8 MiB a program gets, even when sanitizers make every frame larger.
constexpr std::uintptr_t kMaxStackBytes = 3 * 1024 * 1024;
std::uintptr_t stack_base = 0;  // an address near the top of the stack, set when a statement starts

std::uintptr_t stack_here() {
  // The frame's own address (GCC and clang): the stack grows down on every
  // platform fwitter builds for.
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

// Counts nested calls, and measures the stack they use, so no script can
// exhaust it.
class DepthCount {
 public:
  explicit DepthCount(int& depth) : depth_(depth) {
    std::uintptr_t here = stack_here();
    bool deep = stack_base && here < stack_base && stack_base - here > kMaxStackBytes;
    if (++depth_ > Interpreter::kMaxCallDepth || deep) {
      --depth_;
      throw RuntimeError("stack level too deep");
    }
  }
  ~DepthCount() { --depth_; }

 private:
  int& depth_;
};

// A deep copy of a tree, so a proc or def can outlive its statement.
NodePtr clone(const Node& n) {
  auto copy = std::make_unique<Node>(n.kind, n.pos, n.offset);
  copy->depth = n.depth;
  copy->name = n.name, copy->text = n.text, copy->flags = n.flags, copy->path = n.path;
  copy->bare = n.bare, copy->parens = n.parens, copy->safe = n.safe, copy->exclusive = n.exclusive;
  copy->negate = n.negate;
  copy->integer = n.integer, copy->op = n.op;
  copy->params = n.params;
  if (n.receiver) copy->receiver = clone(*n.receiver);
  if (n.block) copy->block = clone(*n.block);
  for (const auto& item : n.items) copy->items.push_back(clone(*item));
  for (const auto& d : n.defaults) copy->defaults.push_back(clone(*d));
  return copy;
}

// Ruby's ===, as case/when uses it.
bool case_equal(const Object& pattern, const Object& value, Interpreter& in) {
  if (pattern.is<std::shared_ptr<Range>>() || pattern.is<Regex>()) {
    std::vector<Object> args{value};
    return in.call(pattern, pattern.is<Regex>() ? "===" : "include?", args).truthy();
  }
  if (auto m = pattern.get<ModelRef>()) {
    auto r = value.get<RecordPtr>();
    return r && &(*r)->model() == m->model;
  }
  if (auto k = pattern.get<BuiltinClass>()) return is_kind_of(value, k->name);  // when Integer
  return equal(pattern, value);
}

}  // namespace

Interpreter::Interpreter(model::Store& store)
    : store_(store), globals_(std::make_shared<Env>()), env_(globals_), out_(&std::cout) {
  // Ctrl-C and --timeout stop a long query too, not only the loops around it.
  store_.db().stop_when(&stop_requested);
}

// Procs kept in variables hold the scopes they were made in: a cycle that
// reference counting never frees. Emptying those scopes breaks it.
Interpreter::~Interpreter() {
  for (auto& weak : closed_over_)
    if (auto env = weak.lock()) env->vars.clear();
  globals_->vars.clear();
}

// Keeps a weak reference to a scope a proc was stored in. The same scope
// again (a loop assigning procs at the top level) is not added twice, and
// scopes already freed are dropped whenever the list has doubled, so it
// stays in proportion to the scopes still alive.
void Interpreter::remember_closure(const std::shared_ptr<Env>& env) {
  if (!closed_over_.empty() && closed_over_.back().lock() == env) return;
  if (closed_over_.size() >= 2 * closed_over_kept_) {
    closed_over_.erase(std::remove_if(closed_over_.begin(), closed_over_.end(), [](const auto& w) { return w.expired(); }),
                       closed_over_.end());
    closed_over_kept_ = std::max<size_t>(closed_over_.size(), 16);
  }
  closed_over_.push_back(env);
}

void Interpreter::interrupt() { stop_requested = kInterrupted; }
void Interpreter::expire() { stop_requested = kExpired; }
void Interpreter::clear_interrupt() { stop_requested = kRunning; }

void Interpreter::check_interrupt() { stop_if_asked(); }

void Interpreter::stop_if_asked() {
  if (stop_requested.load(std::memory_order_relaxed) == kRunning) return;  // the common case: a read, not a write
  int stop = stop_requested.exchange(kRunning);
  if (stop == kInterrupted) throw Interrupted("Interrupt");
  if (stop == kExpired) throw Interrupted("execution expired (the statement ran past --timeout)");
}

// ---- variables ----

Object* Interpreter::lookup(const std::string& name) {
  for (Env* e = env_.get(); e; e = e->parent.get()) {
    if (Object* found = e->vars.find(name)) return found;
  }
  return nullptr;
}

void Interpreter::assign(const std::string& name, const Object& value) {
  if (Object* existing = lookup(name)) *existing = value;
  else env_->vars[name] = value;
}

std::vector<std::string> Interpreter::variable_names() const {
  std::vector<std::string> out;
  for (const Env* e = env_.get(); e; e = e->parent.get())
    for (const auto& [k, v] : e->vars) out.push_back(k);
  return out;
}

std::vector<std::string> Interpreter::function_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : functions_) out.push_back(k);
  return out;
}

// ---- statements ----

std::optional<Object> Interpreter::run(const Node& statement) {
  if (statement.kind == Node::Kind::Body && statement.flags == "line") {  // a; b; c: the last value
    std::optional<Object> last;
    for (const auto& item : statement.items) last = run(*item);
    return last;
  }
  at_ = statement.pos;
  at_source_.clear();
  raised_in_ = {};
  self_.clear();
  if (statement.kind == Node::Kind::ConsoleCommand)  // the console runs its own commands (console/commands/)
    throw RuntimeError("the console command '" + statement.name + "' works in the console only");
  if (statement.kind == Node::Kind::ClassDef || statement.kind == Node::Kind::ModuleDef)
    throw RuntimeError(std::string(statement.kind == Node::Kind::ClassDef ? "classes" : "modules") +
                       " are declared in the app's model files (db/models.fw, app/models/*.rb), which fwitter reads "
                       "when it starts");
  EnvScope top(env_, globals_);
  if (call_depth_ == 0) stack_base = stack_here();  // not when a scope's body runs inside a statement
  Object value;
  try {
    value = eval(statement);
  } catch (const BreakSignal&) {  // the parser refuses these; kept so none can escape
    throw RuntimeError("Invalid break");
  } catch (const NextSignal&) {
    throw RuntimeError("Invalid next");
  } catch (const ReturnSignal&) {
    throw RuntimeError("Invalid return");
  } catch (const storage::DbError& e) {
    if (e.is_unavailable()) throw;
    check_interrupt();  // a query Ctrl-C or --timeout stopped: Interrupt, not an SQL error
    throw model::StatementInvalid::from(e);  // a read's error worded as a write's
  } catch (const Interrupted&) {
    throw;
  } catch (const fw::Error&) {
    check_interrupt();  // the same query's error, worded by the model layer on the way
    throw;
  }
  globals_->vars["_"] = value;
  return value;
}

namespace {
// A body from the app's model files (a method, a callback, a scope) runs
// inside a statement: an error in it is reported at the statement, where the
// script's file name is right, and the innermost place in a model file it
// passed, when known, is kept for a note ("raised here").
struct KeepPlace {
  SourcePos& at;
  std::string& source;
  Interpreter::Place& raised;
  SourcePos saved = at;
  std::string saved_source = source;
  int unwinding = std::uncaught_exceptions();
  ~KeepPlace() {
    if (std::uncaught_exceptions() > unwinding && !source.empty() && raised.file.empty()) raised = {source, at};
    at = saved;
    source = saved_source;
  }
};
}  // namespace

Relation Interpreter::run_scope(const Node& body, const Relation& relation) {
  KeepPlace place{at_, at_source_, raised_in_};
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

bool Interpreter::run_callback(const Node& body, const std::vector<std::string>& params, model::Record& record,
                               const std::string& source) {
  KeepPlace place{at_, at_source_, raised_in_};
  at_source_ = source;
  auto self = Object::record(model::RecordPtr(&record, [](model::Record*) {}));  // borrowed while it runs
  auto env = std::make_shared<Env>();
  env->parent = globals_;
  if (!params.empty()) env->vars[params[0]] = self;
  EnvScope scope(env_, env);
  self_.push_back(self);
  struct Pop {
    std::vector<Object>& s;
    ~Pop() { s.pop_back(); }
  } pop{self_};
  DepthCount depth(call_depth_);
  try {
    eval(body);
  } catch (const ThrowSignal& t) {
    if (t.tag() != "abort") throw;
    return false;
  } catch (const ReturnSignal&) {
  } catch (const NextSignal&) {
  }
  return true;
}

Relation Interpreter::run_scope(const Node& body, const Relation& relation, const std::vector<std::string>& params,
                               const model::ScopeArgs& args) {
  auto env = std::make_shared<Env>();
  env->parent = globals_;
  for (size_t i = 0; i < params.size(); ++i)
    env->vars[params[i]] = i < args.size() ? std::any_cast<Object>(args[i]) : Object();
  EnvScope scope(env_, env);
  return run_scope(body, relation);
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
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
        Object key = eval(*n.items[i]);
        items.set(key, eval(*n.items[i + 1]));  // a repeated key keeps its place, takes the last value
      }
      return Object::hash(std::move(items));
    }
    case Node::Kind::Variable: {
      if (Object* v = lookup(n.name)) return *v;
      if (n.name[0] == '$') return eval_global(n);
      if (n.name[0] == '@') return Object();  // an instance variable not yet set is nil
      return eval_call(n);
    }
    case Node::Kind::Call: return eval_call(n);
    case Node::Kind::Constant: {
      if (const auto* m = store_.app().find(n.name)) return ModelRef{m};
      if (!constants_.empty()) {
        if (!self_.empty()) {  // inside a model's method: its class's constants first
          const model::ModelClass* owner = nullptr;
          if (auto r = self_.back().get<RecordPtr>()) owner = &(*r)->model();
          else if (auto mr = self_.back().get<ModelRef>()) owner = mr->model;
          else if (auto rel = self_.back().get<RelationPtr>()) owner = &(*rel)->model();
          if (owner)
            if (auto it = constants_.find(owner->name + "::" + n.name); it != constants_.end()) return it->second;
        }
        if (auto it = constants_.find(n.name); it != constants_.end()) return it->second;
      }
      if (is_builtin_class(n.name)) return BuiltinClass{n.name};
      at_ = n.pos;
      if (auto refused = refused_constant(n.name)) throw RubyError(kRefusedClass, *refused);
      throw RuntimeError("uninitialized constant " + n.name + with_suggestion(n.name, store_.app().model_names()));
    }
    case Node::Kind::Assign: {
      Object value = eval(*n.items[0]);
      if (n.flags == "constant") {
        constants_[n.name] = value;
        return value;
      }
      assign(n.name, value);
      if (value.is<std::shared_ptr<Proc>>()) remember_closure(env_);
      return value;
    }
    case Node::Kind::AttrAssign: {
      Object target = eval(*n.receiver);
      Object value = eval(*n.items[0]);
      at_ = n.pos;
      assign_attribute(target, n.name, value);
      return value;
    }
    case Node::Kind::IndexAssign: {
      Object target = eval(*n.receiver);
      std::vector<Object> args{eval(*n.items[0]), eval(*n.items[1])};
      at_ = n.pos;
      call(target, "[]=", args);
      return args[1];
    }
    case Node::Kind::OpAssign: return eval_op_assign(n);
    case Node::Kind::Rescue: {  // x rescue y: y when x raises a StandardError
      try {
        return eval(*n.items[0]);
      } catch (...) {
        Object error = rescuable_error();
        if (error.is_nil() || !exception_is_a(class_name(error), "StandardError")) throw;
      }
      return eval(*n.items[1]);
    }
    case Node::Kind::Begin: return eval_begin(n);
    case Node::Kind::MultiAssign: return eval_multi_assign(n);
    case Node::Kind::Binary: return eval_binary(n);
    case Node::Kind::Not: return Object(!eval(*n.items[0]).truthy());
    case Node::Kind::Negate: {
      Object v = eval(*n.items[0]);
      if (auto i = v.get<std::int64_t>()) {
        if (*i == INT64_MIN) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
        return Object(-*i);
      }
      if (auto d = v.get<double>()) return Object(-*d);
      if (auto d = v.get<Decimal>()) return Object(-*d);
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
      std::vector<Object> args;
      for (const auto& i : n.items) args.push_back(eval(*i));
      at_ = n.pos;
      return call(self, "[]", args);
    }
    case Node::Kind::Lambda: {
      auto proc = std::make_shared<Proc>();
      auto tree = std::shared_ptr<const Node>(clone(n));  // the lambda's whole node: its defaults too
      proc->params = n.params, proc->body = tree->items[0].get(), proc->tree = tree, proc->defaults = &tree->defaults;
      proc->env = env_, proc->lambda = true;
      if (!self_.empty()) proc->self = self_.back();
      return Object(std::move(proc));
    }
    case Node::Kind::Body: return eval_body(n);
    case Node::Kind::Interp: return eval_interpolation(n);
    case Node::Kind::Range: return eval_range(n);
    case Node::Kind::If: return eval_if(n);
    case Node::Kind::While: return eval_while(n);
    case Node::Kind::Case: return eval_case(n);
    case Node::Kind::Def: return eval_def(n);
    case Node::Kind::Return: case Node::Kind::Break: case Node::Kind::Next: return eval_jump(n);
    case Node::Kind::Command: return eval_command(n);
    case Node::Kind::ClassDef:
    case Node::Kind::ModuleDef:
    case Node::Kind::ConsoleCommand:
    case Node::Kind::CommandPair:
    case Node::Kind::Block:
    case Node::Kind::BlockPass:
    case Node::Kind::When:
    case Node::Kind::RescueClause:
      break;
  }
  throw RuntimeError("this cannot be used as a value");
}

// The exception value for the error being handled (call it inside a catch),
// or nil when the error is not one a rescue may catch: Ctrl-C and --timeout
// (Interrupt), throw, a lost database, and break, next and return.
Object Interpreter::rescuable_error() {
  try {
    throw;
  } catch (const storage::DbError& e) {
    if (e.is_unavailable()) return Object();  // a lost database is not the statement's to handle
    check_interrupt();  // a query Ctrl-C or --timeout stopped is an Interrupt, which rescue lets through
    return exception_value(model::StatementInvalid::from(e));
  } catch (const Interrupted&) {
    return Object();
  } catch (const ThrowSignal&) {
    return Object();
  } catch (const fw::Error& e) {
    check_interrupt();  // the same query's error, worded by the model layer on the way
    return exception_value(e);
  } catch (const std::exception& e) {  // std::regex_error, std::bad_alloc: RegexpError, NoMemoryError
    return exception_value(e);
  } catch (...) {
    return Object();
  }
}

// The first rescue clause of `begin` that names the error's class or one above
// it (a clause that names none takes StandardError), or null.
const Node* Interpreter::rescue_clause(const Node& begin, const Object& error) {
  const std::string& error_class = (*error.get<std::shared_ptr<Exception>>())->class_name;
  for (size_t i = 1; i < begin.items.size(); ++i) {
    const Node& clause = *begin.items[i];
    if (clause.items.size() == 1 && exception_is_a(error_class, "StandardError")) return &clause;
    for (size_t j = 0; j + 1 < clause.items.size(); ++j) {
      Object named = eval(*clause.items[j]);
      auto cls = named.get<BuiltinClass>();
      if (!cls) throw type_error("class or module required for rescue clause");
      if (exception_is_a(error_class, cls->name)) return &clause;
    }
  }
  return nullptr;
}

// begin ... rescue Class => e ... else ... ensure ... end (a def's body too).
Object Interpreter::eval_begin(const Node& n) {
  Object value;
  try {
    bool rescued = false;
    for (bool done = false; !done;) {
      try {
        value = eval(*n.items[0]);
        done = true;
      } catch (...) {
        Object error = rescuable_error();
        const Node* clause = error.is_nil() ? nullptr : rescue_clause(n, error);
        if (!clause) throw;
        Object outer = std::exchange(last_error_, error);
        try {
          if (!clause->name.empty()) assign(clause->name, error);
          value = eval(*clause->items.back());
          done = rescued = true;
        } catch (const RetrySignal&) {
        }
        last_error_ = outer;
      }
    }
    if (!rescued && n.receiver) value = eval(*n.receiver);
  } catch (...) {
    if (n.block) eval(*n.block);
    throw;
  }
  if (n.block) eval(*n.block);
  return value;
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
  if (auto a = value.get<std::shared_ptr<Array>>()) return **a;
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

namespace {
bool plain_param(const std::string& p) {
  return p[0] != '*' && p[0] != '&' && p[0] != '(' && p.back() != '=' && p.back() != ':';
}
}  // namespace

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
    if (auto h = args.back().get<std::shared_ptr<Hash>>();
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
    auto groups = last_match_.get<std::shared_ptr<Array>>();
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

Object Interpreter::eval_body(const Node& n) {
  Object last;
  for (const auto& statement : n.items) last = eval(*statement);
  return last;
}

Object Interpreter::eval_literal(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: return Object();
    case Node::Kind::True: return Object(true);
    case Node::Kind::False: return Object(false);
    case Node::Kind::Integer: return Object(n.integer);  // the parser refuses one too large
    case Node::Kind::Float: return Object(parse_float(n.text).value_or(0.0));
    case Node::Kind::String: return Object(n.text);
    case Node::Kind::Symbol: return Symbol{n.text};
    default: return Regex{n.text, n.flags};
  }
}

Object Interpreter::eval_interpolation(const Node& n) {
  std::string out;
  for (const auto& part : n.items) {
    if (part->kind == Node::Kind::String) out += part->text;
    else out += to_s(eval(*part));
    if (out.size() > 64 * 1024 * 1024) throw RuntimeError("string too long (over 64 MiB)");
  }
  return Object(std::move(out));
}

Object Interpreter::eval_range(const Node& n) {
  auto range = std::make_shared<Range>();
  range->first = eval(*n.items[0]);
  range->last = eval(*n.items[1]);
  range->exclusive = n.exclusive;
  bool numbers = (range->first.is<std::int64_t>() || range->first.is<double>() || range->first.is_nil()) &&
                 (range->last.is<std::int64_t>() || range->last.is<double>() || range->last.is_nil());
  bool strings = range->first.is<std::string>() && range->last.is<std::string>();
  bool moments = (as_time(range->first) || range->first.is_nil()) && (as_time(range->last) || range->last.is_nil());
  if (!numbers && !strings && !moments) {  // where(published_at: t1..t2)
    at_ = n.pos;
    throw RuntimeError("bad value for range");
  }
  return Object(std::move(range));
}

Object Interpreter::eval_if(const Node& n) {
  bool yes = eval(*n.items[0]).truthy() != n.negate;
  if (yes) return eval(*n.items[1]);
  return n.items.size() > 2 ? eval(*n.items[2]) : Object();
}

Object Interpreter::eval_while(const Node& n) {
  for (;;) {
    check_interrupt();
    if (eval(*n.items[0]).truthy() == n.negate) return Object();
    try {
      eval(*n.items[1]);
    } catch (BreakSignal& b) {
      if (b.from) throw;  // leaves a block inside the loop's body, not the loop
      return b.value;
    } catch (const NextSignal&) {
    }
  }
}

Object Interpreter::eval_case(const Node& n) {
  bool subject = n.items[0]->kind != Node::Kind::Nil;
  Object value = subject ? eval(*n.items[0]) : Object();
  for (size_t i = 1; i < n.items.size(); ++i) {
    const Node& when = *n.items[i];
    for (size_t j = 0; j + 1 < when.items.size(); ++j) {
      Object pattern = eval(*when.items[j]);
      if (subject ? case_equal(pattern, value, *this) : pattern.truthy()) return eval(*when.items.back());
    }
  }
  return n.receiver ? eval(*n.receiver) : Object();
}

// x += 1, x ||= [], u.name ||= "x", h[k] += 1: the target is read and written once.
Object Interpreter::eval_op_assign(const Node& n) {
  const Node& target = *n.items[0];
  const std::string& op = n.name;
  if (n.op && target.kind == Node::Kind::Variable) {  // i += 1: for two numbers, no method call
    Object* slot = lookup(target.name);
    Object current = slot ? *slot : Object();  // read before the value, as Ruby reads it
    Object value = eval(*n.items[1]);
    auto result = number_operation(current, static_cast<Operator>(n.op), value);
    if (!result) {
      at_ = n.pos;
      std::vector<Object> args{value};
      result = call(current, op, args);  // nil + 1: NoMethodError, as Ruby
    }
    if (Object* now = lookup(target.name)) *now = *result;  // again: the value may have added variables
    else assign(target.name, *result);
    return *std::move(result);
  }
  Object receiver, index;
  if (target.kind != Node::Kind::Variable) receiver = eval(*target.receiver);
  if (target.kind == Node::Kind::Index) index = eval(*target.items[0]);
  at_ = n.pos;
  auto read = [&]() -> Object {
    if (target.kind == Node::Kind::Variable) {
      Object* v = lookup(target.name);
      return v ? *v : Object();
    }
    std::vector<Object> args;
    if (target.kind == Node::Kind::Index) args.push_back(index);
    return call(receiver, target.kind == Node::Kind::Index ? "[]" : target.name, args);
  };
  auto write = [&](const Object& value) {
    if (target.kind == Node::Kind::Variable) return assign(target.name, value);
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

Object Interpreter::eval_def(const Node& n) {
  functions_[n.name] = std::shared_ptr<const Node>(clone(n));
  return Symbol{n.name};
}

Object Interpreter::eval_jump(const Node& n) {
  Object value = n.items.empty() ? Object() : eval(*n.items[0]);
  if (n.kind == Node::Kind::Break) throw BreakSignal{value, nullptr};
  if (n.kind == Node::Kind::Next) throw NextSignal{value};
  throw ReturnSignal{value};
}

std::vector<Object> Interpreter::eval_args(const Node& call) {
  std::vector<Object> args;
  for (const auto& a : call.items) args.push_back(eval(*a));
  return args;
}

// The block a call was written with, as a proc over the current scope.
Object Interpreter::make_block(const Node& block) {
  if (block.kind == Node::Kind::BlockPass) {
    Object given = eval(*block.items[0]);
    if (given.is_nil() || given.is<std::shared_ptr<Proc>>()) return given;
    if (auto s = given.get<Symbol>()) {
      auto proc = std::make_shared<Proc>();
      proc->symbol = s->name;
      return Object(std::move(proc));
    }
    throw type_error("wrong argument type " + class_name(given) + " (expected Proc)");
  }
  auto proc = std::make_shared<Proc>();
  proc->params = block.params;
  proc->body = block.items[0].get();
  proc->env = env_;
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
    if (n.receiver) return call(self, n.name, args, given);
    if (!self_.empty() && !is_kernel_method(n.name)) return call(self_.back(), n.name, args, given);
    return call_self(n.name, args, n, given);
  } catch (BreakSignal& b) {  // break inside this call's block ends the call
    if (!given || b.from != given->get<std::shared_ptr<Proc>>()->get()) throw;
    return b.value;
  }
}

Object Interpreter::yield(const Object& block, std::vector<Object> args) {
  const auto& proc = *block.get<std::shared_ptr<Proc>>();
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
    if (auto a = args[0].get<std::shared_ptr<Array>>()) args = **a;
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
    for (size_t i = 0; i < params.size(); ++i) env->vars[params[i]] = i < args.size() ? args[i] : Object();
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
  const auto& given = *block.get<std::shared_ptr<Proc>>();
  auto proc = std::make_shared<Proc>(*given);
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
    for (size_t i = 0; i < args.size(); ++i) env->vars[def.params[i]] = args[i];
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
    return Object::record(store_.find(Relation::all(*m, *this), id));
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

Object Interpreter::eval_binary(const Node& n) {
  Object left = eval(*n.items[0]);
  Object right = eval(*n.items[1]);
  at_ = n.pos;
  if (n.op)  // two numbers: Integer#+ and friends without a method call
    if (auto value = number_operation(left, static_cast<Operator>(n.op), right)) return *std::move(value);
  const std::string& op = n.name;
  if (op == "==") return Object(equal(left, right));
  if (op == "!=") return Object(!equal(left, right));
  if (op == "!~") {
    std::vector<Object> args{right};
    return Object(!call(left, "=~", args).truthy());
  }
  std::vector<Object> args{right};
  return call(left, op, args);
}

// heart user=2 tweet=5  ==  Heart.create!(user_id: 2, tweet_id: 5)
Object Interpreter::eval_command(const Node& n) {
  const auto* m = store_.app().find_by_singular(n.name);
  if (!m) {
    throw RuntimeError("no model named " + n.name + " for the command form (model key=value ...)." +
                       suggestion_suffix(n.name, store_.app().singular_names()));
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

Object Interpreter::evaluate(const Node& expression) {
  EnvScope top(env_, globals_);
  return eval(expression);
}

void Interpreter::define_method(const model::ModelClass& model, const Node& def, bool class_method,
                                const std::string& source) {
  (class_method ? class_methods_ : instance_methods_)[&model][def.name] = &def;
  def_sources_[&def] = source;
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
  if (!model) return nullptr;
  auto of_model = methods->find(model);
  if (of_model == methods->end()) return nullptr;
  auto it = of_model->second.find(name);
  return it == of_model->second.end() ? nullptr : it->second;
}

// Every method call goes through here: a model's own methods (def in its
// class body) and members first, then the tables of the receiver's kind and
// its ancestors (vocabulary.hpp).
Object Interpreter::call(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block) {
  if (!instance_methods_.empty() || !class_methods_.empty())
    if (const Node* def = model_method(self, name)) return call_model_method(*def, self, args);
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
  for (Kind kind : ancestors(self)) {
    if (const Method* m = find_method(kind, name)) {
      check_arity(*m, args.size());
      return m->run(c);
    }
  }
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

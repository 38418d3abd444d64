// The interpreter's core: construction, stopping, running statements, scopes and callbacks, and eval's switch.
#include "lang/interpreter.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iostream>

#include "base/text.hpp"
#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/forbidden.hpp"
#include "lang/interpreter_support.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"
#include "model/errors.hpp"

namespace fw::lang {

using model::RecordPtr;
using model::Relation;
using namespace interp;

namespace {

// Why a running statement was asked to stop: 0 it was not, else a Stop.
enum Stop : int { kRunning = 0, kInterrupted = 1, kExpired = 2 };
std::atomic<int> stop_requested{kRunning};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

}  // namespace

// A deep copy of a tree, so a proc or def can outlive its statement.
NodePtr interp::clone(const Node& n) {
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

Interpreter::Interpreter(model::Store& store, const CodeTable& code)
    : store_(store), code_(code), globals_(std::make_shared<Env>()), env_(globals_), out_(&std::cout) {
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
  if (stop == kInterrupted) throw Interrupted("Interrupt", true);
  if (stop == kExpired) throw Interrupted("execution expired (the statement ran past --timeout)", false);
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
    if (e.is_unavailable() || e.is_stale_plan()) throw;  // the console's to handle (it runs a stale plan again)
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

// Runs `run` with self the record (borrowed while it runs) and the first of
// `params`, if any, bound to it; `aborted` when it threw :abort.
Object Interpreter::on_record(model::Record& record, const std::vector<std::string>& params, const std::string& source,
                              const std::function<Object(const Object& self)>& run, bool& aborted) {
  KeepPlace place{at_, at_source_, raised_in_};
  at_source_ = source;
  auto self = Object::record(model::RecordPtr(&record, [](model::Record*) {}));
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
    return run(self);
  } catch (const ThrowSignal& t) {
    if (t.tag() != "abort") throw;
    aborted = true;
  } catch (const ReturnSignal& r) {
    return r.value;
  } catch (const NextSignal& n) {
    return n.value;
  }
  return Object();
}

bool Interpreter::run_callback(const Node& body, const std::vector<std::string>& params, model::Record& record,
                               const std::string& source) {
  bool aborted = false;
  on_record(record, params, source, [&](const Object&) { return eval(body); }, aborted);
  return !aborted;
}

bool Interpreter::run_callback(const std::string& method, model::Record& record) {
  bool aborted = false;
  on_record(record, {}, {}, [&](const Object& self) {
    std::vector<Object> none;
    return call(self, method, none);
  }, aborted);
  return !aborted;
}

bool Interpreter::run_condition(const Node& body, const std::vector<std::string>& params, model::Record& record,
                                const std::string& source) {
  bool aborted = false;
  return on_record(record, params, source, [&](const Object&) { return eval(body); }, aborted).truthy();
}

void Interpreter::run_validator_method(const Node& def, model::Record& record, const std::string& attribute,
                                       const std::string& source) {
  bool aborted = false;
  on_record(record, {}, source, [&](const Object& self) {
    std::vector<Object> args{self};
    if (!attribute.empty()) {
      std::vector<Object> none;
      args.push_back(Object(Symbol(attribute)));
      args.push_back(call(self, attribute, none));
    }
    return call_function(def, args, nullptr);
  }, aborted);
}

bool Interpreter::run_condition(const std::string& method, model::Record& record) {
  bool aborted = false;
  return on_record(record, {}, {}, [&](const Object& self) {
    std::vector<Object> none;
    return call(self, method, none);
  }, aborted).truthy();
}

Relation Interpreter::run_scope(const Node& body, const Relation& relation, const std::vector<std::string>& params,
                               const std::vector<Object>& args) {
  auto env = std::make_shared<Env>();
  env->parent = globals_;
  for (size_t i = 0; i < params.size(); ++i)
    env->vars[params[i]] = i < args.size() ? args[i] : Object();
  EnvScope scope(env_, env);
  return run_scope(body, relation);
}

// A case of more than a few lines is an eval_* member, here or beside its kin
// in the interpreter_*.cpp files; a variable's read, the commonest, stays inline.
Object Interpreter::eval(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: case Node::Kind::True: case Node::Kind::False: case Node::Kind::Integer:
    case Node::Kind::Float: case Node::Kind::String: case Node::Kind::Symbol: case Node::Kind::Regex:
      return eval_literal(n);
    case Node::Kind::Self:
      return self_.empty() ? Object(std::string("main")) : self_.back();
    case Node::Kind::Array: return eval_array(n);
    case Node::Kind::Hash: return eval_hash(n);
    case Node::Kind::Variable: {
      if (Object* v = lookup(n.var())) return *v;
      if (n.name[0] == '$') return eval_global(n);
      if (n.name[0] == '@') return Object();  // an instance variable not yet set is nil
      return eval_call(n);
    }
    case Node::Kind::Call: return eval_call(n);
    case Node::Kind::Constant: return eval_constant(n);
    case Node::Kind::Assign: return eval_assign(n);
    case Node::Kind::AttrAssign: return eval_attr_assign(n);
    case Node::Kind::IndexAssign: return eval_index_assign(n);
    case Node::Kind::OpAssign: return eval_op_assign(n);
    case Node::Kind::Rescue: return eval_rescue_modifier(n);
    case Node::Kind::Begin: return eval_begin(n);
    case Node::Kind::MultiAssign: return eval_multi_assign(n);
    case Node::Kind::Binary: return eval_binary(n);
    case Node::Kind::Not: return Object(!eval(*n.items[0]).truthy());
    case Node::Kind::Negate: return eval_negate(n);
    case Node::Kind::And: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? eval(*n.items[1]) : left;
    }
    case Node::Kind::Or: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? left : eval(*n.items[1]);
    }
    case Node::Kind::Index: return eval_index(n);
    case Node::Kind::Lambda: return eval_lambda(n);
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

Object Interpreter::eval_array(const Node& n) {
  Array items;
  items.reserve(n.items.size());
  for (const auto& i : n.items) items.push_back(eval(*i));
  return Object::array(std::move(items));
}

Object Interpreter::eval_hash(const Node& n) {
  Hash items;
  for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
    Object key = eval(*n.items[i]);
    items.set(key, eval(*n.items[i + 1]));  // a repeated key keeps its place, takes the last value
  }
  return Object::hash(std::move(items));
}

Object Interpreter::eval_constant(const Node& n) {
  if (const auto* m = store_.app().find(n.name)) return ModelRef{m};
  if (!constants_.empty()) {
    if (!self_.empty()) {  // inside a model's method: its class's constants first
      const model::ModelClass* owner = nullptr;
      if (auto r = self_.back().get<RecordPtr>()) owner = &(*r)->model();
      else if (auto mr = self_.back().get<ModelRef>()) owner = mr->model;
      else if (auto rel = self_.back().get<RelationPtr>()) owner = &(*rel)->model();
      for (; owner; owner = owner->superclass)  // and its superclass's (single-table inheritance)
        if (auto it = constants_.find(owner->name + "::" + n.name); it != constants_.end()) return it->second;
    }
    if (auto it = constants_.find(n.name); it != constants_.end()) return it->second;
  }
  if (is_builtin_class(n.name)) return BuiltinClass{n.name};
  if (const char* source = library_regexp(n.name)) return Object(Regex{source, ""});
  at_ = n.pos;
  if (auto refused = refused_constant(n.name)) throw RubyError(kRefusedClass, *refused);
  throw RuntimeError("uninitialized constant " + n.name + with_suggestion(n.name, store_.app().model_names()));
}

Object Interpreter::eval_negate(const Node& n) {
  Object v = eval(*n.items[0]);
  if (auto i = v.get<std::int64_t>()) {
    if (*i == INT64_MIN) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
    return Object(-*i);
  }
  if (auto d = v.get<double>()) return Object(-*d);
  if (auto d = v.get<Decimal>()) return Object(-*d);
  throw no_method("-@", class_name(v), {});
}

Object Interpreter::eval_index(const Node& n) {
  Object self = eval(*n.receiver);
  std::vector<Object> args;
  for (const auto& i : n.items) args.push_back(eval(*i));
  at_ = n.pos;
  return call(self, "[]", args);
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
    case Node::Kind::Symbol: return Symbol(n.symbol());
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
  auto range = make_ref<Range>();
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

Object Interpreter::eval_binary(const Node& n) {
  if (n.op) {  // i < 1_000_000, sum + i: integers read where they are, no value copied
    if (const std::int64_t* x = integer_at(*n.items[0]))
      if (const std::int64_t* y = integer_at(*n.items[1])) {
        at_ = n.pos;
        return integer_operation(*x, *y, static_cast<Operator>(n.op));
      }
  }
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

Object Interpreter::evaluate(const Node& expression) {
  EnvScope top(env_, globals_);
  return eval(expression);
}

}  // namespace fw::lang

// Control flow: if, while, case/when, begin ... rescue ... ensure, x rescue y, break/next/return, and def.
#include <utility>

#include "lang/errors.hpp"
#include "lang/interpreter.hpp"
#include "lang/interpreter_support.hpp"
#include "lang/methods/support.hpp"
#include "lang/vocabulary.hpp"
#include "model/errors.hpp"

namespace fw::lang {

using model::RecordPtr;
using namespace interp;

namespace {

// Ruby's ===, as case/when uses it.
bool case_equal(const Object& pattern, const Object& value, Interpreter& in) {
  if (pattern.is<Ref<Range>>() || pattern.is<Regex>()) {
    std::vector<Object> args{value};
    return in.call(pattern, pattern.is<Regex>() ? "===" : "include?", args).truthy();
  }
  if (auto m = pattern.get<ModelRef>()) {
    auto r = value.get<RecordPtr>();
    return r && &(*r)->model() == m->model;
  }
  if (auto k = pattern.get<BuiltinClass>()) return is_kind_of(value, k->name());  // when Integer
  return equal(pattern, value);
}

}  // namespace

// The exception value for the error being handled (call it inside a catch),
// or nil when the error is not one a rescue may catch: Ctrl-C and --timeout
// (Interrupt), throw, a lost database, and break, next and return.
Object Interpreter::rescuable_error() {
  try {
    throw;
  } catch (const storage::DbError& e) {
    if (e.is_unavailable() || e.is_stale_plan()) return Object();  // not the statement's to handle
    check_interrupt();  // a query Ctrl-C or --timeout stopped is an Interrupt, which rescue lets through
    auto invalid = model::StatementInvalid::from(e);
    return exception_value(invalid.ruby_class(), invalid.what());
  } catch (const Interrupted&) {
    return Object();
  } catch (const ThrowSignal&) {
    return Object();
  } catch (const RubyError& e) {
    check_interrupt();
    return exception_value(e.class_name(), e.what(), e.value ? e.value->record : nullptr);
  } catch (const model::ModelError& e) {
    check_interrupt();  // the same query's error, worded by the model layer on the way
    return exception_value(e.ruby_class(), e.what(), e.record());
  } catch (const fw::Error& e) {
    check_interrupt();
    return exception_value(ruby_class_by_message(e.what()), e.what());
  } catch (const std::bad_alloc& e) {
    return exception_value("NoMemoryError", foreign_error_message(e));
  } catch (const std::exception& e) {  // std::regex_error: RegexpError
    std::string message = foreign_error_message(e);
    return exception_value(ruby_class_by_message(message.c_str()), message);
  } catch (...) {
    return Object();
  }
}

// The first rescue clause of `begin` that names the error's class or one above
// it (a clause that names none takes StandardError), or null.
const Node* Interpreter::rescue_clause(const Node& begin, const Object& error) {
  const std::string& error_class = (*error.get<Ref<Exception>>())->class_name;
  for (size_t i = 1; i < begin.items.size(); ++i) {
    const Node& clause = *begin.items[i];
    if (clause.items.size() == 1 && exception_is_a(error_class, "StandardError")) return &clause;
    for (size_t j = 0; j + 1 < clause.items.size(); ++j) {
      Object named = eval(*clause.items[j]);
      auto cls = named.get<BuiltinClass>();
      if (!cls) throw type_error("class or module required for rescue clause");
      if (exception_is_a(error_class, cls->name())) return &clause;
    }
  }
  return nullptr;
}

// x rescue y: y when x raises a StandardError.
Object Interpreter::eval_rescue_modifier(const Node& n) {
  try {
    return eval(*n.items[0]);
  } catch (...) {
    Object error = rescuable_error();
    if (error.is_nil() || !exception_is_a(class_name(error), "StandardError")) throw;
  }
  return eval(*n.items[1]);
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

}  // namespace fw::lang

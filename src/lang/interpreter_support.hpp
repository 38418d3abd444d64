#pragma once
// What the interpreter_*.cpp files share: the jumps that unwind, the guards on scope, depth and place, tree copies.
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "lang/ast.hpp"
#include "lang/errors.hpp"
#include "lang/interpreter.hpp"
#include "lang/object.hpp"

// Named, not anonymous: a jump thrown in one file is caught in another, so
// each type must be the same in every file.
namespace fw::lang::interp {

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
inline std::uintptr_t stack_base = 0;  // an address near the top of the stack, set when a statement starts

inline std::uintptr_t stack_here() {
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

// A deep copy of a tree, so a proc or def can outlive its statement.
NodePtr clone(const Node& n);

// A parameter bound by position alone: no splat, block, pattern, default or keyword.
inline bool plain_param(const std::string& p) {
  return p[0] != '*' && p[0] != '&' && p[0] != '(' && p.back() != '=' && p.back() != ':';
}

}  // namespace fw::lang::interp

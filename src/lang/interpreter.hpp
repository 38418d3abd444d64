#pragma once
// Evaluates statements against the model layer: variables, method calls on
// models, relations, records and plain values, and the command form.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "lang/object.hpp"
#include "model/store.hpp"

namespace fw::lang {

class Interpreter {
 public:
  // Runs a console command (help, sql on, ...); set by the console.
  using CommandHandler = std::function<std::optional<Object>(const Node&)>;

  explicit Interpreter(model::Store& store) : store_(store) {}

  // Runs one statement. Nothing when the statement yields no value (a
  // console command that prints its own output, a class declaration).
  std::optional<Object> run(const Node& statement);
  // A scope's body, with `relation` as the receiver of its calls.
  model::Relation run_scope(const Node& body, const model::Relation& relation);

  void set_command_handler(CommandHandler handler) { commands_ = std::move(handler); }
  model::Store& store() { return store_; }
  // Where the statement that failed last was when it failed.
  SourcePos error_pos() const { return at_; }
  std::vector<std::string> variable_names() const;
  // Calls a method by name, as `self.name(*args, &block)` would.
  Object call(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block = nullptr);

 private:
  Object eval(const Node& n);
  Object eval_call(const Node& n);
  Object eval_binary(const Node& n);
  Object eval_command(const Node& n);
  Object eval_literal(const Node& n);
  std::vector<Object> eval_args(const Node& call);
  Object call_self(const std::string& name, std::vector<Object>& args, const Node& at);
  void assign_attribute(const Object& target, const std::string& name, const Object& value);

  model::Store& store_;
  std::map<std::string, Object> variables_;
  std::vector<Object> self_;  // the receiver of calls without one, inside a scope
  CommandHandler commands_;
  SourcePos at_;
};

}  // namespace fw::lang

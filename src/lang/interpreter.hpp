#pragma once
// Evaluates statements against the model layer: variables and closures,
// control flow, method calls on models, relations, records and plain values
// (through the tables of vocabulary.hpp), and the command form.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "lang/code_table.hpp"
#include "lang/object.hpp"
#include "model/store.hpp"

namespace fw::lang {

// Runs statements, and the scope and callback bodies of the app's models
// (`code`: the model layer asks the Runtime, which asks this interpreter).
class Interpreter {
 public:
  Interpreter(model::Store& store, const CodeTable& code);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs one statement. Nothing when the statement yields no value. A
  // console command is refused: the console runs those itself.
  std::optional<Object> run(const Node& statement);
  // A scope's body, with `relation` as the receiver of its calls.
  model::Relation run_scope(const Node& body, const model::Relation& relation);
  // A callback declared in models.fw on `record`: a block's body (its first
  // parameter, if any, the record) or a method's (def in the class body), with
  // self the record. False when it threw :abort. An error inside is reported
  // in `source`, the model's file, when it is known.
  bool run_callback(const Node& body, const std::vector<std::string>& params, model::Record& record,
                    const std::string& source = {});
  // A callback that names a method (before_save :downcase_email), called on the record as Ruby calls it.
  bool run_callback(const std::string& method, model::Record& record);
  // An if:/unless: condition: a lambda's body, or a method named, on the record; whether its value is truthy.
  bool run_condition(const Node& body, const std::vector<std::string>& params, model::Record& record,
                     const std::string& source = {});
  bool run_condition(const std::string& method, model::Record& record);
  // A validator class's method on a record: validate(record) for
  // validates_with, or validate_each(record, attribute, value) for
  // validates :email, email: true (`attribute` given).
  void run_validator_method(const Node& def, model::Record& record, const std::string& attribute,
                            const std::string& source);
  // A scope with parameters: each bound to its argument.
  model::Relation run_scope(const Node& body, const model::Relation& relation, const std::vector<std::string>& params,
                            const std::vector<Object>& args);
  // The app's code the model layer holds as `code` (CodeTable).
  model::Relation run_code(model::CodeId code, const model::Relation& relation, const std::vector<Object>& args) {
    return code_.run_scope(code, *this, relation, args);
  }
  bool run_code(model::CodeId code, model::Record& record) { return code_.run_on_record(code, *this, record); }

  // Where puts, p and pp write (standard output unless the console says otherwise).
  void set_output(std::ostream& out) { out_ = &out; }
  std::ostream& output() { return *out_; }
  model::Store& store() { return store_; }
  // Where the statement that failed last was when it failed.
  SourcePos error_pos() const { return at_; }
  // When it failed inside an app's code (a model's method or callback): the
  // model file and the place there; `file` is empty otherwise.
  struct Place {
    std::string file;
    SourcePos pos;
  };
  const Place& raised_in() const { return raised_in_; }
  // The variables in scope, and the methods defined with def.
  std::vector<std::string> variable_names() const;
  std::vector<std::string> function_names() const;
  // A top-level variable's value, or null: what completion reads (never writes).
  const Object* variable(const std::string& name) const {
    return globals_->vars.find(name);
  }
  // What reload! carries to the next interpreter: a top-level variable, and
  // the methods defined with def at the prompt.
  void set_variable(const std::string& name, Object value) { globals_->vars[name] = std::move(value); }
  using Functions = std::map<std::string, std::shared_ptr<const Node>>;
  const Functions& functions() const { return functions_; }
  void set_functions(Functions functions) { functions_ = std::move(functions); }

  // A method a model's class body defines (def slug ... end), or a class
  // method (def self.find_by_slug, which relations of the model answer too).
  // `def` belongs to the models file, which outlives the interpreter's use of
  // it; `source` is the file's name, for the errors met inside it.
  // `visibility`: the class body's `private` or `protected` before it:
  // callable without a receiver (or self.) only.
  enum class Visibility { Public, Private, Protected };
  void define_method(const model::ModelClass& model, const Node& def, bool class_method, const std::string& source,
                     Visibility visibility = Visibility::Public);
  // alias_method :headline, :title: a second name for an instance method
  // (the model's own, a column's reader, or ActiveRecord's).
  void define_alias(const model::ModelClass& model, const std::string& alias, const std::string& original) {
    aliases_[&model][alias] = original;
  }
  // private :name, public :name: an instance method defined already.
  void set_visibility(const model::ModelClass& model, const std::string& name, Visibility visibility);
  // Whether a model defines the method (its own or a superclass's): a setter
  // such as display_name= that assignment and create(display_name: ...) call.
  bool defines_method(const model::ModelClass& model, const std::string& name) const {
    return method_of(instance_methods_, &model, name) != nullptr;
  }
  // A constant of a model's class body (Tag::KINDS), or of the top level
  // (its value computed now; a method of the model reads it as KINDS).
  void define_constant(const std::string& name, const Object& value) { constants_[name] = value; }
  Object evaluate(const Node& expression);
  // The names of those methods: a model's instance methods, or its class methods.
  std::vector<std::string> model_method_names(const model::ModelClass& model, bool class_methods) const;

  // Calls a method by name, as `self.name(*args, &block)` would.
  Object call(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block = nullptr);
  // $~ (and $1, $2, ...): the last regex match, as [the match, group 1, ...], or nil.
  void set_last_match(Object match) { last_match_ = std::move(match); }
  // Calls a block (or lambda, or &:name) with arguments, as Ruby's yield does.
  Object yield(const Object& block, std::vector<Object> args);
  // A block given to a method as a proc of its own (lambda { }, proc { }):
  // it may outlive the statement, so it keeps its tree.
  Object keep_proc(const Object& block, bool lambda);

  // Asks a running statement to stop (Ctrl-C): it raises Interrupt at the
  // next loop turn or call. Safe to call from a signal handler.
  static void interrupt();
  // The same for a statement that ran past --timeout: "execution expired".
  static void expire();
  static void clear_interrupt();  // forgets a Ctrl-C that no statement was running to see
  // Raises the Interrupt (or "execution expired") asked for, if any. A query
  // it stopped fails with a storage::DbError that is_interrupted(): whoever
  // catches that calls this to report the stop rather than an SQL error.
  static void stop_if_asked();

  static constexpr int kMaxCallDepth = 1000;  // nested blocks and method calls, as Ruby's stack level

 private:
  Object eval(const Node& n);
  Object on_record(model::Record& record, const std::vector<std::string>& params, const std::string& source,
                   const std::function<Object(const Object& self)>& run, bool& aborted);
  // eval's cases, one a node kind (interpreter.cpp and the interpreter_*.cpp files).
  Object eval_array(const Node& n);
  Object eval_hash(const Node& n);
  Object eval_constant(const Node& n);
  Object eval_assign(const Node& n);
  Object eval_attr_assign(const Node& n);
  Object eval_index_assign(const Node& n);
  Object eval_rescue_modifier(const Node& n);
  Object eval_negate(const Node& n);
  Object eval_index(const Node& n);
  Object eval_lambda(const Node& n);
  Object eval_body(const Node& n);
  Object eval_call(const Node& n);
  Object eval_binary(const Node& n);
  Object eval_command(const Node& n);
  Object eval_literal(const Node& n);
  Object eval_if(const Node& n);
  Object eval_while(const Node& n);
  Object eval_case(const Node& n);
  Object eval_op_assign(const Node& n);
  Object eval_interpolation(const Node& n);
  Object eval_range(const Node& n);
  Object eval_def(const Node& n);
  Object eval_jump(const Node& n);
  Object eval_begin(const Node& n);
  Object eval_multi_assign(const Node& n);
  Object eval_global(const Node& n);
  Object eval_defined(const Node& n);
  Object rescuable_error();
  const Node* rescue_clause(const Node& begin, const Object& error);
  // Binds a def's, lambda's or block's parameters in the current scope.
  // `strict`: a def or lambda, whose arguments must fit its parameters.
  void bind_params(const std::vector<std::string>& params, const std::vector<NodePtr>& defaults, std::vector<Object> args,
                   bool strict, const Object* block);
  void destructure(const std::vector<std::string>& targets, const Array& values, bool local);
  void bind_target(const std::string& target, const Object& value, bool local);
  Object make_block(const Node& block);
  std::vector<Object> eval_args(const Node& call);
  Object call_self(const std::string& name, std::vector<Object>& args, const Node& at, const Object* block);
  Object call_function(const Node& def, std::vector<Object>& args, const Object* self = nullptr,
                       const Object* block = nullptr);
  const Node* model_method(const Object& self, const std::string& name) const;
  using Methods = std::map<const model::ModelClass*, std::map<std::string, const Node*>>;
  static const Node* method_of(const Methods& methods, const model::ModelClass* model, const std::string& name);
  void check_visible(const Object& self, const std::string& name) const;
  Object call_model_method(const Node& def, const Object& self, std::vector<Object>& args);
  // The method ActiveRecord (or the language) gives `self`, past the model's own: what super calls.
  Object call_builtin(const Object& self, const std::string& name, std::vector<Object>& args, const Object* block);
  void assign_attribute(const Object& target, const std::string& name, const Object& value);
  void check_interrupt();
  void remember_closure(const std::shared_ptr<Env>& env);

  // Variables: found in the current scope or the scopes around it.
  Object* lookup(Name name);
  // An Integer literal's or variable's value, read where it is; null for anything else.
  const std::int64_t* integer_at(const Node& n);
  Object* lookup(const std::string& name) { return lookup(intern(name)); }
  void assign(Name name, const Object& value);
  Object* instance_variable(Name name, bool create);
  void assign(const std::string& name, const Object& value) { assign(intern(name), value); }

  model::Store& store_;
  const CodeTable& code_;
  std::shared_ptr<Env> globals_;
  std::shared_ptr<Env> env_;        // the scope statements run in now
  Functions functions_;  // def name -> its Def node
  Methods instance_methods_, class_methods_;  // the models' own methods
  struct Frame {  // a model method running: super calls past it with these
    std::string name;
    std::vector<Object> args;
  };
  std::vector<Frame> frames_;
  std::map<std::string, Object> constants_;  // "KINDS", "Tag::KINDS"
  std::vector<std::weak_ptr<Env>> closed_over_;  // scopes that kept procs: cleared at the end, breaking cycles
  size_t closed_over_kept_ = 16;                 // its size after it was last pruned
  std::vector<Object> self_;        // the receiver of calls without one, inside a scope
  std::ostream* out_;
  SourcePos at_;
  std::string at_source_;                         // the model file at_ is in; empty: the statement's
  Place raised_in_;                               // the innermost model-file place an error left
  std::map<const Node*, std::string> def_sources_;  // each model method's file
  std::map<const Node*, Visibility> hidden_;         // the private and protected ones
  std::map<const model::ModelClass*, std::map<std::string, std::string>> aliases_;  // alias -> original
  int call_depth_ = 0;
  Object last_match_;  // $~
  Object last_error_;  // $!, inside a rescue clause
};

}  // namespace fw::lang

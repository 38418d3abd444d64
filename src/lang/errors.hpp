#pragma once
// Errors a statement raises while it runs, worded as Ruby words them.
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "lang/ref.hpp"

namespace fw::lang {

class Object;  // object.hpp

class RuntimeError : public fw::Error {
 public:
  using fw::Error::Error;
};

// throw :tag: caught by a callback (throw :abort halts it), else Ruby's "uncaught throw :tag".
class ThrowSignal : public RuntimeError {
 public:
  explicit ThrowSignal(std::string tag) : RuntimeError("uncaught throw :" + tag), tag_(std::move(tag)) {}
  const std::string& tag() const { return tag_; }
  std::shared_ptr<const Object> value;  // throw :tag, value: the Object catch gives (none: nil)

 private:
  std::string tag_;
};

struct Exception;  // object.hpp

// raise's error: its class as the statement named it (raise ArgumentError, "x"),
// and the exception value it raised, if it was one (raise e).
class RubyError : public RuntimeError {
 public:
  RubyError(std::string class_name, const std::string& message, Ref<Exception> value = nullptr)
      : RuntimeError(message), value(std::move(value)), class_name_(std::move(class_name)) {}
  const std::string& class_name() const { return class_name_; }
  Ref<Exception> value;

 private:
  std::string class_name_;
};

// The Ruby class of an error of the language's by its wording
// (ZeroDivisionError for "divided by 0", NoMethodError for "undefined
// method"); RubyError and the model layer's errors name their own.
std::string ruby_class_by_message(const char* message);

// Ctrl-C or --timeout stopped the statement; `rescue` does not catch it.
class Interrupted : public RuntimeError {
 public:
  Interrupted(const std::string& message, bool ctrl_c) : RuntimeError(message), by_ctrl_c(ctrl_c) {}
  bool by_ctrl_c;  // Ctrl-C's Interrupt, not --timeout's "execution expired"
};

// The message of an exception that is not the project's own (std::regex_error,
// std::out_of_range, std::bad_alloc, ...), as a statement's error. Call it
// in the handler of `e`: the error's own type says its wording.
std::string foreign_error_message(const std::exception& e);

// "undefined method 'usernme' for an instance of User Did you mean? username"
RuntimeError no_method(const std::string& method, const std::string& receiver, const std::vector<std::string>& known);
// "undefined local variable or method 'x' for main"
RuntimeError no_name(const std::string& name, const std::vector<std::string>& known);
// "wrong number of arguments (given 2, expected 1)"
RuntimeError wrong_arguments(size_t given, const std::string& expected);
RuntimeError type_error(const std::string& message);
// ActiveRecord's AssociationTypeMismatch: "Tweet(#Tweet) expected, got 5 which is an instance of Integer"
RuntimeError type_mismatch(const std::string& model, const std::string& inspected, const std::string& class_name);
// ". Did you mean? name" when a known name is close, else "".
std::string with_suggestion(const std::string& word, const std::vector<std::string>& known);

}  // namespace fw::lang

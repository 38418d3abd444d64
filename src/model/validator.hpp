#pragma once
// A validation as the model checks it, compiled once from its declaration.
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "model/declaration.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model {

struct Reflection;
struct ValidatorKind;

// A format: pattern, compiled the first time a value is checked against it:
// compiling one std::regex took a third of a console's start-up, and most
// sessions never validate that column. A pattern std::regex refuses is an
// error when it is first used, naming the validation.
class Pattern {
 public:
  Pattern(std::string label, std::string source, std::string ecmascript, std::regex::flag_type flags)
      : label_(std::move(label)), source_(std::move(source)), ecmascript_(std::move(ecmascript)), flags_(flags) {}
  bool search(const std::string& text) const;

 private:
  std::string label_, source_, ecmascript_;
  std::regex::flag_type flags_;
  mutable std::optional<std::regex> compiled_;
};

// Its kind (validator_kinds.hpp) reads the fields below that it needs.
struct Validator {
  const ValidatorKind* kind = nullptr;
  std::string attribute;                 // a column, or the association (required, presence of an association)
  const Reflection* association = nullptr;  // Required, and Presence/Absence of an association
  // Uniqueness
  std::vector<std::string> scope;
  bool case_sensitive = true;
  // Its query's text, built once for each shape: which of the value and the
  // scope's values are nil (IS NULL, not = ?) and whether the record is new.
  mutable std::map<unsigned, std::string> uniqueness_sql;
  // Length
  std::optional<std::int64_t> minimum, maximum, is;
  std::map<std::string, std::string> length_messages;  // too_long:, too_short:, wrong_length:
  // Format
  std::optional<Pattern> with, without;
  // Numericality and Comparison: (check, operand); an operand naming a column is a Symbol Arg
  std::vector<std::pair<std::string, Arg>> checks;
  bool only_integer = false;
  // Inclusion / Exclusion: the list; Acceptance: what counts as accepted
  std::vector<Value> in;
  // Associated: a belongs_to's validate: or autosave: (the loader's), which
  // checks a new target only, not validates_associated's every record
  bool new_target_only = false;
  // Common options; allow_nil unset: the kind's default
  std::string message;
  std::optional<bool> allow_nil;
  bool allow_blank = false;
  std::string on;  // "", "create" or "update"
  std::vector<Guard> guards;  // if: and unless:
  // validate :method_name or a block: the class body's code, which adds its own errors.
  CallbackBody custom;
  // A validation ActiveRecord accepts in the class body but fails when it
  // runs (validates :nickname with no such attribute): its error.
  std::string broken_class, broken_message;
  DeclPos at;
};

}  // namespace fw::model

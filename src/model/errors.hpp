#pragma once
// The model layer's errors, worded as ActiveRecord words them. Each message
// is built in one place, here.
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/value.hpp"
#include "storage/database.hpp"

namespace fw::model {

class Record;

// Each error names the class ActiveRecord raises it under, and the record
// it is about, if any: what the language's rescue and `e.record` read.
class ModelError : public fw::Error {
 public:
  using fw::Error::Error;
  virtual std::string ruby_class() const { return "ActiveRecord::ActiveRecordError"; }
  virtual std::shared_ptr<Record> record() const { return nullptr; }
};

// create!, save!: "Validation failed: User must exist, Content can't be blank"
class RecordInvalid : public ModelError {
 public:
  explicit RecordInvalid(const Record& record);
  std::string ruby_class() const override { return "ActiveRecord::RecordInvalid"; }
  // The record that failed (e.record), when one owns it.
  std::shared_ptr<Record> record() const override { return record_; }

 private:
  std::shared_ptr<Record> record_;
};

// "Couldn't find User with 'id'=99"
class RecordNotFound : public ModelError {
 public:
  using ModelError::ModelError;
  std::string ruby_class() const override { return "ActiveRecord::RecordNotFound"; }
  static RecordNotFound by(const std::string& model, const std::string& column, const Value& value);
  static RecordNotFound plain(const std::string& model) { return RecordNotFound("Couldn't find " + model); }
};

// "Cannot delete record because of dependent tweets"
class DeleteRestrictionError : public ModelError {
 public:
  explicit DeleteRestrictionError(const std::string& association)
      : ModelError("Cannot delete record because of dependent " + association) {}
  std::string ruby_class() const override { return "ActiveRecord::DeleteRestrictionError"; }
};

// save! halted by a callback's throw :abort: "Failed to save the record"
class RecordNotSaved : public ModelError {
 public:
  using ModelError::ModelError;
  std::string ruby_class() const override { return "ActiveRecord::RecordNotSaved"; }
};

// destroy!: "Failed to destroy User with id=1"
class RecordNotDestroyed : public ModelError {
 public:
  using ModelError::ModelError;
  std::string ruby_class() const override { return "ActiveRecord::RecordNotDestroyed"; }
};

// "unknown attribute 'foo' for User."
class UnknownAttributeError : public ModelError {
 public:
  UnknownAttributeError(const std::string& model, const std::string& attribute, const std::vector<std::string>& known);
  std::string ruby_class() const override { return "ActiveModel::UnknownAttributeError"; }
};

// A database error while running a statement: "SQLite3::ConstraintException: UNIQUE constraint failed: users.email"
class StatementInvalid : public ModelError {
 public:
  using ModelError::ModelError;
  // The one wording of the engine's errors, on reads as on writes.
  static StatementInvalid from(const storage::DbError& e) {
    return StatementInvalid(e.driver_class() + ": " + e.what());
  }
  // RecordNotUnique, NotNullViolation, InvalidForeignKey by the engine's
  // wording, as ActiveRecord translates them; StatementInvalid otherwise.
  std::string ruby_class() const override;
};

// An error ActiveRecord (or Ruby) raises under a class of its own, named
// here as it names it: "ActiveRecord::HasManyThroughAssociationNotFoundError",
// "NameError", "ActiveRecord::SubclassNotFound".
class NamedError : public ModelError {
 public:
  NamedError(std::string class_name, const std::string& message)
      : ModelError(message), class_name_(std::move(class_name)) {}
  std::string ruby_class() const override { return class_name_; }

 private:
  std::string class_name_;
};

// Declarations that cannot work, each with file, line and a suggestion.
class DeclarationError : public ModelError {
 public:
  explicit DeclarationError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

}  // namespace fw::model

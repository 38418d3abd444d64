#include "model/errors.hpp"

#include "base/text.hpp"
#include "model/record.hpp"

namespace fw::model {

std::string StatementInvalid::ruby_class() const {
  std::string m = what();
  auto holds = [&](const char* text) { return m.find(text) != std::string::npos; };
  if (holds("UNIQUE constraint failed") || holds("PG::UniqueViolation")) return "ActiveRecord::RecordNotUnique";
  if (holds("NOT NULL constraint failed") || holds("PG::NotNullViolation")) return "ActiveRecord::NotNullViolation";
  if (holds("FOREIGN KEY constraint failed") || holds("PG::ForeignKeyViolation")) return "ActiveRecord::InvalidForeignKey";
  return "ActiveRecord::StatementInvalid";
}

RecordInvalid::RecordInvalid(const Record& record)
    : ModelError("Validation failed: " + join(record.errors().full_messages(), ", ")),
      record_(std::const_pointer_cast<Record>(record.weak_from_this().lock())) {}

RecordNotFound RecordNotFound::by(const std::string& model, const std::string& column, const Value& value) {
  return RecordNotFound("Couldn't find " + model + " with '" + column + "'=" + value_to_s(value));
}

UnknownAttributeError::UnknownAttributeError(const std::string& model, const std::string& attribute,
                                             const std::vector<std::string>& known)
    : ModelError("unknown attribute '" + attribute + "' for " + model + "." + suggestion_suffix(attribute, known)) {}

DeclarationError::DeclarationError(std::vector<std::string> problems)
    : ModelError(join(problems, "\n")), problems_(std::move(problems)) {}

}  // namespace fw::model

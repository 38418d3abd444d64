// The names of errors as ActiveRecord's messages give them: the Ruby pg
// gem's class for PostgreSQL's SQLSTATE, the sqlite3 gem's for SQLite.
#include <string>
#include <unordered_map>

#include "storage/database.hpp"

namespace fw::storage {

namespace {

// The Ruby pg gem's class for an SQLSTATE, as ActiveRecord's messages name it.
const char* pg_class(const std::string& state) {
  static const std::unordered_map<std::string, const char*> classes = {
      {"23505", "PG::UniqueViolation"},       {"23503", "PG::ForeignKeyViolation"},
      {"23502", "PG::NotNullViolation"},      {"23514", "PG::CheckViolation"},
      {"42P01", "PG::UndefinedTable"},        {"42703", "PG::UndefinedColumn"},
      {"42601", "PG::SyntaxError"},           {"42883", "PG::UndefinedFunction"},
      {"42803", "PG::GroupingError"},         {"42804", "PG::DatatypeMismatch"},
      {"42702", "PG::AmbiguousColumn"},       {"42P07", "PG::DuplicateTable"},
      {"42701", "PG::DuplicateColumn"},       {"42P18", "PG::IndeterminateDatatype"},
      {"22P02", "PG::InvalidTextRepresentation"}, {"22001", "PG::StringDataRightTruncation"},
      {"22003", "PG::NumericValueOutOfRange"}, {"22012", "PG::DivisionByZero"},
      {"22007", "PG::InvalidDatetimeFormat"}, {"22008", "PG::DatetimeFieldOverflow"},
      {"25P02", "PG::InFailedSqlTransaction"}, {"40001", "PG::TRSerializationFailure"},
      {"40P01", "PG::TRDeadlockDetected"},    {"55P03", "PG::LockNotAvailable"},
      {"57014", "PG::QueryCanceled"},         {"3D000", "PG::InvalidCatalogName"},
      {"28P01", "PG::InvalidPassword"},       {"0A000", "PG::FeatureNotSupported"},       {"28000", "PG::InvalidAuthorizationSpecification"},
      {"08006", "PG::ConnectionBad"},         {"08003", "PG::ConnectionBad"},          {"57P01", "PG::AdminShutdown"},
      {"42501", "PG::InsufficientPrivilege"}, {"42P04", "PG::DuplicateDatabase"},     {"55006", "PG::ObjectInUse"},
  };
  auto it = classes.find(state);
  return it == classes.end() ? "PG::Error" : it->second;
}

}  // namespace

std::string DbError::driver_class() const {
  if (!sqlstate_.empty()) return pg_class(sqlstate_);
  return code_ == 19 /* SQLITE_CONSTRAINT */ ? "SQLite3::ConstraintException" : "SQLite3::SQLException";
}

}  // namespace fw::storage

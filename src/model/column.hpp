#pragma once
// A table's column as the model layer sees it: read from the database, with
// the type ActiveRecord would give it and its casting rules.
#include <string>
#include <utility>
#include <vector>

#include "base/value.hpp"

namespace fw::model {

enum class ColumnType { Integer, Float, Decimal, String, Text, Boolean, DateTime, Date, Time, Binary, Untyped };

struct Column {
  std::string name;
  ColumnType type = ColumnType::Untyped;
  std::string sql_type;  // as declared: "varchar", "datetime(6)"
  bool not_null = false;
  bool primary_key = false;
  Value default_value;  // already cast to the column's type
  // enum status: [:draft, :published]: each name and the value stored for
  // it; the attribute reads and writes the names. `enum_methods`: the prefix
  // and suffix of its methods (kind_essay?, for _prefix: true).
  std::vector<std::pair<std::string, Value>> enum_values;
  std::string enum_prefix, enum_suffix;
  bool is_enum() const { return !enum_values.empty(); }
  // The name a stored value stands for (the value itself when none does).
  Value enum_name(const Value& stored) const;
  // The stored value for a name or a stored value given; ActiveRecord's
  // ArgumentError ("'bogus' is not a valid status") for anything else.
  Value enum_value(const Value& given) const;
};

// ActiveRecord's type mapping from a column's declared type (SQLite's names,
// and PostgreSQL's as its catalog gives them).
ColumnType column_type_from_sql(const std::string& sql_type);
const char* column_type_name(ColumnType type);  // "integer", "string", ...

// Casts a value a user gave to what the attribute holds, as ActiveModel's
// types do: "0123" stays "0123" for a string column and becomes 123 for an
// integer one; "" becomes nil for numbers; "false"/"0"/"f"/"off" are false.
Value cast_to_column(ColumnType type, const Value& input);
// Casts a value read from the database (SQLite stores booleans as 1/0).
Value cast_from_database(ColumnType type, Value stored);
void cast_from_database_in_place(ColumnType type, Value& stored);  // the same, on a loaded row's value
// The value bound to the database for an attribute.
Value cast_for_database(ColumnType type, const Value& attribute);

// Ruby's blank?: nil, false, and strings of only white space.
bool is_blank(const Value& v);

}  // namespace fw::model

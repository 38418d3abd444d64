#pragma once
// Conversions between statement values and what the model layer takes, and
// the checks on method arguments that go with them.
#include <string>
#include <vector>

#include "lang/object.hpp"
#include "model/column.hpp"
#include "model/declaration.hpp"
#include "model/store.hpp"

namespace fw::lang {

model::Input to_input(const Object& o);
model::Attributes to_attributes(const Object& hash, const char* method);
model::Arg to_arg(const Object& o);

// A column name given as :name or "name".
std::string name_arg(const Object& o, const char* method);
std::int64_t int_arg(const Object& o, const char* method);
const Hash& hash_arg(const Object& o, const char* method);
// An attribute's value as the statement sees it: a decimal column's number
// as a BigDecimal, a datetime column's as a TimeWithZone, a date column's as
// a Date; other values as they are.
Object from_attribute(const Value& v, model::ColumnType type);
// A plucked row: one value, or an array of them, each read as its column's type.
Object from_row(std::vector<Value>&& row, const std::vector<model::ColumnType>& types = {});

}  // namespace fw::lang

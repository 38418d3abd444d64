#pragma once
// What the method tables' handlers share: the interpreter, the conversions,
// the errors, and the dynamic members that no table can list ahead of time.
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "lang/operators.hpp"
#include "lang/interpreter.hpp"
#include "lang/vocabulary.hpp"

namespace fw::lang {

inline model::Store& store(Call& c) { return c.in.store(); }
// The relation a model class or relation stands for.
model::Relation relation_of(const Object& self, Interpreter& in);
inline model::Relation relation_of(const Call& c) { return relation_of(c.self, c.in); }
Object strings(const std::vector<std::string>& items);
Object records(const std::vector<model::RecordPtr>& items);
// Ruby's to_s.
std::string to_s(const Object& o);

// Calls the call's block with `args`; raises "no block given (yield)" without one.
Object yield_block(Call& c, std::vector<Object> args);
// a.dig(0, :name), h.dig(:a, :b): [] step by step, nil stopping it.
Object dig(Call& c);
// Kernel#format: printf's directives over Ruby values.
std::string printf_format(const std::string& format, const std::vector<Object>& values);
// BigDecimal's arithmetic and comparisons (op is +, <, <=>, ...) with a
// BigDecimal on either side and an Integer or a Float on the other.
Object decimal_operation(const Object& self, const Object& other, const std::string& op);
// Ruby's <=>: -1, 0 or 1; raises "comparison of A with B failed".
int compare(const Object& a, const Object& b);
// The elements an Enumerable method works on: an array's items, a hash's
// [key, value] pairs, a range's integers, a relation's records.
Array elements(Call& c);
// Runs the Enumerable method `c.name` (for tables that answer to some names
// themselves, and to others as Enumerable does: count with a block).
Object enumerable(Call& c);

// a op b for two Integers, or Floats and Integers, as Integer#+ and the rest
// give it; nothing for other values (the method call decides).
std::optional<Object> number_operation(const Object& a, Operator op, const Object& b);
// a op b for two Integers (an overflow raises, as fwitter's integers are 64-bit).
Object integer_operation(std::int64_t a, std::int64_t b, Operator op);

// Ruby's String#succ: "az" -> "ba", "zz" -> "aaa", "a9" -> "b0".
std::string string_succ(const std::string& s);

// The same day of the month `months` later (or earlier), held to the month's last day.
Date add_months(Date d, std::int64_t months);
// A time or date moved by a duration (sign -1: back), as ActiveSupport's advance.
Object advance(const Object& moment, const Duration& d, int sign);
// 2.days, 1.5.hours: an Integer's or Float's duration methods.
Object make_duration(Call& c);

// An error a statement met, as the exception value `rescue => e` binds: its
// Ruby class, message, and the record it is about (e.record), if any.
Object exception_value(const std::string& class_name, const std::string& message, model::RecordPtr record = nullptr);
// A new exception of the class `class_name` (its message the class's name when empty).
Object make_exception(const std::string& class_name, const std::string& message);

// A record's column readers, `column?` predicates, associations and
// delegations; nothing when `c.name` is none of them.
std::optional<Object> call_record_member(Call& c);
// A model's scope called on a model class or relation.
std::optional<Object> call_scope(Call& c);

}  // namespace fw::lang

#pragma once
// What the method tables' handlers share: the interpreter, the conversions,
// the errors, and the dynamic members that no table can list ahead of time.
#include <optional>
#include <string>
#include <vector>

#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "lang/interpreter.hpp"
#include "lang/vocabulary.hpp"

namespace fw::lang {

inline model::Store& store(Call& c) { return c.in.store(); }
// The relation a model class or relation stands for.
model::Relation relation_of(const Object& self);
Object strings(const std::vector<std::string>& items);
Object records(const std::vector<model::RecordPtr>& items);
// Ruby's to_s.
std::string to_s(const Object& o);

// A record's column readers, `column?` predicates, associations and
// delegations; nothing when `c.name` is none of them.
std::optional<Object> call_record_member(Call& c);
// A model's scope called on a model class or relation.
std::optional<Object> call_scope(Call& c);

}  // namespace fw::lang

#pragma once
// Ruby's inspect: nil, "text", :sym, [1, 2], {:name=>"x"} (Ruby 3.1, the Ruby
// of ActiveRecord 6.1), and ActiveRecord 6.1's #<User id: 1, ...>.
#include <string>

#include "lang/object.hpp"
#include "model/store.hpp"

namespace fw::lang {

// Without a store, a relation cannot load its records: it prints as
// #<ActiveRecord::Relation>.
std::string inspect(const Object& o);
// Relations load at most 11 records, as ActiveRecord's inspect does, and print
// the first 10 and then "...": #<ActiveRecord::Relation [#<User ...>, ...]>,
// #<ActiveRecord::Associations::CollectionProxy [...]> for an association.
std::string inspect(const Object& o, model::Store& store);

// "2 days", "1 day and 2 hours": a Duration as ActiveSupport 6.1 inspects it.
std::string inspect_duration(const Duration& d);

// ActiveRecord 6.1's attribute_for_inspect: strings over 50 characters cut
// with "...", datetimes as "2026-11-21 10:00:00.123456000 +0000", decimals
// as BigDecimal's inspect (0.125e2).
std::string attribute_for_inspect(const Value& v, model::ColumnType type);

}  // namespace fw::lang

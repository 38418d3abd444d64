#include "model/relation.hpp"

#include <fmt/format.h>
#include <set>

#include "base/text.hpp"
#include "model/errors.hpp"

namespace fw::model {

using storage::quote_identifier;

std::string Relation::qualified(const std::string& column) const {
  return quote_identifier(model_->table) + "." + quote_identifier(column);
}

namespace {

// The value of `key` in a record, or the record's id when key is its primary key.
Value scalar_for(const Input& input, const std::string& key) {
  if (input.kind == Input::Kind::Record) return input.record ? input.record->get(key) : Value{};
  return input.value;
}

}  // namespace

Relation::Condition Relation::condition_for(const std::string& name, const Input& value) const {
  std::string column = name;
  std::string key = model_->primary_key;  // which key of a record value to compare with
  ColumnType type = ColumnType::Untyped;
  if (const Column* c = model_->column(name)) {
    type = c->type;
    // A record given for a column compares its primary key (where(user_id: user)).
  } else if (const Reflection* r = model_->reflection(name); r && r->is_belongs_to()) {
    column = r->foreign_key;
    key = r->primary_key;
    if (const Column* c = model_->column(column)) type = c->type;
  } else if (const Reflection* r2 = model_->reflection(name)) {
    throw ModelError(fmt::format("where(:{}) would need a join through {} {}; write the condition on a column of {}",
                                 name, macro_name(r2->macro), name, model_->table));
  } else {
    std::vector<std::string> names = model_->column_names();
    for (const auto& r : model_->reflections)
      if (r->is_belongs_to()) names.push_back(r->name);
    throw ModelError(fmt::format("{} has no column or belongs_to association named {}.{}", model_->name, name,
                                 suggestion_suffix(name, names)));
  }
  std::string lhs = qualified(column);
  auto cast = [&](const Input& in) { return cast_for_database(type, cast_to_column(type, scalar_for(in, key))); };
  if (value.kind == Input::Kind::List) {
    std::vector<storage::Bind> binds;
    std::vector<std::string> marks;
    bool has_nil = false;
    for (const auto& item : value.list) {
      Value v = cast(item);
      if (is_null(v)) { has_nil = true; continue; }
      binds.push_back({column, v});
      marks.push_back("?");
    }
    std::string in = marks.empty() ? "1=0" : lhs + " IN (" + join(marks, ", ") + ")";
    if (has_nil) in = "(" + in + " OR " + lhs + " IS NULL)";
    return {in, binds};
  }
  Value v = cast(value);
  if (is_null(v)) return {lhs + " IS NULL", {}};
  return {lhs + " = ?", {{column, v}}};
}

Relation Relation::where(const Attributes& conditions) const {
  Relation r = *this;
  for (const auto& [name, value] : conditions) r.conditions_.push_back(condition_for(name, value));
  return r;
}

Relation Relation::order(const std::string& column, bool descending) const {
  if (!model_->column(column))
    throw ModelError(fmt::format("{} has no column {} to order by.{}", model_->name, column,
                                 suggestion_suffix(column, model_->column_names())));
  Relation r = *this;
  r.orders_.push_back({qualified(column), descending});
  return r;
}

Relation Relation::limit(std::int64_t n) const {
  Relation r = *this;
  r.limit_ = n;
  return r;
}

Relation Relation::offset(std::int64_t n) const {
  Relation r = *this;
  r.offset_ = n;
  return r;
}

Relation Relation::ordered_for_first(bool reverse) const {
  Relation r = *this;
  if (r.orders_.empty()) r.orders_.push_back({qualified(model_->primary_key), false});
  if (reverse)
    for (auto& o : r.orders_) o.second = !o.second;
  return r;
}

storage::Query Relation::select(const std::string& what, const std::string& label) const {
  storage::Query q;
  q.label = label;
  q.sql = "SELECT " + what + " FROM " + quote_identifier(model_->table);
  for (const auto& j : joins_) q.sql += " " + j;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    q.sql += (i == 0 ? " WHERE " : " AND ") + conditions_[i].sql;
    q.binds.insert(q.binds.end(), conditions_[i].binds.begin(), conditions_[i].binds.end());
  }
  for (size_t i = 0; i < orders_.size(); ++i)
    q.sql += (i == 0 ? " ORDER BY " : ", ") + orders_[i].first + (orders_[i].second ? " DESC" : " ASC");
  if (limit_ || offset_) {
    q.sql += " LIMIT ?";
    q.binds.push_back({"LIMIT", limit_ ? *limit_ : std::int64_t{-1}});
  }
  if (offset_) {
    q.sql += " OFFSET ?";
    q.binds.push_back({"OFFSET", *offset_});
  }
  return q;
}

std::string Relation::write_filter(std::vector<storage::Bind>& binds) const {
  if (!joins_.empty() || limit_ || offset_) {
    Relation keys = *this;
    if (!limit_ && !offset_) keys.orders_.clear();  // a limit keeps its order: which rows it picks
    auto q = keys.select(qualified(model_->primary_key), "");
    binds.insert(binds.end(), q.binds.begin(), q.binds.end());
    return " WHERE " + qualified(model_->primary_key) + " IN (" + q.sql + ")";
  }
  std::string sql;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    sql += (i == 0 ? " WHERE " : " AND ") + conditions_[i].sql;
    binds.insert(binds.end(), conditions_[i].binds.begin(), conditions_[i].binds.end());
  }
  return sql;
}

storage::Query Relation::delete_query(const std::string& label) const {
  storage::Query q{label, "DELETE FROM " + quote_identifier(model_->table), {}};
  q.sql += write_filter(q.binds);
  return q;
}

storage::Query Relation::update_query(const std::vector<storage::Bind>& sets, const std::string& label) const {
  storage::Query q{label, "UPDATE " + quote_identifier(model_->table) + " SET ", sets};
  for (size_t i = 0; i < sets.size(); ++i) q.sql += (i ? ", " : "") + quote_identifier(sets[i].name) + " = ?";
  q.sql += write_filter(q.binds);
  return q;
}

Relation Relation::association(const RecordPtr& owner, const Reflection& reflection) {
  Relation r(*reflection.klass);
  r.owner_ = Owner{owner, &reflection};
  auto path = association_path(reflection);
  // The target table is named as it is; a table met again on the way gets an alias.
  std::vector<std::string> names(path.size());
  std::set<std::string> used;
  for (size_t i = path.size(); i-- > 0;) {
    const std::string& table = path[i].to_table;
    names[i] = used.count(table) ? fmt::format("{}_{}", table, i + 1) : table;
    used.insert(names[i]);
  }
  auto col = [](const std::string& table, const std::string& column) {
    return quote_identifier(table) + "." + quote_identifier(column);
  };
  for (size_t i = path.size() - 1; i >= 1; --i) {
    const Hop& hop = path[i];
    std::string alias = names[i - 1] == path[i - 1].to_table
                            ? quote_identifier(names[i - 1])
                            : quote_identifier(path[i - 1].to_table) + " " + quote_identifier(names[i - 1]);
    r.joins_.push_back(fmt::format("INNER JOIN {} ON {} = {}", alias, col(names[i], hop.to_key),
                                   col(names[i - 1], hop.from_key)));
  }
  const Hop& first = path.front();
  Value key = owner->get(first.from_key);
  std::string lhs = col(names[0], first.to_key);
  if (is_null(key)) r.conditions_.push_back({"1=0", {}});  // an unsaved owner has no associated rows yet
  else r.conditions_.push_back({lhs + " = ?", {{first.to_key, key}}});
  return r;
}

}  // namespace fw::model

// A relation's WHERE: hash conditions (values, lists, ranges, subqueries,
// joined tables' hashes), where.not, SQL fragments with binds, and or.
// Each condition keeps its negation as ActiveRecord 6.1 writes it.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/relation.hpp"

namespace fw::model {

using storage::Bind;
using storage::quote_identifier;

Input Input::subquery(const Relation& relation) {
  Input i;
  i.kind = Kind::Subquery;
  i.relation = std::make_shared<const Relation>(relation);
  return i;
}

namespace {

// One column's comparison and its negation.
struct Predicate {
  std::string sql, negated;
  std::vector<Bind> binds;
};

std::string marks(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

// The value of `key` in a record, or the record's id when key is its primary key.
Value scalar_for(const Input& input, const std::string& key) {
  if (input.kind == Input::Kind::Record) return input.record ? input.record->get(key) : Value{};
  return input.value;
}

// How a column compares its values: the bind's name, the value's cast, and
// which key of a record stands for it.
struct Target {
  std::string lhs;  // "tweets"."user_id"
  std::string column;
  ColumnType type;
  std::string record_key;
  const Column* enum_column = nullptr;  // where(status: :draft): the name's stored value
  Value cast(const Input& in) const { return cast(scalar_for(in, record_key)); }
  Value cast(const Value& v) const {
    if (enum_column)
      for (const auto& [name, stored] : enum_column->enum_values)
        if (std::holds_alternative<std::string>(v) && std::get<std::string>(v) == name) return stored;
    return cast_for_database(type, cast_to_column(type, v));
  }
};

Predicate equality(const Target& t, const Value& v) {
  if (is_null(v)) return {t.lhs + " IS NULL", t.lhs + " IS NOT NULL", {}};
  return {t.lhs + " = ?", t.lhs + " != ?", {{t.column, v}}};
}

Predicate list(const Target& t, const std::vector<Input>& items) {
  std::vector<Bind> binds;
  bool has_nil = false;
  for (const auto& item : items) {
    Value v = t.cast(item);
    if (is_null(v)) has_nil = true;
    else binds.push_back({t.column, v});
  }
  if (binds.empty() && has_nil) return equality(t, Value{});
  if (binds.empty()) return {"1=0", "1=1", {}};
  if (binds.size() == 1 && !has_nil) return equality(t, binds[0].value);
  std::string in = binds.size() == 1 ? t.lhs + " = ?" : t.lhs + " IN (" + marks(binds.size()) + ")";
  if (!has_nil) return {in, t.lhs + " NOT IN (" + marks(binds.size()) + ")", binds};
  std::string either = "(" + in + " OR " + t.lhs + " IS NULL)";
  return {either, "NOT (" + either + ")", binds};
}

// 1..5 is BETWEEN, 1...5 is >= AND <; an endless or beginless range one comparison.
Predicate range(const Target& t, const Input& r) {
  Value from = t.cast(r.value), to = t.cast(r.range_end);
  const std::string& l = t.lhs;
  if (is_null(from) && is_null(to)) return {"1=1", "1=0", {}};
  if (is_null(to)) return {l + " >= ?", l + " < ?", {{t.column, from}}};
  if (is_null(from)) {
    if (r.exclusive) return {l + " < ?", l + " >= ?", {{t.column, to}}};
    return {l + " <= ?", l + " > ?", {{t.column, to}}};
  }
  std::string both = r.exclusive ? l + " >= ? AND " + l + " < ?" : l + " BETWEEN ? AND ?";
  return {both, "NOT (" + both + ")", {{t.column, from}, {t.column, to}}};
}

// IN (SELECT ...) of the relation's select list, or of its primary key.
Predicate subquery(const Target& t, const Relation& inner) {
  std::string what = inner.projection();
  if (what == quote_identifier(inner.model().table) + ".*") what = inner.qualified(inner.model().primary_key);
  auto q = inner.select(what, "");
  return {t.lhs + " IN (" + q.sql + ")", t.lhs + " NOT IN (" + q.sql + ")", q.binds};
}

Predicate compare(const Target& t, const Input& value) {
  switch (value.kind) {
    case Input::Kind::List: return list(t, value.list);
    case Input::Kind::Range: return range(t, value);
    case Input::Kind::Subquery: return subquery(t, *value.relation);
    case Input::Kind::Hash:
      throw ModelError(fmt::format("where({}: {{...}}): a hash names a joined table's columns, not a value of {}",
                                   t.column, t.column));
    default: return equality(t, t.cast(value));
  }
}

std::vector<std::string> column_and_belongs_to_names(const ModelClass& m) {
  std::vector<std::string> names = m.column_names();
  for (const auto& r : m.reflections)
    if (r->is_belongs_to()) names.push_back(r->name);
  return names;
}

// A column of `m` (or a belongs_to association's foreign key) in the table
// named `alias` of the query.
Target target_for(const ModelClass& m, const std::string& alias, const std::string& name) {
  auto qualify = [&](const std::string& c) { return quote_identifier(alias) + "." + quote_identifier(c); };
  if (const Column* c = m.column(name)) return {qualify(name), name, c->type, m.primary_key, c->is_enum() ? c : nullptr};
  const Reflection* r = m.reflection(name);
  if (r && r->is_belongs_to()) {
    const Column* c = m.column(r->foreign_key);
    return {qualify(r->foreign_key), r->foreign_key, c ? c->type : ColumnType::Untyped, r->primary_key, nullptr};
  }
  if (r)
    throw ModelError(fmt::format("where(:{}) would need a join through {} {}; write the condition on a column of {}",
                                 name, macro_name(r->macro), name, m.table));
  throw ModelError(fmt::format("{} has no column or belongs_to association named {}.{}", m.name, name,
                               suggestion_suffix(name, column_and_belongs_to_names(m))));
}

}  // namespace

bool Relation::Condition::operator==(const Condition& other) const {
  if (sql != other.sql || binds.size() != other.binds.size()) return false;
  for (size_t i = 0; i < binds.size(); ++i)
    if (binds[i].name != other.binds[i].name || binds[i].value != other.binds[i].value) return false;
  return true;
}

Relation::Condition Relation::condition_on(const ModelClass& m, const std::string& alias, const std::string& name,
                                           const Input& value) const {
  Target t = target_for(m, alias, name);
  Predicate p = compare(t, value);
  Condition c{p.sql, p.binds, p.negated, "", std::nullopt};
  bool own = &m == model_ && alias == model_->table;
  if (own && value.kind != Input::Kind::List && value.kind != Input::Kind::Range &&
      value.kind != Input::Kind::Subquery)
    c.scope = std::pair{t.column, t.cast(value)};
  return c;
}

std::vector<Relation::Condition> Relation::conditions_for(const Attributes& conditions) const {
  std::vector<Condition> out;
  for (const auto& [name, value] : conditions) {
    const Reflection* r = model_->reflection(name);
    if (r && r->polymorphic && value.kind == Input::Kind::Record && value.record) {
      // where(imageable: product(1)): the type and the key
      out.push_back(condition_on(*model_, model_->table, r->foreign_type, Value(value.record->model().name)));
      out.push_back(condition_on(*model_, model_->table, r->foreign_key, value.record->id()));
      continue;
    }
    if (value.kind != Input::Kind::Hash) {
      out.push_back(condition_on(*model_, model_->table, name, value));
      continue;
    }
    Joined table = joined_table(name);
    for (const auto& [column, v] : value.hash) out.push_back(condition_on(*table.model, table.alias, column, v));
  }
  return out;
}

Relation Relation::where(const Attributes& conditions) const {
  Relation r = chained();
  for (auto& c : conditions_for(conditions)) r.conditions_.push_back(std::move(c));
  return r;
}

// One condition negated as it inverts itself; several as NOT (a AND b).
Relation Relation::where_not(const Attributes& conditions) const {
  auto parts = conditions_for(conditions);
  if (parts.empty()) return chained();
  Condition all = parts.size() == 1 ? parts[0] : conjunction(parts);
  all.scope.reset();
  all.or_body.clear();
  return with_condition(std::move(all), true);
}

Relation::Condition Relation::conjunction(const std::vector<Condition>& parts) {
  Condition out;
  std::vector<std::string> sqls;
  for (const auto& p : parts) {
    sqls.push_back(p.sql);
    out.binds.insert(out.binds.end(), p.binds.begin(), p.binds.end());
  }
  out.sql = join(sqls, " AND ");
  out.negated = "NOT (" + out.sql + ")";
  return out;
}

// ---- SQL fragments ----

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A fragment's text cut at its placeholders, outside quoted strings and
// names: each piece of text is followed by the placeholder after it.
struct Placeholder {
  std::string text_before;
  std::string name;  // empty for `?`
};
struct Split {
  std::vector<Placeholder> placeholders;
  std::string tail;
};

[[noreturn]] void refuse_statements(const std::string& fragment) {
  throw ModelError(fmt::format("SQL fragment holds more than one statement (a ';' outside quotes): {}; "
                               "a fragment is one condition or order, with values bound through ? or :name",
                               fragment));
}

Split split_placeholders(const std::string& sql, bool named) {
  Split out;
  std::string text;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      text += c;
      if (c == quote) quote = 0;  // a doubled quote reopens at once: the same
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    if (c == '[') quote = ']';
    if (c == ';') refuse_statements(sql);
    bool name_starts = named && c == ':' && i + 1 < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i + 1])) &&
                       (i == 0 || sql[i - 1] != ':');
    if (!named && c == '?') {
      out.placeholders.push_back({text, ""});
      text.clear();
    } else if (name_starts) {
      size_t end = i + 1;
      while (end < sql.size() && is_word(sql[end])) ++end;
      out.placeholders.push_back({text, sql.substr(i + 1, end - i - 1)});
      text.clear();
      i = end - 1;
    } else {
      text += c;
    }
  }
  out.tail = text;
  return out;
}

// The SQL a bound value stands for, appended with its binds: `?`, a list's
// `?, ?` (NULL when empty), a record's id, a relation's subquery.
std::string bind_value(const Input& value, const std::string& name, std::vector<Bind>& binds) {
  switch (value.kind) {
    case Input::Kind::List: {
      if (value.list.empty()) return "NULL";
      std::vector<std::string> parts;
      for (const auto& item : value.list) parts.push_back(bind_value(item, name, binds));
      return join(parts, ", ");
    }
    case Input::Kind::Record: binds.push_back({name, value.record ? value.record->id() : Value{}}); return "?";
    case Input::Kind::Subquery: {
      auto q = value.relation->select(value.relation->projection(), "");
      binds.insert(binds.end(), q.binds.begin(), q.binds.end());
      return q.sql;
    }
    case Input::Kind::Range:
    case Input::Kind::Hash: throw ModelError("an SQL fragment binds values, lists and records, not ranges or hashes");
    default: binds.push_back({name, value.value}); return "?";
  }
}

}  // namespace

void check_single_statement(const std::string& fragment) { split_placeholders(fragment, false); }

Relation::Condition Relation::fragment(const std::string& sql, const PositionalBinds* positional,
                                       const NamedBinds* named) {
  Split split = split_placeholders(sql, named != nullptr);
  Condition c;
  std::string text;
  if (positional && positional->size() != split.placeholders.size())
    throw ModelError(fmt::format("wrong number of bind variables ({} for {}) in: {}", positional->size(),
                                 split.placeholders.size(), sql));
  for (size_t i = 0; i < split.placeholders.size(); ++i) {
    const Placeholder& p = split.placeholders[i];
    text += p.text_before;
    if (positional) {
      text += bind_value((*positional)[i], "", c.binds);
      continue;
    }
    auto it = std::find_if(named->begin(), named->end(), [&](const auto& b) { return b.first == p.name; });
    if (it == named->end()) throw ModelError(fmt::format("missing value for :{} in {}", p.name, sql));
    text += bind_value(it->second, p.name, c.binds);
  }
  text += split.tail;
  c.sql = "(" + text + ")";
  c.negated = "NOT (" + text + ")";
  return c;
}

Relation Relation::with_condition(Condition condition, bool negate) const {
  if (negate) std::swap(condition.sql, condition.negated);
  Relation r = chained();
  r.conditions_.push_back(std::move(condition));
  return r;
}

Relation Relation::where_sql(const std::string& sql, const PositionalBinds& binds) const {
  return with_condition(fragment(sql, &binds, nullptr), false);
}

Relation Relation::where_sql(const std::string& sql, const NamedBinds& binds) const {
  return with_condition(fragment(sql, nullptr, &binds), false);
}

Relation Relation::where_not_sql(const std::string& sql, const PositionalBinds& binds) const {
  return with_condition(fragment(sql, &binds, nullptr), true);
}

Relation Relation::where_not_sql(const std::string& sql, const NamedBinds& binds) const {
  return with_condition(fragment(sql, nullptr, &binds), true);
}

// ---- or ----

namespace {

std::string incompatible(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? ":" : ", :") + n;
  return "Relation passed to #or must be structurally compatible. Incompatible values: [" + list + "]";
}

}  // namespace

void Relation::check_or_compatible(const Relation& other) const {
  if (other.model_ != model_)
    throw ModelError(incompatible({"model"}) + fmt::format(" ({} and {})", model_->name, other.model_->name));
  std::vector<std::string> bad;
  if (limit_ != other.limit_) bad.push_back("limit");
  if (offset_ != other.offset_) bad.push_back("offset");
  if (distinct_ != other.distinct_) bad.push_back("distinct");
  if (selects_ != other.selects_) bad.push_back("select");
  if (groups_.size() != other.groups_.size()) bad.push_back("group");
  for (const auto& j : other.joins_)
    if (std::find(joins_.begin(), joins_.end(), j) == joins_.end()) {
      bad.push_back("joins");
      break;
    }
  if (!bad.empty()) throw ModelError(incompatible(bad));
}

// The terms of one side of an OR: a previous OR's terms join the new one
// flat, (a OR b OR c), as ActiveRecord writes it.
std::string Relation::or_side(const std::vector<Condition>& side) {
  if (side.size() == 1 && !side[0].or_body.empty()) return side[0].or_body;
  return conjunction(side).sql;
}

Relation Relation::or_(const Relation& other) const {
  check_or_compatible(other);
  std::vector<Condition> common, left, right;
  for (const auto& c : conditions_) {
    bool shared = std::find(other.conditions_.begin(), other.conditions_.end(), c) != other.conditions_.end();
    (shared ? common : left).push_back(c);
  }
  for (const auto& c : other.conditions_)
    if (std::find(common.begin(), common.end(), c) == common.end()) right.push_back(c);
  Relation r = chained();
  r.conditions_ = common;
  if (left.empty() || right.empty()) return r;  // one side matches everything the shared part does
  Condition either;
  either.or_body = or_side(left) + " OR " + or_side(right);
  either.sql = "(" + either.or_body + ")";
  either.negated = "NOT " + either.sql;
  for (const auto* side : {&left, &right})
    for (const auto& c : *side) either.binds.insert(either.binds.end(), c.binds.begin(), c.binds.end());
  r.conditions_.push_back(std::move(either));
  return r;
}

std::vector<std::pair<std::string, Value>> Relation::scope_attributes() const {
  std::vector<std::pair<std::string, Value>> out;
  for (const auto& c : conditions_)
    if (c.scope) out.push_back(*c.scope);
  return out;
}

}  // namespace fw::model

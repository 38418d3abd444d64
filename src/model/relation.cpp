#include "model/relation.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <cstring>
#include <regex>
#include <set>

#include "base/regex.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"

namespace fw::model {

using storage::quote_identifier;

std::string Relation::qualified(const std::string& column) const {
  return quote_identifier(model_->table) + "." + quote_identifier(column);
}

namespace {

// ActiveRecord's reverse_sql_order: each comma-separated term's ASC and DESC
// swapped, DESC added to a term with neither.
std::string reverse_order(const std::string& order) {
  std::vector<std::string> terms;
  size_t start = 0;
  for (size_t comma = order.find(','); start <= order.size(); comma = order.find(',', start)) {
    std::string term = order.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    term.erase(0, term.find_first_not_of(" \t"));
    term.erase(term.find_last_not_of(" \t") + 1);
    auto ends_with = [&](const char* word) {
      size_t n = std::strlen(word);
      return term.size() > n && std::isspace(static_cast<unsigned char>(term[term.size() - n - 1])) &&
             strcasecmp(term.c_str() + term.size() - n, word) == 0;
    };
    if (ends_with("ASC")) term = term.substr(0, term.size() - 3) + "DESC";
    else if (ends_with("DESC")) term = term.substr(0, term.size() - 4) + "ASC";
    else term += " DESC";
    terms.push_back(term);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return join(terms, ", ");
}

}  // namespace

// ActiveRecord's column_alias_for: "sum tweets.id" -> sum_tweets_id.
std::string column_alias(const std::string& text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      if (gap && !out.empty()) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      gap = false;
    } else {
      gap = true;
    }
  }
  return out;
}

namespace {

// A column name, bare or qualified by a table: group(:user_id), group("tweets.user_id").
bool is_column_name(const std::string& name) {
  static const std::regex column = make_regex(R"([A-Za-z_]\w*(\.[A-Za-z_]\w*)?)");
  return std::regex_match(name, column);
}

}  // namespace

// Every chaining method starts here: the result is no longer the association itself.
Relation::Relation(const ModelClass& model) : model_(&model) {
  if (!model.broken_class.empty()) throw NamedError(model.broken_class, model.broken_message);
  if (model.superclass && model.has_inheritance_column()) {  // WHERE "users"."type" = 'Moderator', as ActiveRecord's type_condition
    std::vector<Input> names;
    for (const ModelClass* m : model.descendants()) names.push_back(Value(m->name));
    conditions_.push_back(condition_on(model, model.table, model.inheritance_column,
                                       names.size() == 1 ? names[0] : Input::list_of(std::move(names))));
  }
}

bool Relation::is_plain() const {
  return conditions_.empty() && joins_.empty() && joined_.empty() && orders_.empty() && !limit_ && !offset_ &&
         !distinct_ && selects_.empty() && groups_.empty() && preloads_.empty() && !owner_;
}

const std::vector<RecordPtr>* Relation::Owner::loaded() const { return record->cached_collection(reflection->name); }

void Relation::Owner::keep(std::vector<RecordPtr> records) const {
  record->cache_collection(reflection->name, std::move(records));
}

Relation Relation::chained() const {
  Relation r = *this;
  r.unchained_ = false;
  return r;
}

Relation Relation::order(const std::string& column, bool descending) const {
  if (!model_->column(column))
    throw ModelError(fmt::format("{} has no column {} to order by.{}", model_->name, column,
                                 suggestion_suffix(column, model_->column_names())));
  Relation r = chained();
  r.orders_.push_back(qualified(column) + (descending ? " DESC" : " ASC"));
  return r;
}

Relation Relation::order_sql(const std::string& fragment) const {
  check_single_statement(fragment);
  Relation r = chained();
  r.orders_.push_back(fragment);
  return r;
}

Relation Relation::limit(std::int64_t n) const& { return Relation(*this).limit(n); }

Relation Relation::limit(std::int64_t n) && {
  unchained_ = false;
  limit_ = n;
  return std::move(*this);
}

Relation Relation::offset(std::int64_t n) const {
  Relation r = chained();
  r.offset_ = n;
  return r;
}

Relation Relation::distinct(bool on) const {
  Relation r = chained();
  r.distinct_ = on;
  return r;
}

Relation Relation::unordered() const {
  Relation r = chained();
  r.orders_.clear();
  return r;
}

Relation Relation::select_columns(const std::vector<std::string>& columns) const {
  Relation r = chained();
  for (const auto& c : columns) r.selects_.push_back(column_ref(c, "select").sql);
  return r;
}

Relation Relation::group(const std::vector<std::string>& columns) const {
  Relation r = chained();
  for (const auto& c : columns) {
    if (is_column_name(c)) {
      r.groups_.push_back(column_ref(c, "group by"));
      continue;
    }
    check_single_statement(c);  // an expression, passed through as ActiveRecord does: group("date(created_at)")
    r.groups_.push_back({c, column_alias(c), ColumnType::Untyped});
  }
  return r;
}

Relation Relation::preload(const std::vector<AssociationTree>& associations) const {
  check_associations(*model_, associations);
  Relation r = chained();
  r.preloads_.insert(r.preloads_.end(), associations.begin(), associations.end());
  return r;
}

Relation Relation::ordered_for_first(bool reverse) const {
  Relation r = chained();
  if (r.orders_.empty()) r.orders_.push_back(qualified(model_->primary_key) + " ASC");
  if (reverse)
    for (auto& o : r.orders_) o = reverse_order(o);
  return r;
}

Relation Relation::batch_after(const Value& last_id) const {
  Relation r = chained();
  std::string pk = qualified(model_->primary_key);
  r.orders_ = {pk + " ASC"};
  if (!is_null(last_id)) r.conditions_.push_back({pk + " > ?", {{model_->primary_key, last_id}}, pk + " <= ?", "", {}});
  return r;
}

// ---- Columns ----

Relation::Joined Relation::joined_table(const std::string& name) const {
  if (name == model_->table) return {"", "", model_, model_->table};
  for (const auto& j : joined_)
    if (j.model && (j.alias == name || j.association == name)) return j;
  std::vector<std::string> known = {model_->table};
  for (const auto& j : joined_)
    if (j.model) known.push_back(j.association.empty() ? j.alias : j.association);
  std::string hint;
  for (const auto& r : model_->reflections)  // named by the association or by its table
    if (hint.empty() && (r->name == name || (r->klass && r->klass->table == name))) hint = fmt::format("; join it first: joins(:{})", r->name);
  throw ModelError(fmt::format("{} is not a table of this {} query{}.{}", name, model_->name, hint,
                               hint.empty() ? suggestion_suffix(name, known) : ""));
}

ColumnRef Relation::column_ref(const std::string& name, const std::string& purpose) const {
  size_t dot = name.find('.');
  Joined table = dot == std::string::npos ? joined_table(model_->table) : joined_table(name.substr(0, dot));
  std::string column = dot == std::string::npos ? name : name.substr(dot + 1);
  const Column* c = table.model->column(column);
  if (!c)
    throw ModelError(fmt::format("{} has no column {} to {}.{}", table.model->name, column, purpose,
                                 suggestion_suffix(column, table.model->column_names())));
  return {quote_identifier(table.alias) + "." + quote_identifier(column), table.alias + "_" + column, c->type};
}

// ---- SQL ----

std::string Relation::projection() const {
  std::string what = selects_.empty() ? quote_identifier(model_->table) + ".*" : join(selects_, ", ");
  return distinct_ ? "DISTINCT " + what : what;
}

std::string Relation::where_clause(std::vector<storage::Bind>& binds) const {
  std::string sql;
  for (size_t i = 0; i < conditions_.size(); ++i) {
    sql.append(i == 0 ? " WHERE " : " AND ").append(conditions_[i].sql);
    binds.insert(binds.end(), conditions_[i].binds.begin(), conditions_[i].binds.end());
  }
  return sql;
}

storage::Query Relation::select(const std::string& what, const std::string& label) const {
  storage::Query q;
  q.label = label;
  q.sql.reserve(160);
  q.sql.append("SELECT ").append(what).append(" FROM ").append(quote_identifier(model_->table));
  for (const auto& j : joins_) q.sql.append(" ").append(j);
  q.sql += where_clause(q.binds);
  for (size_t i = 0; i < groups_.size(); ++i) q.sql.append(i == 0 ? " GROUP BY " : ", ").append(groups_[i].sql);
  if (!orders_.empty()) q.sql.append(" ORDER BY ").append(join(orders_, ", "));
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
  if (!joins_.empty() || limit_ || offset_ || !groups_.empty()) {
    Relation keys = *this;
    if (!limit_ && !offset_) keys.orders_.clear();  // a limit keeps its order: which rows it picks
    keys.selects_ = {qualified(model_->primary_key)};
    keys.distinct_ = false;
    auto q = keys.select(keys.projection(), "");
    binds.insert(binds.end(), q.binds.begin(), q.binds.end());
    return " WHERE " + qualified(model_->primary_key) + " IN (" + q.sql + ")";
  }
  return where_clause(binds);
}

storage::Query Relation::delete_query(const std::string& label) const {
  storage::Query q{label, "DELETE FROM " + quote_identifier(model_->table), {}};
  q.sql += write_filter(q.binds);
  return q;
}

storage::Query Relation::update_query(const std::vector<storage::Bind>& sets, const std::string& label) const {
  std::vector<std::string> assignments;
  for (const auto& set : sets) assignments.push_back(quote_identifier(set.name) + " = ?");
  return update_query(join(assignments, ", "), sets, label);
}

storage::Query Relation::update_query(const std::string& assignments, const std::vector<storage::Bind>& binds,
                                      const std::string& label) const {
  storage::Query q{label, "UPDATE " + quote_identifier(model_->table) + " SET " + assignments, binds};
  q.sql += write_filter(q.binds);
  return q;
}

// An association's relation apart from its owner: its joins, and the key
// condition (first of conditions_) waiting for the owner's key.
struct AssociationShape {
  Relation relation;
  std::string owner_key;  // the owner's column the key condition compares with
  mutable std::optional<storage::Query> target;      // target_query's, its key bound first
  mutable std::optional<storage::Query> collection;  // collection_query's, its key its one bind
};

Relation Relation::association_shape(const Reflection& reflection) {
  Relation r(*reflection.klass);
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
    r.joins_.push_back(fmt::format("INNER JOIN {} ON {} = {}{}", alias, col(names[i], hop.to_key),
                                   col(names[i - 1], hop.from_key), type_filter(hop, names[i])));
  }
  for (size_t i = 0; i + 1 < path.size(); ++i) r.joined_.push_back({"", "", nullptr, names[i]});
  if (reflection.is_through() && path.size() == 2)  // its join model's columns may be named: where(hearts: ...)
    r.joined_.front() = {"", reflection.through, reflection.through_reflection->klass, names[0]};
  const Hop& first = path.front();
  std::string lhs = col(names[0], first.to_key);
  Condition key{lhs + " = ?", {{first.to_key, Value{}}}, lhs + " != ?", "", std::nullopt};
  if (path.size() == 1 && !reflection.is_belongs_to()) key.scope = std::pair{first.to_key, Value{}};
  r.conditions_.push_back(std::move(key));
  if (!first.type_column.empty()) {  // has_many :pictures, as: :imageable: "pictures"."imageable_type" = 'Product'
    std::string type = col(names[0], first.type_column);
    Condition c{type + " = ?", {{first.type_column, first.type_value}}, type + " != ?", "", std::nullopt};
    if (path.size() == 1) c.scope = std::pair{first.type_column, Value(first.type_value)};
    r.conditions_.push_back(std::move(c));
  }
  return r;
}

const storage::Query* Relation::target_query(const RecordPtr& owner, const Reflection& reflection,
                                             const std::string& label) {
  if (!reflection.is_belongs_to() || reflection.polymorphic || reflection.scope || reflection.owner_scope ||
      reflection.klass->default_scope)
    return nullptr;
  if (!reflection.shape || !reflection.shape->target) {
    Relation r = keyed_association(owner, reflection).limit(1);  // no scope: a scoped association went the general way above
    storage::Query q = r.select(r.projection(), label);
    // Kept when the key is its only bind but the limit's (a missing key makes
    // "1=0": that one goes the general way).
    if (r.conditions_.size() != 1 || q.binds.size() != 2 || q.binds.back().name != "LIMIT") return nullptr;
    q.table = reflection.klass->table;  // one table, by its key: the storage layer may keep its rows (Query::table)
    reflection.shape->target = std::move(q);
  }
  storage::Query& q = *reflection.shape->target;
  q.binds.front().value = owner->get(reflection.shape->owner_key);
  return &q;
}

const storage::Query* Relation::collection_query(const std::string& label) const {
  if (!is_association()) return nullptr;
  const Reflection& r = *owner_->reflection;
  if (!r.is_collection() || r.polymorphic || r.scope || r.owner_scope || r.klass->default_scope || !r.shape)
    return nullptr;
  const AssociationShape& shape = *r.shape;
  Value key = owner_->record->get(shape.owner_key);
  if (is_null(key)) return nullptr;  // "1=0": the general way
  if (!shape.collection) {
    storage::Query q = select(projection(), label);
    // Kept when the key is its only bind: nothing else of this relation
    // (a through path's type, say) is bound, so the text is every owner's.
    if (q.binds.size() != 1 || conditions_.size() != 1) return nullptr;
    shape.collection = std::move(q);
  }
  storage::Query& q = *shape.collection;
  if (q.label != label) return nullptr;
  q.binds.front().value = std::move(key);
  return &q;
}

Relation Relation::keyed_association(const RecordPtr& owner, const Reflection& reflection) {
  if (!reflection.shape)
    reflection.shape = std::make_shared<const AssociationShape>(
        AssociationShape{association_shape(reflection), association_path(reflection).front().from_key, std::nullopt,
                         std::nullopt});
  Relation r = reflection.shape->relation;
  r.owner_ = Owner{owner, &reflection};
  Value key = owner->get(reflection.shape->owner_key);
  Condition& condition = r.conditions_.front();
  if (is_null(key)) {
    condition = {"1=0", {}, "1=1", "", std::nullopt};  // an unsaved owner has no associated rows yet
  } else {
    if (condition.scope) condition.scope->second = key;
    condition.binds.front().value = std::move(key);
  }
  return r;
}

Relation Relation::association(const RecordPtr& owner, const Reflection& reflection, CodeRunner& code) {
  Relation r = keyed_association(owner, reflection);
  if (reflection.klass->default_scope) {  // the target model's default_scope applies to its associations too
    Relation scoped = reflection.klass->default_scope(code, r);
    r = std::move(scoped);
    r.owner_ = Owner{owner, &reflection};
  }
  if (reflection.scope || reflection.owner_scope) {  // has_many :books, -> { order(published_at: :desc) }: still the association itself
    r = reflection.scoped(code, r, owner);
    r.owner_ = Owner{owner, &reflection};
    r.unchained_ = true;
  }
  return r;
}

}  // namespace fw::model

// Relations and collection associations: User.where(...), user.tweets. A
// model class answers to these too (User.first), after its own (model.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "lang/methods/support.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

namespace {

Object all(Call& c);
Object reload(Call& c);
Object unscoped(Call& c);
Object to_a(Call& c);
Object at(Call& c);
Object first(Call& c);
Object find(Call& c);
Object find_each(Call& c);
Object find_by(Call& c);
Object where(Call& c);
Object order(Call& c);
Object limit(Call& c);
Object count(Call& c);
Object exists(Call& c);
Object empty(Call& c);
Object pluck(Call& c);
Object ids(Call& c);
Object build(Call& c);
Object create(Call& c);
Object destroy_all(Call& c);
Object delete_all(Call& c);
Object push(Call& c);
Object remove(Call& c);
Object includes(Call& c);
Object to_sql(Call& c);
Object explain(Call& c);
Object where_not(Call& c);
Object or_(Call& c);
Object joins(Call& c);
Object distinct(Call& c);
Object select(Call& c);
Object group(Call& c);
Object calculate(Call& c);
Object update_all(Call& c);
Object find_or_create(Call& c);
Object find_in_batches(Call& c);

}  // namespace

const std::vector<Method>& methods::relation() {
  static const std::vector<Method> table = {
      {"all", "", 0, 0, Returns::Relation, "the relation itself (all records of a model)", all, kReads},
      {"[]", "", 1, 2, Returns::Any, "a record by its place (negative counts from the end), or r[start, n], r[range]", at},
      {"reload", "reset", 0, 0, Returns::Relation,
       "the relation, read again: an association forgets the records it loaded (rows another program added show)",
       reload},
      {"unscoped", "", 0, 0, Returns::Relation, "all records of the model, without its default_scope", unscoped},
      {"to_a", "records", 0, 0, Returns::Array, "the records, loaded into an array", to_a, kReads},
      {"first", "", 0, 1, Returns::Record, "the first record by primary key (or the first n)", first, kReads},
      {"last", "", 0, 1, Returns::Record, "the last record by primary key (or the last n)", first, kReads},
      {"take", "", 0, 1, Returns::Record, "a record in no particular order (or n of them)", first, kReads},
      {"find", "", 0, kAnyNumber, Returns::Record, "the record with this id; raises when there is none", find, kReads},
      {"find_by", "", 1, 1, Returns::Record, "the first record matching key: value pairs, or nil", find_by, kReads | kTakesAttributes},
      {"find_by!", "", 1, 1, Returns::Record, "the first record matching key: value pairs; raises when none", find_by, kReads | kTakesAttributes},
      {"where", "", 0, kAnyNumber, Returns::Relation,
       "records matching key: value pairs, an association: record, or an SQL fragment with ? binds", where, kReads | kTakesAttributes},
      {"or", "", 1, 1, Returns::Relation, "records matching this relation or another", or_},
      {"joins", "", 1, kAnyNumber, Returns::Relation, "INNER JOIN of associations: joins(:tweets), joins(tweets: :hearts)",
       joins, kReads | kTakesAssociations},
      {"left_joins", "left_outer_joins", 1, kAnyNumber, Returns::Relation,
       "LEFT OUTER JOIN of associations (records without any kept)", joins, kReads | kTakesAssociations},
      {"includes", "preload eager_load", 1, kAnyNumber, Returns::Relation,
       "loads associations in one query each, not one per record (the cure for N+1)", joins, kReads | kTakesAssociations},
      {"distinct", "uniq", 0, 1, Returns::Relation, "without repeated rows (SELECT DISTINCT)", distinct, kReads},
      {"select", "", 0, kAnyNumber, Returns::Relation, "only these columns (with a block: the records it accepts)",
       select, kReads | kTakesColumns},
      {"group", "", 1, kAnyNumber, Returns::Relation, "groups rows for count, sum, ...: group(:user_id).count", group, kReads | kTakesColumns},
      {"sum", "", 0, 1, Returns::Any, "the column added up in SQL (with a block: the records' values)", calculate, kReads | kTakesColumns},
      {"average", "", 1, 1, Returns::Float, "the column's average, in SQL", calculate, kReads | kTakesColumns},
      {"minimum", "", 1, 1, Returns::Any, "the column's least value, in SQL", calculate, kReads | kTakesColumns},
      {"maximum", "", 1, 1, Returns::Any, "the column's greatest value, in SQL", calculate, kReads | kTakesColumns},
      {"update_all", "", 1, 1, Returns::Integer, "one UPDATE of every matching row, no validations", update_all, kTakesPairs},
      {"find_or_create_by", "", 1, 1, Returns::Record, "the first match, or a new saved record", find_or_create, kTakesAttributes},
      {"find_or_create_by!", "", 1, 1, Returns::Record, "the first match, or a new record; raises when invalid",
       find_or_create, kTakesAttributes},
      {"find_or_initialize_by", "", 1, 1, Returns::Record, "the first match, or a new unsaved record", find_or_create, kTakesAttributes},
      {"find_in_batches", "", 0, 1, Returns::Array, "the records in batches of 1000 (batch_size:), by primary key",
       find_in_batches},
      {"order", "", 1, kAnyNumber, Returns::Relation, "sorted by columns: order(:name) or order(created_at: :desc)",
       order, kReads | kTakesColumns | kTakesPairs},
      {"limit", "", 1, 1, Returns::Relation, "at most n records", limit, kReads},
      {"offset", "", 1, 1, Returns::Relation, "skips the first n records", limit, kReads},
      {"count", "", 0, 1, Returns::Integer, "how many records (SELECT COUNT), or non-null values of a column", count, kReads},
      {"size", "length", 0, 0, Returns::Integer, "how many records (the loaded ones when preloaded)", count, kReads},
      {"exists?", "any?", 0, 1, Returns::Boolean, "whether any record matches (this id, these key: values)", exists, kReads | kTakesAttributes},
      {"empty?", "none?", 0, 0, Returns::Boolean, "whether no record matches", empty, kReads},
      {"find_each", "", 0, 1, Returns::Self, "calls the block with each record, in batches by primary key", find_each},
      {"pluck", "", 1, kAnyNumber, Returns::Array, "the values of columns, without building records", pluck, kReads | kTakesColumns},
      {"ids", "", 0, 0, Returns::Array, "the primary keys", ids, kReads},
      {"new", "build", 0, 1, Returns::Record, "a new, unsaved record (linked to the owner for an association)",
       build, kTakesAttributes},
      {"create", "", 0, 1, Returns::Record, "saves a new record; an invalid one comes back unsaved with errors",
       create, kTakesAttributes},
      {"create!", "", 0, 1, Returns::Record, "saves a new record; raises when it is invalid", create, kTakesAttributes},
      {"destroy_all", "", 0, 0, Returns::Array, "destroys each record with its dependents", destroy_all},
      {"delete_all", "", 0, 0, Returns::Integer, "deletes the rows in one statement, without callbacks", delete_all},
      {"<<", "push concat", 1, kAnyNumber, Returns::Self, "adds records to a collection association", push},
      {"delete", "", 1, 1, Returns::Array, "unlinks a record from a collection association", remove},
      {"include?", "", 1, 1, Returns::Boolean, "whether the record is in the collection", includes},
      {"to_sql", "", 0, 0, Returns::String, "the SQL the relation runs", to_sql},
      {"explain", "", 0, 0, Returns::String, "the engine's plan for the query, as ActiveRecord 6.1 prints it", explain},
  };
  return table;
}

model::Relation relation_of(const Object& self, Interpreter& in) {
  if (auto m = self.get<ModelRef>()) return model::Relation::all(*m->model, in.store().code());
  return **self.get<RelationPtr>();
}

Object records(const std::vector<model::RecordPtr>& items) {
  Array out;
  for (const auto& r : items) out.push_back(Object::record(r));
  return Object::array(std::move(out));
}

// enum status: [...]: Post.published, Post.not_published, and Post.statuses (name => stored value).
std::optional<Object> enum_scope(Call& c, const model::ModelClass& m) {
  for (const auto& column : m.columns) {
    if (!column.is_enum()) continue;
    if (c.name == model::inflector::pluralize(column.name) && c.args.empty() && c.self.is<ModelRef>()) {
      Hash h;
      for (const auto& [name, stored] : column.enum_values) h.push_back({Object(name), Object::from(stored)});
      return Object::hash(std::move(h));
    }
    for (const auto& [name, stored] : column.enum_values) {
      std::string scope = column.enum_prefix + name + column.enum_suffix;
      bool negated = c.name == "not_" + scope;
      if (c.name != scope && !negated) continue;
      if (!c.args.empty()) throw wrong_arguments(c.args.size(), "0");
      model::Attributes condition{{column.name, model::Input(stored)}};
      auto r = relation_of(c);
      return Object::relation(negated ? r.where_not(condition) : r.where(condition));
    }
  }
  return std::nullopt;
}

std::optional<Object> call_scope(Call& c) {
  const auto* m = model_of(c.self);
  const auto* s = m ? m->scope(c.name) : nullptr;
  if (!s && m) return enum_scope(c, *m);
  if (!s) return std::nullopt;
  if (c.args.size() != s->params.size()) throw wrong_arguments(c.args.size(), std::to_string(s->params.size()));
  if (s->params.empty()) return Object::relation(s->body(c.in.store().code(), relation_of(c)));
  return Object::relation(c.in.run_code(s->code, relation_of(c), c.args));
}

namespace {

model::RecordPtr record_arg(const Object& o, const model::ModelClass& m) {
  if (auto r = o.get<model::RecordPtr>()) return *r;
  throw type_mismatch(m.name, inspect(o), class_name(o));
}

// u.tweets.all is a query of its own, as in ActiveRecord: not the records u.tweets loaded.
Object all(Call& c) {
  auto r = relation_of(c);
  return Object::relation(r.is_association() ? r.chained() : r);
}

Object reload(Call& c) {
  auto r = relation_of(c);
  if (r.is_association()) r.owner()->record->reset_collections();
  return Object::relation(r);
}

Object unscoped(Call& c) {
  const model::ModelClass& m = c.self.get<ModelRef>() ? *c.self.get<ModelRef>()->model : (*c.self.get<RelationPtr>())->model();
  return Object::relation(model::Relation(m));
}

Object to_a(Call& c) {
  Array items;
  store(c).queries().each(relation_of(c), [&](const model::RecordPtr& r) { items.push_back(Object::record(r)); });
  return Object::array(std::move(items));
}

// relation[i], relation[start, n], relation[range]: its records loaded and
// indexed as an Array, to which ActiveRecord delegates []. Not a model's (User[0]).
Object at(Call& c) {
  if (auto m = c.self.get<ModelRef>()) throw no_method("[]", "class " + m->model->name, names_for(c.self));
  return c.in.call(to_a(c), "[]", c.args);
}

// first, last and take, with or without a count.
Object first(Call& c) {
  auto r = relation_of(c);
  bool last = c.name == "last", take = c.name == "take";
  if (c.args.empty()) {
    if (take) {
      auto rows = store(c).queries().to_a(r.limit(1));
      return rows.empty() ? Object() : Object::record(rows[0]);
    }
    return Object::record(last ? store(c).queries().last(r) : store(c).queries().first(r));
  }
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  if (n < 0) throw RuntimeError("negative array size");
  auto rows = store(c).queries().to_a(take ? r.limit(n) : r.ordered_for_first(last).limit(n));
  if (last) std::reverse(rows.begin(), rows.end());
  return records(rows);
}

Object find(Call& c) {
  if (c.block) return enumerable(c);  // find { |r| ... } is Enumerable's detect
  if (c.args.empty()) throw wrong_arguments(0, "1+");
  auto r = relation_of(c);
  std::vector<Object> ids = c.args;
  bool many = c.args.size() > 1;
  if (auto a = c.args[0].get<Ref<Array>>(); a && c.args.size() == 1) ids = **a, many = true;
  Array found;
  for (const auto& id : ids) {
    Value v;
    if (!id.to_value(v)) throw type_error("find takes ids, not " + class_name(id));
    found.push_back(Object::record(store(c).queries().find(r, v)));
  }
  return many ? Object::array(std::move(found)) : found.front();
}

Object find_by(Call& c) {
  auto r = relation_of(c);
  auto rec = store(c).queries().find_by(r, to_attributes(c.args[0], c.name.c_str()));
  if (!rec && c.name == "find_by!") throw model::RecordNotFound::plain(r.model().name);
  return Object::record(rec);
}

// where(k: v), where("sql ? ?", a, b), where("sql :n", n: 1), where(["sql ?", a]).
model::Relation filtered(Call& c, const model::Relation& r, bool negate) {
  std::vector<Object> args = c.args;
  if (args.size() == 1) {
    if (auto a = args[0].get<Ref<Array>>(); a && !(*a)->empty() && (**a)[0].is<std::string>()) args = **a;
  }
  if (auto fragment = args[0].get<std::string>()) {
    if (args.size() == 2 && args[1].is<Ref<Hash>>()) {
      model::NamedBinds named;
      for (const auto& [k, v] : **args[1].get<Ref<Hash>>()) named.push_back({name_arg(k, "where"), to_input(v)});
      return negate ? r.where_not_sql(*fragment, named) : r.where_sql(*fragment, named);
    }
    model::PositionalBinds binds;
    for (size_t i = 1; i < args.size(); ++i) binds.push_back(to_input(args[i]));
    return negate ? r.where_not_sql(*fragment, binds) : r.where_sql(*fragment, binds);
  }
  if (args.size() != 1) throw wrong_arguments(args.size(), "1");
  auto conditions = to_attributes(args[0], negate ? "where.not" : "where");
  return negate ? r.where_not(conditions) : r.where(conditions);
}

Object where(Call& c) {
  auto r = relation_of(c);
  if (c.args.empty()) return Object(make_ref<WhereChain>(WhereChain{r}));  // where.not(...)
  return Object::relation(filtered(c, r, false));
}

Object where_not(Call& c) {
  return Object::relation(filtered(c, c.self.get<Ref<WhereChain>>()->get()->relation, true));
}

Object or_(Call& c) {
  auto other = c.args[0].get<RelationPtr>();
  if (!other && c.args[0].is<ModelRef>()) return Object::relation(relation_of(c).or_(relation_of(c.args[0], c.in)));
  if (!other) throw RuntimeError("You have passed " + class_name(c.args[0]) + " object to #or. Pass an ActiveRecord::Relation object instead.");
  return Object::relation(relation_of(c).or_(**other));
}

// :tweets, "tweets", {tweets: :hearts}, [:a, :b]: association names to join or load.
void add_trees(const Object& o, std::vector<model::AssociationTree>& out) {
  if (auto a = o.get<Ref<Array>>()) {
    for (const auto& x : **a) add_trees(x, out);
    return;
  }
  if (auto h = o.get<Ref<Hash>>()) {
    for (const auto& [k, v] : **h) {
      std::vector<model::AssociationTree> nested;
      add_trees(v, nested);
      out.push_back(model::AssociationTree(name_arg(k, "joins"), std::move(nested)));
    }
    return;
  }
  out.push_back(model::AssociationTree(name_arg(o, "joins")));
}

Object joins(Call& c) {
  std::vector<model::AssociationTree> trees;
  for (const auto& a : c.args) add_trees(a, trees);
  auto r = relation_of(c);
  if (c.name == "joins") return Object::relation(r.joins(trees));
  if (c.name == "left_joins" || c.name == "left_outer_joins") return Object::relation(r.left_joins(trees));
  return Object::relation(r.preload(trees));
}

Object distinct(Call& c) { return Object::relation(relation_of(c).distinct(c.args.empty() || c.args[0].truthy())); }

Object select(Call& c) {
  if (c.block) return enumerable(c);
  if (c.args.empty()) throw RuntimeError("Call `select' with at least one field");
  std::vector<std::string> columns;
  for (const auto& a : c.args) columns.push_back(name_arg(a, "select"));
  return Object::relation(relation_of(c).select_columns(columns));
}

Object group(Call& c) {
  std::vector<std::string> columns;
  for (const auto& a : c.args) columns.push_back(name_arg(a, "group"));
  return Object::relation(relation_of(c).group(columns));
}

// The type of a column named as pluck and the calculations take it ("price"
// or "books.price"); Untyped for an expression or another table's column.
model::ColumnType column_type(const model::ModelClass& m, const std::string& name) {
  auto dot = name.find('.');
  if (dot != std::string::npos && name.compare(0, dot, m.table) != 0) return model::ColumnType::Untyped;
  const auto* column = m.column(dot == std::string::npos ? name : name.substr(dot + 1));
  return column ? column->type : model::ColumnType::Untyped;
}

// A grouped calculation as ActiveRecord gives it: a hash from each group's
// key (the value itself for one group column) to its aggregate.
Object grouped(const model::GroupedValues& rows, const std::vector<model::ColumnRef>& groups, model::ColumnType type) {
  auto group_type = [&](size_t i) { return i < groups.size() ? groups[i].type : model::ColumnType::Untyped; };
  Hash out;
  for (const auto& [key, value] : rows) {
    Object k;
    if (key.size() == 1) {
      k = from_attribute(key[0], group_type(0));  // group(:published_at): times as keys
    } else {
      Array parts;
      for (size_t i = 0; i < key.size(); ++i) parts.push_back(from_attribute(key[i], group_type(i)));
      k = Object::array(std::move(parts));
    }
    out.push_back({k, from_attribute(value, type)});
  }
  return Object::hash(std::move(out));
}

// count(:col), sum(:col), average, minimum, maximum: in SQL, per group when grouped.
Object calculate(Call& c) {
  if (c.block || (c.name == "sum" && c.args.empty())) return enumerable(c);
  auto r = relation_of(c);
  auto aggregate = *model::aggregate_named(c.name);
  std::string column = c.args.empty() ? "" : name_arg(c.args[0], c.name.c_str());
  // sum, minimum and maximum of a decimal column are BigDecimals, and every
  // average is (ActiveRecord 6.1 gives average's Float#to_d); minimum and
  // maximum of a datetime column are times
  auto type = aggregate == model::Aggregate::Count     ? model::ColumnType::Untyped
              : aggregate == model::Aggregate::Average ? model::ColumnType::Decimal
                                                       : column_type(r.model(), column);
  if (r.is_grouped()) return grouped(store(c).queries().calculate_grouped(r, aggregate, column), r.group_values(), type);
  return from_attribute(store(c).queries().calculate(r, aggregate, column), type);
}

Object update_all(Call& c) {
  return Object(static_cast<std::int64_t>(store(c).queries().update_all(relation_of(c), to_attributes(c.args[0], "update_all"))));
}

Object find_or_create(Call& c) {
  auto r = relation_of(c);
  auto attributes = to_attributes(c.args[0], c.name.c_str());
  if (c.name == "find_or_initialize_by") return Object::record(store(c).queries().find_or_initialize_by(r, attributes));
  return Object::record(store(c).queries().find_or_create_by(r, attributes, c.name == "find_or_create_by!"));
}

std::int64_t batch_size(Call& c) {
  if (c.args.empty()) return model::Queries::kDefaultBatchSize;
  for (const auto& [k, v] : hash_arg(c.args[0], c.name.c_str()))
    if (name_arg(k, c.name.c_str()) == "batch_size") return int_arg(v, "batch_size");
  return model::Queries::kDefaultBatchSize;
}

Object find_in_batches(Call& c) {
  Array batches;
  store(c).queries().find_in_batches(relation_of(c), batch_size(c), [&](const std::vector<model::RecordPtr>& batch) {
    if (c.block) yield_block(c, {records(batch)});
    else batches.push_back(records(batch));
  });
  return c.block ? Object() : Object::array(std::move(batches));
}

std::string direction(const Object& o) {
  std::string dir = name_arg(o, "order");
  std::transform(dir.begin(), dir.end(), dir.begin(), ::tolower);
  if (dir != "asc" && dir != "desc")
    throw RuntimeError("Direction \"" + dir + "\" is invalid. Valid directions are: [:asc, :desc]");
  return dir;
}

Object order(Call& c) {
  auto out = relation_of(c);
  for (const auto& a : c.args) {
    if (auto h = a.get<Ref<Hash>>()) {
      for (const auto& [k, v] : **h) out = out.order(name_arg(k, "order"), direction(v) == "desc");
      continue;
    }
    if (auto fragment = a.get<std::string>()) {  // order("created_at DESC"): SQL, as ActiveRecord passes it
      out = out.order_sql(*fragment);
      continue;
    }
    out = out.order(name_arg(a, "order"), false);
  }
  return Object::relation(out);
}

Object limit(Call& c) {
  auto r = relation_of(c);
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  return Object::relation(c.name == "limit" ? r.limit(n) : r.offset(n));
}

// count, and with a block the records' count as Enumerable's.
Object count(Call& c) {
  if (c.block) return enumerable(c);
  auto r = relation_of(c);
  if (c.name != "count") return Object(store(c).queries().size(r));
  if (r.is_grouped() || !c.args.empty()) return calculate(c);
  return Object(store(c).queries().count(r));
}

// exists?, exists?(id), exists?(key: value); any? and none? with a block test the records.
Object exists(Call& c) {
  if (c.block) return enumerable(c);
  auto r = relation_of(c);
  if (!c.args.empty() && c.name != "exists?") throw wrong_arguments(c.args.size(), "0");
  if (c.args.empty()) return Object(store(c).queries().exists(r));
  if (c.args[0].is<Ref<Hash>>()) return Object(store(c).queries().exists(r, to_attributes(c.args[0], "exists?")));
  if (!c.args[0].truthy()) return Object(false);  // exists?(nil), exists?(false): ActiveRecord's answer
  Value id;
  if (!c.args[0].to_value(id)) throw type_error("exists? takes an id or key: value pairs, not " + class_name(c.args[0]));
  return Object(store(c).queries().exists(r, id));
}

Object empty(Call& c) {
  if (c.block) return enumerable(c);
  return Object(!store(c).queries().exists(relation_of(c)));
}

// find_each: each record, in batches by primary key.
Object find_each(Call& c) {
  Array all;
  store(c).queries().find_each(relation_of(c), batch_size(c), [&](const model::RecordPtr& rec) {
    if (c.block) yield_block(c, {Object::record(rec)});
    else all.push_back(Object::record(rec));
  });
  return c.block ? Object() : Object::array(std::move(all));
}

Object pluck_columns(Call& c, const std::vector<std::string>& columns) {
  Array values;
  auto r = relation_of(c);
  std::vector<model::ColumnType> types;
  for (const auto& name : columns) types.push_back(column_type(r.model(), name));
  std::vector<const model::Column*> enums;  // pluck(:status) gives the enum's names
  for (const auto& name : columns) {
    const auto* column = r.model().column(name);
    enums.push_back(column && column->is_enum() ? column : nullptr);
    if (enums.back()) types[enums.size() - 1] = model::ColumnType::String;
  }
  store(c).queries().pluck(r, columns, [&](std::vector<Value>&& row) {
    for (size_t i = 0; i < row.size() && i < enums.size(); ++i)
      if (enums[i]) row[i] = enums[i]->enum_name(row[i]);
    values.push_back(from_row(std::move(row), types));
  });
  return Object::array(std::move(values));
}

Object pluck(Call& c) {
  std::vector<std::string> columns;
  for (const auto& a : c.args) columns.push_back(name_arg(a, "pluck"));
  return pluck_columns(c, columns);
}

Object ids(Call& c) { return pluck_columns(c, {relation_of(c).model().primary_key}); }

model::Attributes attributes_arg(Call& c) {
  return c.args.empty() ? model::Attributes{} : to_attributes(c.args[0], c.name.c_str());
}

// Model.new(display_name: "x") where the model defines display_name=: each
// attribute in turn, a model's own writer called as ActiveRecord's
// assign_attributes calls it. Null when the model defines no writer they name.
model::RecordPtr build_with_writers(Call& c, const model::Relation& r) {
  if (c.args.empty()) return nullptr;
  const auto& hash = hash_arg(c.args[0], c.name.c_str());
  auto writer = [&](const Object& key) { return c.in.defines_method(r.model(), name_arg(key, c.name.c_str()) + "="); };
  bool any = false;
  for (const auto& kv : hash) any = any || writer(kv.first);
  if (!any) return nullptr;
  auto record = r.owner() ? store(c).associations().build_in(r, {}) : store(c).persistence().build(r.model(), {});
  Object target = Object::record(record);
  for (const auto& [k, v] : hash) {
    std::vector<Object> value{v};
    if (writer(k)) c.in.call(target, name_arg(k, c.name.c_str()) + "=", value);
    else store(c).persistence().assign(*record, name_arg(k, c.name.c_str()), to_input(v));
  }
  return record;
}

Object build(Call& c) {
  auto r = relation_of(c);
  if (auto record = build_with_writers(c, r)) return Object::record(record);
  auto attributes = attributes_arg(c);
  return Object::record(r.owner() ? store(c).associations().build_in(r, attributes) : store(c).persistence().build(r.model(), attributes));
}

Object create(Call& c) {
  auto r = relation_of(c);
  bool strict = c.name == "create!";
  auto rec = build_with_writers(c, r);
  if (!rec) {
    auto attributes = attributes_arg(c);
    if (r.owner()) return Object::record(store(c).associations().create_in(r, attributes, strict));
    rec = store(c).persistence().build(r.model(), attributes);
  }
  if (strict) store(c).persistence().save_strict(*rec);
  else store(c).persistence().save(*rec);
  return Object::record(rec);
}

Object destroy_all(Call& c) { return records(store(c).queries().destroy_all(relation_of(c))); }

Object delete_all(Call& c) { return Object(static_cast<std::int64_t>(store(c).queries().delete_all(relation_of(c)))); }

// << record, << [records]: stops at the first record that is invalid (false).
Object push(Call& c) {
  auto r = relation_of(c);
  for (const auto& a : c.args) {
    auto arr = a.get<Ref<Array>>();
    for (const auto& x : arr ? **arr : Array{a})
      if (!store(c).associations().add(r, record_arg(x, r.model()))) return Object(false);
  }
  return c.self;
}

Object remove(Call& c) {
  auto r = relation_of(c);
  store(c).associations().remove(r, record_arg(c.args[0], r.model()));
  return Object::array({c.args[0]});
}

Object includes(Call& c) {
  auto r = relation_of(c);
  return Object(store(c).associations().includes(r, record_arg(c.args[0], r.model())));
}

Object explain(Call& c) { return Object(store(c).queries().explain(relation_of(c))); }

Object to_sql(Call& c) {
  auto r = relation_of(c);
  return Object(r.select(r.projection(), "").sql);
}

}  // namespace

const std::vector<Method>& methods::where_chain() {
  static const std::vector<Method> table = {
      {"not", "", 1, kAnyNumber, Returns::Relation, "records not matching: where.not(user_id: 1)", where_not, kReads | kTakesAttributes},
  };
  return table;
}

}  // namespace fw::lang

// Relations and collection associations: User.where(...), user.tweets. A
// model class answers to these too (User.first), after its own (model.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "lang/methods/support.hpp"
#include "model/errors.hpp"

namespace fw::lang {

namespace {

Object all(Call& c);
Object to_a(Call& c);
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

}  // namespace

const std::vector<Method>& methods::relation() {
  static const std::vector<Method> table = {
      {"all", "reload", 0, 0, Returns::Relation, "the relation itself (all records of a model)", all},
      {"to_a", "records", 0, 0, Returns::Array, "the records, loaded into an array", to_a},
      {"first", "", 0, 1, Returns::Record, "the first record by primary key (or the first n)", first},
      {"last", "", 0, 1, Returns::Record, "the last record by primary key (or the last n)", first},
      {"take", "", 0, 1, Returns::Record, "a record in no particular order (or n of them)", first},
      {"find", "", 0, kAnyNumber, Returns::Record, "the record with this id; raises when there is none", find},
      {"find_by", "", 1, 1, Returns::Record, "the first record matching key: value pairs, or nil", find_by},
      {"find_by!", "", 1, 1, Returns::Record, "the first record matching key: value pairs; raises when none", find_by},
      {"where", "", 1, 1, Returns::Relation, "records matching key: value pairs (or an association: record)", where},
      {"order", "", 1, kAnyNumber, Returns::Relation, "sorted by columns: order(:name) or order(created_at: :desc)",
       order},
      {"limit", "", 1, 1, Returns::Relation, "at most n records", limit},
      {"offset", "", 1, 1, Returns::Relation, "skips the first n records", limit},
      {"count", "size length", 0, 0, Returns::Integer, "how many records (SELECT COUNT)", count},
      {"exists?", "any?", 0, 1, Returns::Boolean, "whether any record matches (this id, these key: values)", exists},
      {"empty?", "none?", 0, 0, Returns::Boolean, "whether no record matches", empty},
      {"find_each", "", 0, 0, Returns::Self, "calls the block with each record, by primary key", find_each},
      {"pluck", "", 1, kAnyNumber, Returns::Array, "the values of columns, without building records", pluck},
      {"ids", "", 0, 0, Returns::Array, "the primary keys", ids},
      {"new", "build", 0, 1, Returns::Record, "a new, unsaved record (linked to the owner for an association)",
       build},
      {"create", "", 0, 1, Returns::Record, "saves a new record; an invalid one comes back unsaved with errors",
       create},
      {"create!", "", 0, 1, Returns::Record, "saves a new record; raises when it is invalid", create},
      {"destroy_all", "", 0, 0, Returns::Array, "destroys each record with its dependents", destroy_all},
      {"delete_all", "", 0, 0, Returns::Integer, "deletes the rows in one statement, without callbacks", delete_all},
      {"<<", "push concat", 1, kAnyNumber, Returns::Self, "adds records to a collection association", push},
      {"delete", "", 1, 1, Returns::Array, "unlinks a record from a collection association", remove},
      {"include?", "", 1, 1, Returns::Boolean, "whether the record is in the collection", includes},
      {"to_sql", "", 0, 0, Returns::String, "the SQL the relation runs", to_sql},
  };
  return table;
}

model::Relation relation_of(const Object& self) {
  if (auto m = self.get<ModelRef>()) return model::Relation(*m->model);
  return **self.get<RelationPtr>();
}

Object records(const std::vector<model::RecordPtr>& items) {
  Array out;
  for (const auto& r : items) out.push_back(Object::record(r));
  return Object::array(std::move(out));
}

std::optional<Object> call_scope(Call& c) {
  const auto* m = model_of(c.self);
  const auto* s = m ? m->scope(c.name) : nullptr;
  if (!s) return std::nullopt;
  if (!c.args.empty()) throw wrong_arguments(c.args.size(), "0");
  return Object::relation(s->body(relation_of(c.self)));
}

namespace {

model::RecordPtr record_arg(const Object& o, const model::ModelClass& m) {
  if (auto r = o.get<model::RecordPtr>()) return *r;
  throw type_mismatch(m.name, inspect(o), class_name(o));
}

Object all(Call& c) { return Object::relation(relation_of(c.self)); }

Object to_a(Call& c) {
  Array items;
  store(c).each(relation_of(c.self), [&](const model::RecordPtr& r) { items.push_back(Object::record(r)); });
  return Object::array(std::move(items));
}

// first, last and take, with or without a count.
Object first(Call& c) {
  auto r = relation_of(c.self);
  bool last = c.name == "last", take = c.name == "take";
  if (c.args.empty()) {
    if (take) {
      auto rows = store(c).to_a(r.limit(1));
      return rows.empty() ? Object() : Object::record(rows[0]);
    }
    return Object::record(last ? store(c).last(r) : store(c).first(r));
  }
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  if (n < 0) throw RuntimeError("negative array size");
  auto rows = store(c).to_a(take ? r.limit(n) : r.ordered_for_first(last).limit(n));
  if (last) std::reverse(rows.begin(), rows.end());
  return records(rows);
}

Object find(Call& c) {
  if (c.block) return enumerable(c);  // find { |r| ... } is Enumerable's detect
  if (c.args.empty()) throw wrong_arguments(0, "1+");
  auto r = relation_of(c.self);
  std::vector<Object> ids = c.args;
  bool many = c.args.size() > 1;
  if (auto a = c.args[0].get<std::shared_ptr<Array>>(); a && c.args.size() == 1) ids = **a, many = true;
  Array found;
  for (const auto& id : ids) {
    Value v;
    if (!id.to_value(v)) throw type_error("find takes ids, not " + class_name(id));
    found.push_back(Object::record(store(c).find(r, v)));
  }
  return many ? Object::array(std::move(found)) : found.front();
}

Object find_by(Call& c) {
  auto r = relation_of(c.self);
  auto rec = store(c).find_by(r, to_attributes(c.args[0], c.name.c_str()));
  if (!rec && c.name == "find_by!") throw model::RecordNotFound::plain(r.model().name);
  return Object::record(rec);
}

Object where(Call& c) {
  if (c.args[0].is<std::string>())
    throw RuntimeError(
        "where takes key: value pairs (where(username: \"ann\")); SQL strings are not run, so values are always bound");
  return Object::relation(relation_of(c.self).where(to_attributes(c.args[0], "where")));
}

std::string direction(const Object& o) {
  std::string dir = name_arg(o, "order");
  std::transform(dir.begin(), dir.end(), dir.begin(), ::tolower);
  if (dir != "asc" && dir != "desc")
    throw RuntimeError("Direction \"" + dir + "\" is invalid. Valid directions are: [:asc, :desc]");
  return dir;
}

Object order(Call& c) {
  auto out = relation_of(c.self);
  for (const auto& a : c.args) {
    if (auto h = a.get<std::shared_ptr<Hash>>()) {
      for (const auto& [k, v] : **h) out = out.order(name_arg(k, "order"), direction(v) == "desc");
      continue;
    }
    std::string spec = name_arg(a, "order");
    auto space = spec.find(' ');
    std::string column = spec.substr(0, space);
    bool desc = space != std::string::npos && direction(Object(spec.substr(space + 1))) == "desc";
    out = out.order(column, desc);
  }
  return Object::relation(out);
}

Object limit(Call& c) {
  auto r = relation_of(c.self);
  std::int64_t n = int_arg(c.args[0], c.name.c_str());
  return Object::relation(c.name == "limit" ? r.limit(n) : r.offset(n));
}

// count, and with a block the records' count as Enumerable's.
Object count(Call& c) {
  if (c.block) return enumerable(c);
  return Object(store(c).count(relation_of(c.self)));
}

// exists?, exists?(id), exists?(key: value); any? and none? with a block test the records.
Object exists(Call& c) {
  if (c.block) return enumerable(c);
  auto r = relation_of(c.self);
  if (!c.args.empty() && c.name != "exists?") throw wrong_arguments(c.args.size(), "0");
  if (!c.args.empty()) {
    if (c.args[0].is<std::shared_ptr<Hash>>()) r = r.where(to_attributes(c.args[0], "exists?"));
    else if (!c.args[0].truthy()) return Object(false);  // exists?(nil), exists?(false): ActiveRecord's answer
    else r = r.where({{r.model().primary_key, to_input(c.args[0])}});
  }
  return Object(store(c).exists(r));
}

Object empty(Call& c) {
  if (c.block) return enumerable(c);
  return Object(!store(c).exists(relation_of(c.self)));
}

// find_each: each record, in primary key order, streamed.
Object find_each(Call& c) {
  auto r = relation_of(c.self).order(relation_of(c.self).model().primary_key, false);
  Array all;
  store(c).each(r, [&](const model::RecordPtr& rec) {
    if (c.block) yield_block(c, {Object::record(rec)});
    else all.push_back(Object::record(rec));
  });
  return c.block ? Object() : Object::array(std::move(all));
}

Object pluck_columns(Call& c, const std::vector<std::string>& columns) {
  Array values;
  store(c).pluck(relation_of(c.self), columns, [&](std::vector<Value>&& row) { values.push_back(from_row(std::move(row))); });
  return Object::array(std::move(values));
}

Object pluck(Call& c) {
  std::vector<std::string> columns;
  for (const auto& a : c.args) columns.push_back(name_arg(a, "pluck"));
  return pluck_columns(c, columns);
}

Object ids(Call& c) { return pluck_columns(c, {relation_of(c.self).model().primary_key}); }

model::Attributes attributes_arg(Call& c) {
  return c.args.empty() ? model::Attributes{} : to_attributes(c.args[0], c.name.c_str());
}

Object build(Call& c) {
  auto r = relation_of(c.self);
  auto attributes = attributes_arg(c);
  return Object::record(r.owner() ? store(c).build_in(r, attributes) : store(c).build(r.model(), attributes));
}

Object create(Call& c) {
  auto r = relation_of(c.self);
  auto attributes = attributes_arg(c);
  bool strict = c.name == "create!";
  if (r.owner()) return Object::record(store(c).create_in(r, attributes, strict));
  auto rec = store(c).build(r.model(), attributes);
  if (strict) store(c).save_strict(*rec);
  else store(c).save(*rec);
  return Object::record(rec);
}

Object destroy_all(Call& c) { return records(store(c).destroy_all(relation_of(c.self))); }

Object delete_all(Call& c) { return Object(static_cast<std::int64_t>(store(c).delete_all(relation_of(c.self)))); }

// << record, << [records]: stops at the first record that is invalid (false).
Object push(Call& c) {
  auto r = relation_of(c.self);
  for (const auto& a : c.args) {
    auto arr = a.get<std::shared_ptr<Array>>();
    for (const auto& x : arr ? **arr : Array{a})
      if (!store(c).add(r, record_arg(x, r.model()))) return Object(false);
  }
  return c.self;
}

Object remove(Call& c) {
  auto r = relation_of(c.self);
  store(c).remove(r, record_arg(c.args[0], r.model()));
  return Object::array({c.args[0]});
}

Object includes(Call& c) {
  auto r = relation_of(c.self);
  return Object(store(c).includes(r, record_arg(c.args[0], r.model())));
}

Object to_sql(Call& c) {
  auto r = relation_of(c.self);
  return Object(r.select(storage::quote_identifier(r.model().table) + ".*", "").sql);
}

}  // namespace

}  // namespace fw::lang

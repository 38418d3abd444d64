// belongs_to: the owner holds the parent's key. Its target, its join and
// preload, dependent: (run after the owner is destroyed), and what
// counter_cache: and touch: do to the parent when the owner is created, moved
// to another parent, or destroyed. A polymorphic belongs_to's parent is of
// the class its type column names.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/clock.hpp"
#include "base/text.hpp"
#include "model/association.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

// ---- BelongsTo ----

RecordPtr BelongsTo::find_target(Store& store, const RecordPtr& owner, const Reflection& r) const {
  if (is_null(owner->get(r.foreign_key))) return nullptr;
  if (auto query = Relation::target_query(owner, r, r.klass->name + " Load"))
    return store.queries().load_first(*r.klass, *query);
  return Association::find_target(store, owner, r);
}

std::vector<Hop> BelongsTo::path(const Reflection& r) const {
  return {{r.owner->table, r.foreign_key, target_model(r).table, r.primary_key}};
}

PreloadedTargets BelongsTo::preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                            const ScopeBody& extra) const {
  return preload_by_key(store, owners, r, r.foreign_key, r.primary_key, extra);
}

// A belongs_to's dependent: is an after_destroy callback of its own.
bool BelongsTo::after_destroy(Store& store, Record& record, const Reflection& r) const {
  if (r.dependent == Dependent::None) return true;
  store.followed(r);
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});  // borrowed for the relation below
  Relation parent = Relation::association(owner, r, store.code());
  if (r.dependent == Dependent::Delete) {
    store.queries().delete_all(parent);
  } else if (auto p = store.queries().first(parent); p && !store.persistence().destroy(*p)) {
    for (const auto& message : p->errors().full_messages()) record.errors().add("base", message);
    return false;
  }
  return true;
}

bool BelongsTo::follows_writes(const Reflection& r) const { return !r.counter_cache.empty() || r.touch; }

// After the owner was created, updated (its parent changed: the old one's
// count goes down, the new one's up) or destroyed.
void BelongsTo::after_write(Store& store, Record& record, const Reflection& r, bool created, bool destroyed,
                            const Value& old_key) const {
  Value key = record.get(r.foreign_key);
  bool moved = !created && !destroyed && !values_equal(old_key, key);
  if (!r.counter_cache.empty()) {
    if (destroyed) {
      if (!is_null(old_key)) update_counter(store, r, old_key, -1);
    } else if (created || moved) {
      if (moved && !is_null(old_key)) update_counter(store, r, old_key, -1);
      if (!is_null(key)) update_counter(store, r, key, +1);
    }
    // A loaded parent's count follows, as increment! keeps it.
    const RecordPtr* cached = record.cached_target(r.name);
    if (cached && *cached && (created || moved || destroyed)) {
      Record& parent = **cached;
      int by = values_equal(parent.get(r.primary_key), key) ? (destroyed ? -1 : +1)
               : values_equal(parent.get(r.primary_key), old_key) && (moved || destroyed) ? -1 : 0;
      int column = r.klass->column_index(r.counter_cache);
      if (by != 0 && column >= 0) {
        const Value& count = parent.at(static_cast<size_t>(column));
        auto n = std::get_if<std::int64_t>(&count);
        parent.set(static_cast<size_t>(column), std::int64_t{(n ? *n : 0) + by});
        parent.clear_change(static_cast<size_t>(column));
      }
    }
  }
  if (r.touch) touch_parents(store, record, r, moved ? std::vector<Value>{old_key, key}
                                                     : std::vector<Value>{destroyed ? old_key : key});
}

// touch: true sets the parent's updated_at; touch: :column that column as
// well, as ActiveRecord's parent.touch(:column): one UPDATE, the loaded
// parent's attributes following.
void BelongsTo::touch_parents(Store& store, Record& record, const Reflection& r, const std::vector<Value>& keys) {
  std::vector<std::string> columns;
  for (const std::string& name : {std::string("updated_at"), r.touch_column})
    if (!name.empty() && r.klass->column(name) && std::find(columns.begin(), columns.end(), name) == columns.end())
      columns.push_back(name);
  if (columns.empty()) return;
  std::string now = utc_timestamp();
  std::vector<storage::Bind> sets;
  for (const auto& c : columns) sets.push_back({c, now});
  for (const Value& k : keys) {
    if (is_null(k)) continue;
    Relation parent = Relation(*r.klass).where({{r.primary_key, k}});
    store.write(Change::Kind::Update, r.klass->table, parent.update_query(sets, label(*r.klass, "Update All")),
                &parent);
    if (const RecordPtr* cached = record.cached_target(r.name);
        cached && *cached && values_equal((*cached)->get(r.primary_key), k)) {
      for (const auto& c : columns) {
        (*cached)->set(c, now);
        (*cached)->clear_change(static_cast<size_t>(r.klass->column_index(c)));
      }
    }
  }
}

// UPDATE "authors" SET "books_count" = COALESCE("books_count", 0) + ? WHERE "authors"."id" = ?, as
// ActiveRecord's update_counters.
void BelongsTo::update_counter(Store& store, const Reflection& r, const Value& parent_key, int by) {
  const ModelClass& parent = *r.klass;
  Relation row = Relation(parent).where({{r.primary_key, parent_key}});
  std::string column = quote_identifier(r.counter_cache);
  store.write(Change::Kind::Update, parent.table,
              row.update_query(column + " = COALESCE(" + column + ", 0) + ?", {{r.counter_cache, std::int64_t{by}}},
                               label(parent, "Update All")),
              &row);
}

// ---- PolymorphicBelongsTo ----

const ModelClass& PolymorphicBelongsTo::model_named(const Store& store, const std::string& type, const Reflection& r) {
  if (const ModelClass* m = store.app().find(type)) return *m;
  throw ModelError(fmt::format("uninitialized constant {} (the {} of {} names no model).{}", type, r.foreign_type,
                               r.owner->name, suggestion_suffix(type, store.app().model_names())));
}

RecordPtr PolymorphicBelongsTo::find_target(Store& store, const RecordPtr& owner, const Reflection& r) const {
  const Value& type = owner->get(r.foreign_type);
  const Value& key = owner->get(r.foreign_key);
  if (is_null(key) || is_blank(type)) return nullptr;
  const ModelClass& model = model_named(store, value_to_s(type), r);
  Relation one = Relation(model).where({{model.primary_key, key}});
  one = r.scoped(store.code(), one, owner);
  auto rows = store.queries().to_a(one.limit(1));
  return rows.empty() ? nullptr : rows.front();
}

std::vector<Hop> PolymorphicBelongsTo::path(const Reflection& r) const { polymorphic_has_no_table(r); }

// One query per type the owners name.
PreloadedTargets PolymorphicBelongsTo::preload_targets(Store& store, const std::vector<RecordPtr>& owners,
                                                       const Reflection& r, const ScopeBody&) const {
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), {}};
  std::vector<std::string> types;
  for (const auto& o : owners)
    if (auto t = std::get_if<std::string>(&o->get(r.foreign_type));
        t && std::find(types.begin(), types.end(), *t) == types.end())
      types.push_back(*t);
  for (const auto& type : types) {
    const ModelClass& model = model_named(store, type, r);
    std::vector<Input> keys;
    std::set<Value> seen;
    for (const auto& o : owners)
      if (o->get(r.foreign_type) == Value(type))
        if (Value v = o->get(r.foreign_key); !is_null(v) && seen.insert(v).second) keys.push_back(v);
    if (keys.empty()) continue;
    Relation targets = Relation(model).where({{model.primary_key, Input::list_of(std::move(keys))}});
    if (r.scope) targets = r.scope(store.code(), targets);
    std::map<Value, RecordPtr> by_key;
    for (const auto& t : store.queries().to_a(targets)) {
      out.all.push_back(t);
      by_key[t->id()] = t;
    }
    for (size_t i = 0; i < owners.size(); ++i) {
      if (owners[i]->get(r.foreign_type) != Value(type)) continue;
      auto it = by_key.find(owners[i]->get(r.foreign_key));
      if (it != by_key.end()) out.per_owner[i] = {it->second};
    }
  }
  return out;
}

}  // namespace fw::model

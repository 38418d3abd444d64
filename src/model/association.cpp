// What every kind of association shares: the choice of kind, the defaults
// (a singular reader, no writing on a collection), preloading by key, a
// collection's create, and a has_*'s dependent: cascade.
#include "model/association.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>

#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

const Association& Association::of(const Reflection& r) {
  static const BelongsTo belongs_to;
  static const PolymorphicBelongsTo polymorphic_belongs_to;
  static const HasMany has_many;
  static const HasOne has_one;
  static const HasManyThrough has_many_through;
  static const HasOneThrough has_one_through;
  static const HasAndBelongsToMany habtm;
  switch (r.macro) {
    case Macro::BelongsTo: return r.polymorphic ? static_cast<const Association&>(polymorphic_belongs_to) : belongs_to;
    case Macro::HasMany: return r.is_through() ? static_cast<const Association&>(has_many_through) : has_many;
    case Macro::HasOne: return r.is_through() ? static_cast<const Association&>(has_one_through) : has_one;
    case Macro::HasAndBelongsToMany: return habtm;
  }
  return has_many;
}

const ModelClass& Association::target_model(const Reflection& r) {
  if (r.polymorphic || !r.klass) polymorphic_has_no_table(r);
  return *r.klass;
}

// has_one and has_one :through: the first of the association's relation.
RecordPtr Association::find_target(Store& store, const RecordPtr& owner, const Reflection& r) const {
  auto rows = store.queries().to_a(Relation::association(owner, r, store.code()).limit(1));
  return rows.empty() ? nullptr : rows.front();
}

PreloadedTargets Association::preload(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                      const ScopeBody& extra) const {
  if (r.is_instance_dependent()) instance_dependent_scope(r);
  return preload_targets(store, owners, r, extra);
}

namespace {

// Each record's value of `key`, once each, nil left out: the values an IN lists.
std::vector<Input> distinct_keys(const std::vector<RecordPtr>& records, const std::string& key) {
  std::vector<Input> out;
  std::set<Value> seen;
  for (const auto& r : records) {
    Value v = r->get(key);
    if (!is_null(v) && seen.insert(v).second) out.push_back(v);
  }
  return out;
}

[[noreturn]] void not_a_collection(const Reflection& r) {
  throw ModelError(fmt::format("{} is a {}, not a collection", r.name, macro_name(r.macro)));
}

}  // namespace

// SELECT "users".* FROM "users" WHERE "users"."id" IN (?, ?).
PreloadedTargets Association::preload_by_key(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                             const std::string& owner_key, const std::string& target_key,
                                             const ScopeBody& extra) {
  PreloadedTargets out{std::vector<std::vector<RecordPtr>>(owners.size()), {}};
  auto keys = distinct_keys(owners, owner_key);
  if (keys.empty()) return out;
  Relation targets = Relation(*r.klass).where({{target_key, Input::list_of(std::move(keys))}});
  if (!r.as.empty()) targets = targets.where({{r.foreign_type, Value(r.owner->name)}});
  if (r.scope) targets = r.scope(store.code(), targets);  // its order too: each owner's targets come in the scope's order
  if (extra) targets = extra(store.code(), targets);
  out.all = store.queries().to_a(targets);
  std::map<Value, std::vector<RecordPtr>> by_key;
  for (const auto& t : out.all) by_key[t->get(target_key)].push_back(t);
  for (size_t i = 0; i < owners.size(); ++i) {
    auto it = by_key.find(owners[i]->get(owner_key));
    if (it != by_key.end()) out.per_owner[i] = it->second;
  }
  return out;
}

bool Association::add(Store& store, const Relation::Owner& owner, const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  if (&record->model() != r.klass)
    throw ModelError(fmt::format("{}({}) expected, got {} which is an instance of {}", r.klass->name, r.klass->name,
                                 record->model().name, record->model().name));
  Store::OutermostEnd ends(store);
  storage::Transaction tx(store.db());
  if (!link(store, owner, record)) return false;
  tx.commit();
  ends.committed();
  return true;
}

bool Association::link(Store&, const Relation::Owner& owner, const RecordPtr&) const {
  not_a_collection(*owner.reflection);
}

void Association::unlink(Store&, const Relation&, const Relation::Owner& owner, const RecordPtr&) const {
  not_a_collection(*owner.reflection);
}

RecordPtr Association::create(Store& store, const Relation::Owner&, const RecordPtr& record, bool strict) const {
  if (strict) store.persistence().save_strict(*record);
  else store.persistence().save(*record);
  return record;
}

RecordPtr Association::save_then_link(Store& store, const Relation::Owner& owner, const RecordPtr& record,
                                      bool strict) const {
  Store::OutermostEnd ends(store);
  storage::Transaction tx(store.db());
  if (!store.persistence().save(*record)) {
    if (strict) throw RecordInvalid(*record);
    return record;
  }
  add(store, owner, record);
  tx.commit();
  ends.committed();
  return record;
}

bool Association::run_dependent(Store& store, Record& record, const Reflection& r, const Reflection& step, bool one) {
  if (r.dependent == Dependent::None) return true;
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});  // borrowed for the relations below
  store.followed(r);
  Relation children = Relation::association(owner, step, store.code());
  switch (r.dependent) {
    case Dependent::RestrictWithError:
      if (store.queries().exists(children)) {
        std::string what = inflector::humanize(r.name);
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
        record.errors().add("base", one ? "Cannot delete record because a dependent " + what + " exists"
                                        : "Cannot delete record because dependent " + what + " exist");
        return false;
      }
      break;
    case Dependent::RestrictWithException:
      if (store.queries().exists(children)) throw DeleteRestrictionError(r.name);
      break;
    case Dependent::Destroy:
      for (const auto& child : store.queries().to_a(children)) {
        if (!store.persistence().destroy(*child)) {
          for (const auto& message : child->errors().full_messages()) record.errors().add("base", message);
          return false;
        }
      }
      break;
    case Dependent::Delete:
    case Dependent::DeleteAll: store.queries().delete_all(children); break;
    case Dependent::Nullify: {
      std::vector<storage::Bind> sets = {{step.foreign_key, Value{}}};
      if (!step.as.empty()) sets.push_back({step.foreign_type, Value{}});
      store.write(Change::Kind::Update, step.klass->table,
                  children.update_query(sets, label(*step.klass, "Update All")), &children);
      break;
    }
    case Dependent::None: break;
  }
  return true;
}

}  // namespace fw::model

// has_and_belongs_to_many: rows of a join table (no model) link owners and
// targets. Joined in two steps; << and create insert a join row, delete
// removes one, and destroying the owner removes its rows.
#include <fmt/format.h>

#include "model/association.hpp"
#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

std::vector<Hop> HasAndBelongsToMany::path(const Reflection& r) const {
  const ModelClass& target = target_model(r);
  return {{r.owner->table, r.primary_key, r.join_table, r.foreign_key},
          {r.join_table, r.association_foreign_key, target.table, target.primary_key}};
}

PreloadedTargets HasAndBelongsToMany::preload_targets(Store&, const std::vector<RecordPtr>&, const Reflection& r,
                                                      const ScopeBody&) const {
  throw ModelError(
      fmt::format("preloading the has_and_belongs_to_many {} is not supported; use joins(:{})", r.name, r.name));
}

bool HasAndBelongsToMany::link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  if (record->new_record()) store.persistence().save_strict(*record);
  storage::Query q{r.join_table + " Create",
                   "INSERT INTO " + quote_identifier(r.join_table) + " (" + quote_identifier(r.foreign_key) + ", " +
                       quote_identifier(r.association_foreign_key) + ") VALUES (?, ?)",
                   {{r.foreign_key, owner.record->get(r.primary_key)},
                    {r.association_foreign_key, record->get(r.klass->primary_key)}}};
  store.write(Change::Kind::Insert, r.join_table, q, nullptr);
  return true;
}

RecordPtr HasAndBelongsToMany::create(Store& store, const Relation::Owner& owner, const RecordPtr& record,
                                      bool strict) const {
  return save_then_link(store, owner, record, strict);
}

void HasAndBelongsToMany::unlink(Store& store, const Relation&, const Relation::Owner& owner,
                                 const RecordPtr& record) const {
  const Reflection& r = *owner.reflection;
  storage::Query q{r.join_table + " Delete All",
                   "DELETE FROM " + quote_identifier(r.join_table) + " WHERE " + quote_identifier(r.foreign_key) +
                       " = ? AND " + quote_identifier(r.association_foreign_key) + " = ?",
                   {{r.foreign_key, owner.record->get(r.primary_key)},
                    {r.association_foreign_key, record->get(r.klass->primary_key)}}};
  store.write(Change::Kind::Delete, r.join_table, q, nullptr);
}

void HasAndBelongsToMany::remove_links(Store& store, Record& owner, const Reflection& r) const {
  storage::Query q{r.join_table + " Delete All",
                   "DELETE FROM " + quote_identifier(r.join_table) + " WHERE " + quote_identifier(r.join_table) + "." +
                       quote_identifier(r.foreign_key) + " = ?",
                   {{r.foreign_key, owner.get(r.primary_key)}}};
  store.write(Change::Kind::Delete, r.join_table, q, nullptr);
}

}  // namespace fw::model

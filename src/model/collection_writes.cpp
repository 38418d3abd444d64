// Writing through a collection association: << links a record, build and
// create make one linked to the owner (build_in also makes any relation's new
// record, Tweet.where(user: u).new), delete unlinks one (nullify, or removes
// the join record); join records are created where needed.
#include <fmt/format.h>

#include "model/errors.hpp"
#include "model/store.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

const Relation::Owner& Store::require_owner(const Relation& collection, const char* method) {
  const Relation::Owner* owner = collection.owner();
  if (!owner || !owner->reflection->is_collection())
    throw ModelError(fmt::format("{} works on a collection association (such as user.tweets), not on {}", method,
                                 collection.model().name + ".where(...)"));
  if (owner->record->new_record())
    throw ModelError("You cannot call create unless the parent is saved");
  return *owner;
}

// A has_many :through can be added to when it goes through a has_many (or
// has_one) to a belongs_to: the join record is what gets created.
static void check_through_writable(const Reflection& r) {
  const Reflection* through = r.through_reflection;
  const Reflection* source = r.source_reflection;
  if (through->is_through() || source->is_through() || !source->is_belongs_to() || through->is_belongs_to())
    throw ModelError(fmt::format(
        "Cannot modify association '{}#{}' because the source reflection class '{}' is associated to '{}' via :{}.",
        r.owner->name, r.name, source->klass->name, through->klass->name, macro_name(source->macro)));
}

bool Store::link(const Relation::Owner& owner, const RecordPtr& record) {
  const Reflection& r = *owner.reflection;
  if (&record->model() != r.klass)
    throw ModelError(fmt::format("{}({}) expected, got {} which is an instance of {}", r.klass->name, r.klass->name,
                                 record->model().name, record->model().name));
  OutermostEnd ends(*this);
  storage::Transaction tx(db_);
  if (r.is_through()) {
    check_through_writable(r);
    if (record->new_record()) save_strict(*record);
    const Reflection& through = *r.through_reflection;
    auto join = build(*through.klass, {{r.source_reflection->name, record}});
    join->set(through.foreign_key, owner.record->get(through.primary_key));
    save_strict(*join);
  } else if (r.macro == Macro::HasAndBelongsToMany) {
    if (record->new_record()) save_strict(*record);
    storage::Query q{r.join_table + " Create",
                     "INSERT INTO " + quote_identifier(r.join_table) + " (" + quote_identifier(r.foreign_key) + ", " +
                         quote_identifier(r.association_foreign_key) + ") VALUES (?, ?)",
                     {{r.foreign_key, owner.record->get(r.primary_key)},
                      {r.association_foreign_key, record->get(r.klass->primary_key)}}};
    write(Change::Kind::Insert, r.join_table, q, nullptr);
  } else {
    // As ActiveRecord's <<: an invalid record is not saved, and << answers false.
    record->set(r.foreign_key, owner.record->get(r.primary_key));
    if (!r.as.empty()) record->set(r.foreign_type, r.owner->name);
    if (!save(*record)) return false;
  }
  tx.commit();
  ends.committed();
  return true;
}

bool Store::add(const Relation& collection, const RecordPtr& record) {
  const Relation::Owner& owner = require_owner(collection, "<<");
  owner.record->reset_collections();  // a preloaded collection would miss the new record
  return link(owner, record);
}

RecordPtr Store::build_in(const Relation& collection, const Attributes& attributes) {
  const Relation::Owner* owner = collection.owner();
  auto record = std::make_shared<Record>(collection.model());
  for (const auto& [column, value] : collection.scope_attributes()) record->set(column, value);
  for (const auto& [name, value] : attributes) assign(*record, name, value);
  if (owner && !owner->reflection->is_through() && owner->reflection->macro != Macro::HasAndBelongsToMany)
  {
    record->set(owner->reflection->foreign_key, owner->record->get(owner->reflection->primary_key));
    if (!owner->reflection->as.empty()) record->set(owner->reflection->foreign_type, owner->reflection->owner->name);
  }
  // u.tweets.build joins the records u loaded, as ActiveRecord adds it to the target
  if (collection.is_association())
    if (const auto* loaded = owner->loaded()) {
      auto records = *loaded;
      records.push_back(record);
      owner->keep(std::move(records));
    }
  return record;
}

RecordPtr Store::create_in(const Relation& collection, const Attributes& attributes, bool strict) {
  const Relation::Owner& owner = require_owner(collection, "create");
  owner.record->reset_collections();
  auto record = build_in(collection, attributes);
  const Reflection& r = *owner.reflection;
  if (r.is_through() || r.macro == Macro::HasAndBelongsToMany) {
    if (r.is_through()) check_through_writable(r);
    OutermostEnd ends(*this);
    storage::Transaction tx(db_);
    if (!save(*record)) {
      if (strict) throw RecordInvalid(*record);
      return record;
    }
    link(owner, record);
    tx.commit();
    ends.committed();
    return record;
  }
  if (strict) save_strict(*record);
  else save(*record);
  return record;
}

void Store::remove(const Relation& collection, const RecordPtr& record) {
  const Relation::Owner& owner = require_owner(collection, "delete");
  owner.record->reset_collections();
  const Reflection& r = *owner.reflection;
  storage::Transaction tx(db_);
  if (r.is_through()) {
    check_through_writable(r);
    const Reflection& through = *r.through_reflection;
    Relation joins = Relation::association(owner.record, through, code())
                         .where({{r.source_reflection->foreign_key, record->get(r.source_reflection->primary_key)}});
    delete_all(joins);
  } else if (r.macro == Macro::HasAndBelongsToMany) {
    storage::Query q{r.join_table + " Delete All",
                     "DELETE FROM " + quote_identifier(r.join_table) + " WHERE " + quote_identifier(r.foreign_key) +
                         " = ? AND " + quote_identifier(r.association_foreign_key) + " = ?",
                     {{r.foreign_key, owner.record->get(r.primary_key)},
                      {r.association_foreign_key, record->get(r.klass->primary_key)}}};
    write(Change::Kind::Delete, r.join_table, q, nullptr);
  } else if (r.dependent == Dependent::Destroy) {
    destroy(*record);
  } else {
    Relation one = collection.where({{collection.model().primary_key, record->id()}});
    if (r.dependent == Dependent::DeleteAll) delete_all(one);
    else {
      std::vector<storage::Bind> sets = {{r.foreign_key, Value{}}};
      if (!r.as.empty()) sets.push_back({r.foreign_type, Value{}});
      write(Change::Kind::Update, r.klass->table, one.update_query(sets, r.klass->name + " Update All"), &one);
      remember(*record);
      record->set(r.foreign_key, Value{});
      if (!r.as.empty()) record->set(r.foreign_type, Value{});
      record->mark_saved();
    }
  }
  tx.commit();
}

}  // namespace fw::model

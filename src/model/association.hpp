#pragma once
// What an association does, one class per kind as ActiveRecord's
// Associations::* have it: each kind owns its reading (the target, or the
// collection's key), its writing on a collection (<<, build, create,
// delete), its preloading, its joins path, its dependent: option and what it
// does when its owner is saved or destroyed (a belongs_to's counter_cache:
// and touch:). A Reflection (what the association is) holds its kind,
// chosen once from its macro, polymorphic: and through: (Reflection::kind()).
//
//   association.cpp                base defaults, the choice of kind, what kinds share
//   association_belongs_to.cpp     BelongsTo and PolymorphicBelongsTo
//   association_has_many.cpp       HasMany and HasOne (the key on the target)
//   association_through.cpp        HasManyThrough and HasOneThrough
//   association_habtm.cpp          HasAndBelongsToMany (the join table)
//
// The store (store.hpp) calls them: its write(), journal and transaction
// guards are what they change rows with.
#include <vector>

#include "model/record.hpp"
#include "model/reflection.hpp"
#include "model/relation.hpp"

namespace fw::model {

class Store;

// An association's targets as a preload loads them: each owner's, and all of
// them once each in the order they loaded (the owners of a nested preload).
struct PreloadedTargets {
  std::vector<std::vector<RecordPtr>> per_owner;
  std::vector<RecordPtr> all;
};

class Association {
 public:
  virtual ~Association() = default;
  // The kind for a reflection: its macro, polymorphic: and through:.
  static const Association& of(const Reflection& r);

  // ---- Reading ----
  // belongs_to and has_one: the associated record or nullptr, found in the
  // database (Associations::target caches it on the owner when remembers_target()).
  virtual RecordPtr find_target(Store& store, const RecordPtr& owner, const Reflection& r) const;
  // Is the target found remembered on the owner? A new owner's has_one finds
  // nothing until it is saved: nothing to remember.
  virtual bool remembers_target(const Record& owner) const { return !owner.new_record(); }

  // ---- Joins ----
  // The steps from the owner's table to the targets' (see association_path).
  virtual std::vector<Hop> path(const Reflection& r) const = 0;

  // ---- Preloading ----
  // Each owner's targets from one query (one per through step, per type of a
  // polymorphic belongs_to); `extra`: a through association's own scope.
  PreloadedTargets preload(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                           const ScopeBody& extra = {}) const;

  // ---- Writing on a collection ----
  // build: a new record of the collection gets its owner's key.
  virtual void set_owner(Record& /*record*/, const Reflection& /*r*/, const Record& /*owner*/) const {}
  // collection << record, in a transaction of the store's: false when the
  // record is invalid and was not saved.
  bool add(Store& store, const Relation::Owner& owner, const RecordPtr& record) const;
  // What << does in that transaction.
  virtual bool link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const;
  // collection.create: `record` built by build; saved and linked.
  virtual RecordPtr create(Store& store, const Relation::Owner& owner, const RecordPtr& record, bool strict) const;
  // collection.delete(record), in the store's transaction.
  virtual void unlink(Store& store, const Relation& collection, const Relation::Owner& owner,
                      const RecordPtr& record) const;

  // ---- When the owner is saved or destroyed ----
  // A has_*'s dependent:, run with the before_destroy callbacks; false when a
  // restrict_with_error or a child that would not go stopped the destroy.
  virtual bool before_destroy(Store& /*store*/, Record& /*owner*/, const Reflection& /*r*/) const { return true; }
  // After the before_destroy cascades: the rows that only link the owner (habtm's join rows).
  virtual void remove_links(Store& /*store*/, Record& /*owner*/, const Reflection& /*r*/) const {}
  // A belongs_to's dependent:, run with the after_destroy callbacks once the row is gone.
  virtual bool after_destroy(Store& /*store*/, Record& /*owner*/, const Reflection& /*r*/) const { return true; }
  // Does after_write need the target's key as the database had it (counter_cache:, touch:)?
  virtual bool follows_writes(const Reflection& /*r*/) const { return false; }
  // After the owner's row was created, updated or destroyed: `old_key` the
  // foreign key the database had before.
  virtual void after_write(Store& /*store*/, Record& /*owner*/, const Reflection& /*r*/, bool /*created*/,
                           bool /*destroyed*/, const Value& /*old_key*/) const {}

 protected:
  virtual PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                           const ScopeBody& extra) const = 0;
  // A direct association's preload: targets whose `target_key` is one of the owners' `owner_key`.
  static PreloadedTargets preload_by_key(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                         const std::string& owner_key, const std::string& target_key,
                                         const ScopeBody& extra);
  // A through or habtm collection's create: the record saved, then linked, in one transaction.
  RecordPtr save_then_link(Store& store, const Relation::Owner& owner, const RecordPtr& record, bool strict) const;
  // The target model; a polymorphic belongs_to has none to join or follow.
  static const ModelClass& target_model(const Reflection& r);
  // A has_*'s dependent: on the children reached by `step` (the association
  // itself, or a through association's join records); `one`: a has_one's
  // restrict_with_error message.
  static bool run_dependent(Store& store, Record& owner, const Reflection& r, const Reflection& step, bool one);
};

// belongs_to: the foreign key on the owner; counter_cache:, touch: and
// dependent: (after the owner is destroyed) on the parent.
class BelongsTo : public Association {
 public:
  RecordPtr find_target(Store& store, const RecordPtr& owner, const Reflection& r) const override;
  bool remembers_target(const Record&) const override { return true; }
  std::vector<Hop> path(const Reflection& r) const override;
  bool after_destroy(Store& store, Record& owner, const Reflection& r) const override;
  bool follows_writes(const Reflection& r) const override;
  void after_write(Store& store, Record& owner, const Reflection& r, bool created, bool destroyed,
                   const Value& old_key) const override;

 protected:
  PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                   const ScopeBody& extra) const override;

 private:
  // counter_cache: adds `by` to the count column of the parent with this key.
  static void update_counter(Store& store, const Reflection& r, const Value& parent_key, int by);
  static void touch_parents(Store& store, Record& owner, const Reflection& r, const std::vector<Value>& keys);
};

// belongs_to polymorphic: true: the target's class is the owner's type column.
class PolymorphicBelongsTo : public BelongsTo {
 public:
  RecordPtr find_target(Store& store, const RecordPtr& owner, const Reflection& r) const override;
  std::vector<Hop> path(const Reflection& r) const override;  // throws: no one table
  bool follows_writes(const Reflection&) const override { return false; }

 protected:
  PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                   const ScopeBody& extra) const override;

 private:
  // The model a type column names; throws Ruby's NameError, with a "did you
  // mean", for a name that is no model.
  static const ModelClass& model_named(const Store& store, const std::string& type, const Reflection& r);
};

// has_many: the foreign key (and with as:, the type) on the targets.
class HasMany : public Association {
 public:
  std::vector<Hop> path(const Reflection& r) const override;
  void set_owner(Record& record, const Reflection& r, const Record& owner) const override;
  bool link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const override;
  void unlink(Store& store, const Relation& collection, const Relation::Owner& owner,
              const RecordPtr& record) const override;
  bool before_destroy(Store& store, Record& owner, const Reflection& r) const override;

 protected:
  PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                   const ScopeBody& extra) const override;
};

// has_one: a has_many of at most one target, read as a record.
class HasOne : public HasMany {
 public:
  bool before_destroy(Store& store, Record& owner, const Reflection& r) const override;
};

// has_many :through: the targets reached through another association of the
// owner; writing creates or deletes the join records.
class HasManyThrough : public Association {
 public:
  std::vector<Hop> path(const Reflection& r) const override;
  bool link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const override;
  RecordPtr create(Store& store, const Relation::Owner& owner, const RecordPtr& record, bool strict) const override;
  void unlink(Store& store, const Relation& collection, const Relation::Owner& owner,
              const RecordPtr& record) const override;
  bool before_destroy(Store& store, Record& owner, const Reflection& r) const override;

 protected:
  PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                   const ScopeBody& extra) const override;
};

// has_one :through.
class HasOneThrough : public HasManyThrough {
 public:
  bool before_destroy(Store& store, Record& owner, const Reflection& r) const override;
};

// has_and_belongs_to_many: the join table's rows link owners and targets.
class HasAndBelongsToMany : public Association {
 public:
  std::vector<Hop> path(const Reflection& r) const override;
  bool link(Store& store, const Relation::Owner& owner, const RecordPtr& record) const override;
  RecordPtr create(Store& store, const Relation::Owner& owner, const RecordPtr& record, bool strict) const override;
  void unlink(Store& store, const Relation& collection, const Relation::Owner& owner,
              const RecordPtr& record) const override;
  void remove_links(Store& store, Record& owner, const Reflection& r) const override;

 protected:
  PreloadedTargets preload_targets(Store& store, const std::vector<RecordPtr>& owners, const Reflection& r,
                                   const ScopeBody& extra) const override;
};

}  // namespace fw::model

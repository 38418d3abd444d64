#pragma once
// A record's associations as the language reads and writes them (defined in
// associations.cpp): each operation handed to the association's kind
// (association.hpp: BelongsTo, HasMany, HasManyThrough, ...).
#include <vector>

#include "model/association.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"

namespace fw::model {

class Store;

class Associations {
 public:
  explicit Associations(Store& store) : store_(store) {}
  Associations(const Associations&) = delete;
  Associations& operator=(const Associations&) = delete;

  // ---- Reading ----
  // belongs_to and has_one: the associated record or nullptr.
  RecordPtr target(const RecordPtr& owner, const Reflection& reflection);
  // A collection association as a relation scoped to its owner.
  Relation collection(const RecordPtr& owner, const Reflection& reflection);
  bool includes(const Relation& collection, const RecordPtr& record);

  // ---- Loaded associations ----
  // Is this collection loaded for its owner? relation.is_association() (the
  // reader's relation, not chained further: chaining queries again, as
  // ActiveRecord does) and a preload cached its records on the owner. Then
  // each, to_a, first, last, size and includes use these records.
  const std::vector<RecordPtr>* loaded(const Relation& relation) const;
  // Loads `associations` for records already loaded, one query per
  // association (and per through step), caching them on each record.
  void preload(const std::vector<RecordPtr>& records, const std::vector<AssociationTree>& associations);

  // ---- Writing on a collection ----
  // collection << record: links the record (for a through association, creates the join record,
  // raising RecordInvalid as ActiveRecord does). False when the record is invalid and was not saved.
  bool add(const Relation& collection, const RecordPtr& record);
  RecordPtr create_in(const Relation& collection, const Attributes& attributes, bool strict);
  // A new record of the relation: its where-hash equalities, `attributes`,
  // and for a collection its owner's key (Tweet.where(user: u).new, u.tweets.build).
  RecordPtr build_in(const Relation& collection, const Attributes& attributes);
  // collection.delete(record): unlinks it (nullify, or removes the join record).
  void remove(const Relation& collection, const RecordPtr& record);

 private:
  const Relation::Owner& require_owner(const Relation& collection, const char* method);

  Store& store_;
};

}  // namespace fw::model

#pragma once
// What an association is (ActiveRecord's reflection), worked out once when
// the app loads, every default from the naming conventions and every explicit
// option winning over them. What an association does is its kind's
// (association.hpp: BelongsTo, HasMany, HasManyThrough, ...), see kind().
#include <memory>
#include <string>
#include <vector>

#include "model/declaration.hpp"

namespace fw::model {

class ModelClass;
class Association;  // association.hpp: what the association does, one class per kind
struct AssociationShape;  // relation.cpp: the association's relation apart from its owner

enum class Dependent { None, Destroy, Delete, DeleteAll, Nullify, RestrictWithError, RestrictWithException };
// The option as models.fw writes it ("restrict_with_error"); "" for None.
const char* dependent_name(Dependent d);

struct Reflection {
  Macro macro;
  std::string name;
  std::string class_name;
  std::string foreign_key;   // belongs_to: on the owner; has_*: on the target; habtm: the join table's column to the owner
  std::string primary_key = "id";  // the key the foreign key points at
  std::string through;       // has_*: through this association of the owner
  std::string source;        // has_* :through: this association of the through model
  std::string join_table;    // habtm
  std::string association_foreign_key;  // habtm: the join table's column to the target
  Dependent dependent = Dependent::None;
  bool optional = false;     // belongs_to
  // belongs_to validate: true / autosave: true: a new target is validated with
  // the owner; with autosave, a target that does not save stops the owner's save.
  bool validate = false, autosave = false;
  // belongs_to :imageable, polymorphic: true: the target's class is the
  // record's `foreign_type` column (imageable_type); klass stays null.
  bool polymorphic = false;
  std::string foreign_type;  // polymorphic belongs_to, and has_* as: (the target's type column)
  std::string as;            // has_* as: :imageable, the polymorphic belongs_to of the target
  std::string counter_cache; // belongs_to counter_cache: the owner's count column on the target (books_count)
  bool touch = false;        // belongs_to touch: true (or a column): saving or destroying touches the target
  std::string touch_column;  // belongs_to touch: :column: that column is touched with updated_at
  std::string inverse_of;    // the target's association back to the owner
  ScopeBody scope;           // has_many :books, -> { order(...) }: applied wherever the association is read
  OwnerScopeBody owner_scope;  // has_many :own, ->(author) { ... }: a scope given the owner (instance dependent)
  DeclPos at;
  // Set on a broken one (ModelClass::broken_reflections): the error reaching it raises.
  std::string broken_class, broken_message;
  // Throws that error.
  [[noreturn]] void raise_broken() const;

  const ModelClass* owner = nullptr;
  const ModelClass* klass = nullptr;       // the target model
  const Reflection* through_reflection = nullptr;
  const Reflection* source_reflection = nullptr;
  // Built at the first read of the association, then copied for each owner.
  mutable std::shared_ptr<const AssociationShape> shape;
  mutable const Association* kind_ = nullptr;  // kind()'s, set when the app loads

  // What the association does: its kind of association, chosen from its
  // macro, polymorphic: and through: when the app loads.
  const Association& kind() const;
  bool is_collection() const { return macro == Macro::HasMany || macro == Macro::HasAndBelongsToMany; }
  bool is_through() const { return !through.empty(); }
  bool is_belongs_to() const { return macro == Macro::BelongsTo; }
  bool is_instance_dependent() const { return static_cast<bool>(owner_scope); }
  // The association's own scope on `r`, given the owner when it takes one.
  Relation scoped(CodeRunner& code, const Relation& r, const std::shared_ptr<Record>& owner) const;
};

// One step of an association's path: rows of `to_table` whose `to_key` equals
// `from_key` of a row of `from_table`. A through association is a chain.
struct Hop {
  std::string from_table, from_key, to_table, to_key;
  // has_* as: the target rows' type column must name the owner's model as well.
  std::string type_column = {}, type_value = {};
};

// The path from an owner to an association's targets, through associations
// expanded into their direct steps (habtm is two: to the join table, to the target).
// " AND alias.type_column = 'Model'" for a step of a has_* as: (its value a
// model's name, checked when the app loaded), or "".
std::string type_filter(const Hop& hop, const std::string& alias);

// Throws for a polymorphic belongs_to, whose table depends on each record.
std::vector<Hop> association_path(const Reflection& reflection);

// ActiveRecord's EagerLoadPolymorphicError, for joining or following a
// polymorphic belongs_to where one table is needed.
[[noreturn]] void polymorphic_has_no_table(const Reflection& reflection);

// ActiveRecord's ArgumentError for preloading (includes, preload,
// eager_load) or joining an association whose scope takes its owner.
[[noreturn]] void instance_dependent_scope(const Reflection& reflection);

}  // namespace fw::model

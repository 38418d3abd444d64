#pragma once
// What an association is (ActiveRecord's reflection), worked out once when
// the app loads, every default from the naming conventions and every explicit
// option winning over them. What an association does lives in the store.
#include <string>
#include <vector>

#include "model/declaration.hpp"

namespace fw::model {

class ModelClass;

enum class Dependent { None, Destroy, Delete, DeleteAll, Nullify, RestrictWithError, RestrictWithException };

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
  DeclPos at;

  const ModelClass* owner = nullptr;
  const ModelClass* klass = nullptr;       // the target model
  const Reflection* through_reflection = nullptr;
  const Reflection* source_reflection = nullptr;

  bool is_collection() const { return macro == Macro::HasMany || macro == Macro::HasAndBelongsToMany; }
  bool is_through() const { return !through.empty(); }
  bool is_belongs_to() const { return macro == Macro::BelongsTo; }
};

// One step of an association's path: rows of `to_table` whose `to_key` equals
// `from_key` of a row of `from_table`. A through association is a chain.
struct Hop {
  std::string from_table, from_key, to_table, to_key;
};

// The path from an owner to an association's targets, through associations
// expanded into their direct steps (habtm is two: to the join table, to the target).
std::vector<Hop> association_path(const Reflection& reflection);

}  // namespace fw::model

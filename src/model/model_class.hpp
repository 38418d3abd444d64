#pragma once
// A model: its table, the columns read from the database, and its checked
// associations, validations, delegations and scopes.
#include <memory>
#include <string>
#include <vector>

#include "model/column.hpp"
#include "model/declaration.hpp"
#include "model/reflection.hpp"
#include "model/validator.hpp"

namespace fw::model {

struct Delegation {
  std::string method;
  std::string to;  // an association of the model
  bool allow_nil = false;
};

struct Scope {
  std::string name;
  ScopeBody body;                   // a scope without parameters
  std::vector<std::string> params;  // a scope with parameters: their names, and
  CodeId code = 0;                  // its body, which the language runs with the arguments
};

// What a transaction did to a record, as after_commit on: names it (a bit each).
enum TransactionAction : unsigned { OnCreate = 1, OnUpdate = 2, OnDestroy = 4 };

struct Callback {
  CallbackKind kind;
  CallbackBody body;
  std::string method;             // the method it names (before_save :normalize), for messages
  size_t after_associations = 0;  // how many associations were declared before it
  bool prepend = false;           // prepend: true: ahead of those declared before it
  unsigned on = 0;                // an after_commit's or after_rollback's actions (TransactionAction bits); 0: any
  std::vector<Guard> guards;      // if: and unless:
};

class ModelClass {
 public:
  std::string name;   // "User"
  std::string table;  // "users"
  std::string primary_key = "id";
  std::vector<Column> columns;  // in table order
  std::vector<std::unique_ptr<Reflection>> reflections;  // in declaration order
  // Associations ActiveRecord accepts in the class body but cannot follow
  // (no such model, a through: naming no association): reaching one raises
  // its error (broken_class, broken_message), as in ActiveRecord.
  std::vector<std::unique_ptr<Reflection>> broken_reflections;
  const Reflection* broken_reflection(const std::string& name) const;
  std::vector<Validator> validators;  // in declaration order
  std::vector<Delegation> delegations;
  std::vector<Scope> scopes;
  std::vector<Callback> callbacks;  // in declaration order
  // has_secure_password's attributes (password): each set through a bcrypt
  // digest in its _digest column, and authenticate_<it> checks one.
  std::vector<std::string> secure_passwords;
  // default_scope's body: what Model.all, its finders and associations to it
  // start from (Model.unscoped does not).
  ScopeBody default_scope;
  // Attributes that are no column: attr_accessor's, and password and
  // password_confirmation for has_secure_password.
  std::vector<std::string> virtual_attributes;
  // accepts_nested_attributes_for: <association>_attributes= builds, changes
  // or (allow_destroy) destroys its records, saved with the owner.
  struct NestedAttributes {
    const Reflection* reflection;
    bool allow_destroy = false;
    bool reject_all_blank = false;  // reject_if: :all_blank
  };
  std::vector<NestedAttributes> nested_attributes;

  // Single-table inheritance (class Moderator < User): the model this one
  // inherits, sharing its table, and the models that inherit this one. Each
  // row names its class in `inheritance_column`.
  const ModelClass* superclass = nullptr;
  std::vector<const ModelClass*> subclasses;
  std::string inheritance_column = "type";
  int inheritance_index = -1;  // the column's place, -1 when the table has none (set when the app loads)
  // Whether rows carry their class (the table has the inheritance column).
  bool has_inheritance_column() const { return inheritance_index >= 0; }
  // after_initialize or after_find: run for each record made or loaded (set when the app loads).
  bool runs_on_load = false;
  // This model and every model below it: whose rows a query of this one reads.
  std::vector<const ModelClass*> descendants() const;
  bool inherits_from(const ModelClass& other) const;
  const ModelClass& base_class() const { return superclass ? superclass->base_class() : *this; }
  // A declaration ActiveRecord accepts while running the class body but
  // refuses when a statement reaches the model: why, as ActiveRecord's error
  // class and message. Empty for a model that works.
  std::string broken_class, broken_message;
  const NestedAttributes* nested(const std::string& attribute) const;  // "posts_attributes"
  bool is_virtual(const std::string& name) const;
  bool is_secure_password(const std::string& name) const;

  int column_index(const std::string& column) const;  // -1 when there is none
  const Column* column(const std::string& name) const;
  const Reflection* reflection(const std::string& name) const;
  const Delegation* delegation(const std::string& method) const;
  const Scope* scope(const std::string& name) const;
  std::vector<std::string> column_names() const;
  std::vector<std::string> association_names() const;
  // The callbacks of one kind in ActiveRecord's order: those declared with
  // prepend: true first (the last declared first), then the others as
  // declared; after_* callbacks as declared (prepend: true changes nothing).
  std::vector<const Callback*> callbacks_of(CallbackKind kind) const;
  // What runs when a transaction that did `action` to a record ends: its
  // after_commit callbacks of every form (or its after_rollback ones), in
  // ActiveRecord 6.1's order, the reverse of callbacks_of's.
  std::vector<const Callback*> transaction_callbacks(bool committed, TransactionAction action) const;
  bool has_transaction_callbacks() const;
};

}  // namespace fw::model

#pragma once
// What a models file declares, before it is checked: the calls of a class
// body (`has_many :tweets, dependent: :destroy`) as plain data. The language
// reads db/models.fw into these; tests write them directly.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "base/value.hpp"

namespace fw::model {

class Relation;

class Record;

// The door up to the app's code: scope bodies, callbacks and if: conditions
// are the language's (a models file's or a Ruby app's), and the model layer
// holds each as the CodeId the language gave it. It runs them through this
// interface, which the language's Runtime implements; the model layer hands
// it to every body it calls (Store::code()), so bodies written in C++ (the
// tests') take it and may ignore it.
using CodeId = std::size_t;
class CodeRunner {
 public:
  // A scope's body on `relation` (its receiver); `owner`: the record an
  // association scope that takes its owner is given (->(author) { ... }), or null.
  virtual Relation run_scope(CodeId code, const Relation& relation, const std::shared_ptr<Record>& owner) = 0;
  // A callback, custom validation or if: condition on `record`: false when a
  // callback threw :abort, or a condition's value was falsy.
  virtual bool run_on_record(CodeId code, Record& record) = 0;

 protected:
  ~CodeRunner() = default;
};

// A condition run on a record: an if:/unless: option's method or lambda.
using ConditionBody = std::function<bool(CodeRunner&, Record&)>;
// if: (unless: when `unless`) of a validation or callback: it runs only when the condition holds.
struct Guard {
  ConditionBody body;
  bool unless = false;
};
// Whether every if: holds and no unless: does.
inline bool guards_pass(const std::vector<Guard>& guards, CodeRunner& code, Record& record) {
  for (const auto& g : guards)
    if (g.body(code, record) == g.unless) return false;
  return true;
}

// An argument of a declaration: a literal as written (a constant of the class
// body read as its value), a range, or code of the class body (Code: a lambda
// or a method's name, as an if: option takes it).
struct Arg {
  enum class Kind { Nil, Bool, Integer, Float, String, Symbol, Regex, Array, Hash, Range, Code };
  Kind kind = Kind::Nil;
  Value scalar;       // Bool, Integer, Float
  std::string text;   // String, Symbol, Regex (its source), and the regex's flags in `flags`
  std::string flags;
  std::vector<Arg> items;                          // Array; Range: its begin and end (flags "..." when exclusive)
  ConditionBody code;                              // Code
  std::vector<std::pair<std::string, Arg>> hash;   // Hash (keys as written, without the colon)

  static Arg symbol(std::string s) { Arg a; a.kind = Kind::Symbol; a.text = std::move(s); return a; }
  static Arg string(std::string s) { Arg a; a.kind = Kind::String; a.text = std::move(s); return a; }
  static Arg boolean(bool b) { Arg a; a.kind = Kind::Bool; a.scalar = b; return a; }
  static Arg integer(std::int64_t i) { Arg a; a.kind = Kind::Integer; a.scalar = i; return a; }
  static Arg regex(std::string source, std::string flags = "") {
    Arg a; a.kind = Kind::Regex; a.text = std::move(source); a.flags = std::move(flags); return a;
  }
  static Arg array(std::vector<Arg> items) { Arg a; a.kind = Kind::Array; a.items = std::move(items); return a; }
  static Arg hash_of(std::vector<std::pair<std::string, Arg>> h) { Arg a; a.kind = Kind::Hash; a.hash = std::move(h); return a; }
  static Arg range(Arg begin, Arg end, bool exclusive) {
    Arg a; a.kind = Kind::Range; a.items = {std::move(begin), std::move(end)}; a.flags = exclusive ? "..." : ""; return a;
  }
  static Arg condition(ConditionBody body) { Arg a; a.kind = Kind::Code; a.code = std::move(body); return a; }

  bool is_name() const { return kind == Kind::Symbol || kind == Kind::String; }
  // The value a literal stands for (symbols as their name).
  Value to_value() const;
};

using Options = std::vector<std::pair<std::string, Arg>>;

// Where a declaration was written, for its errors.
struct DeclPos {
  std::string file;
  SourcePos pos;
};

enum class Macro { BelongsTo, HasMany, HasOne, HasAndBelongsToMany };
const char* macro_name(Macro macro);  // "belongs_to", ...

// A scope's body: given the relation it is called on, the relation it returns.
using ScopeBody = std::function<Relation(CodeRunner&, const Relation&)>;

// A callback declared in a class body (before_save :normalize, or with a
// block): run on the record, false when it threw :abort.
enum class CallbackKind {
  BeforeValidation, AfterValidation, BeforeSave, AfterSave, BeforeCreate, AfterCreate,
  BeforeUpdate, AfterUpdate, BeforeDestroy, AfterDestroy,
  AfterInitialize, AfterFind,  // a record made by new, or loaded (after_find: loaded only)
  // After the outermost transaction commits (or rolls back): after_commit and
  // its forms for one action, which are after_commit on: :create, ...
  AfterCommit, AfterCreateCommit, AfterUpdateCommit, AfterDestroyCommit, AfterSaveCommit, AfterRollback
};
// The callbacks that run when the outermost transaction ends.
inline bool is_transaction_callback(CallbackKind kind) { return kind >= CallbackKind::AfterCommit; }
const char* callback_name(CallbackKind kind);  // "before_save", ...
using CallbackBody = std::function<bool(CodeRunner&, Record&)>;
// An association scope that takes its owner (has_many :own, ->(author) { where(title: author.name) }).
using OwnerScopeBody = std::function<Relation(CodeRunner&, const Relation&, const std::shared_ptr<Record>& owner)>;

// The bodies that run the language's code `code` through the CodeRunner.
ScopeBody scope_code(CodeId code);
OwnerScopeBody owner_scope_code(CodeId code);
CallbackBody record_code(CodeId code);

struct ModelDecl {
  // `scope`: the association's own lambda (has_many :books, -> { order(:title) }), or empty.
  // `owner_scope`: a lambda that takes the owner (->(author) { ... }), instead of `scope`.
  struct Association {
    Macro macro; std::string name; Options options; DeclPos at; ScopeBody scope = {}; OwnerScopeBody owner_scope = {};
  };
  struct Validation { std::vector<std::string> attributes; Options options; DeclPos at; };
  struct Delegate { std::vector<std::string> methods; Options options; DeclPos at; };
  // A scope with parameters has `params` and the language's `code`, which
  // the language runs itself with its arguments; one without, `body`.
  struct Scope {
    std::string name; ScopeBody body; DeclPos at;
    std::vector<std::string> params = {}; CodeId code = 0;
  };
  // `after_associations`: how many associations were declared before it (a
  // before_destroy runs before or after a dependent: cascade by where it stands).
  struct Callback {
    CallbackKind kind; CallbackBody body; std::string method; DeclPos at; Options options = {};
    size_t after_associations = 0;
  };
  // Associations and validations in one list, so their order is kept:
  // a belongs_to's "must exist" check runs where it was declared.
  // has_secure_password: `attribute` (password) set through a bcrypt digest
  // in `attribute`_digest, its validations unless validations: false.
  struct SecurePassword { std::string attribute; bool validations; DeclPos at; };
  // validate :method_name, validate do ... end, validates_with: code of the
  // class body that adds to the record's errors, with its on:/if:/unless: options.
  struct CustomValidation { CallbackBody body; std::string method; Options options; DeclPos at; };
  struct Item {
    enum class Kind { Association, Validation, SecurePassword, Custom } kind;
    size_t index;
  };

  std::string name;
  DeclPos at;
  // Single-table inheritance: the model this one inherits (class Moderator <
  // User), whose table and declarations it shares; empty for a model of its own.
  std::string superclass;
  std::string inheritance_column;  // self.inheritance_column = "kind"; empty: "type"
  // A class whose file failed to load: the error a statement that reaches it raises.
  std::string broken_class, broken_message;
  std::string table_name;  // empty: from the class name
  DeclPos table_name_at;
  std::vector<Association> associations;
  std::vector<Validation> validations;
  std::vector<Delegate> delegates;
  std::vector<Scope> scopes;
  std::vector<Callback> callbacks;
  std::vector<SecurePassword> secure_passwords;
  std::vector<CustomValidation> custom_validations;
  // enum status: [:draft, :published] (or { draft: 0, ... }), _prefix:, _suffix:.
  struct Enum { std::string attribute; Options values; std::string prefix, suffix; DeclPos at; };
  std::vector<Enum> enums;
  ScopeBody default_scope;  // default_scope { order(created_at: :desc) }: every relation of the model starts from it
  std::vector<std::string> virtual_attributes;  // attr_accessor: attributes that are no column
  // accepts_nested_attributes_for :posts, allow_destroy: true, reject_if: :all_blank
  struct NestedAttributes { std::string association; Options options; DeclPos at; };
  std::vector<NestedAttributes> nested_attributes;
  std::vector<Item> order;
  // The framework's default for a belongs_to that says neither optional: nor
  // required: (ActiveRecord's belongs_to_required_by_default).
  bool belongs_to_required = true;

  explicit ModelDecl(std::string class_name, DeclPos where = {}) : name(std::move(class_name)), at(std::move(where)) {}

  ModelDecl& belongs_to(std::string n, Options o = {}, DeclPos w = {}) { return add(Macro::BelongsTo, std::move(n), std::move(o), std::move(w)); }
  ModelDecl& has_many(std::string n, Options o = {}, DeclPos w = {}) { return add(Macro::HasMany, std::move(n), std::move(o), std::move(w)); }
  ModelDecl& has_one(std::string n, Options o = {}, DeclPos w = {}) { return add(Macro::HasOne, std::move(n), std::move(o), std::move(w)); }
  ModelDecl& has_and_belongs_to_many(std::string n, Options o = {}, DeclPos w = {}) {
    return add(Macro::HasAndBelongsToMany, std::move(n), std::move(o), std::move(w));
  }
  ModelDecl& add(Macro macro, std::string n, Options o, DeclPos w, ScopeBody scope = {}) {
    order.push_back({Item::Kind::Association, associations.size()});
    associations.push_back({macro, std::move(n), std::move(o), std::move(w), std::move(scope)});
    return *this;
  }
  // has_many :books, -> { order(published_at: :desc) }, dependent: :destroy
  ModelDecl& scoped(Macro macro, std::string n, ScopeBody scope, Options o = {}, DeclPos w = {}) {
    return add(macro, std::move(n), std::move(o), std::move(w), std::move(scope));
  }
  // has_many :own_books, ->(author) { where(title: author.name) }
  ModelDecl& scoped_by_owner(Macro macro, std::string n, OwnerScopeBody scope, Options o = {}, DeclPos w = {}) {
    add(macro, std::move(n), std::move(o), std::move(w));
    associations.back().owner_scope = std::move(scope);
    return *this;
  }
  ModelDecl& validates(std::vector<std::string> attributes, Options o, DeclPos w = {}) {
    order.push_back({Item::Kind::Validation, validations.size()});
    validations.push_back({std::move(attributes), std::move(o), std::move(w)});
    return *this;
  }
  ModelDecl& secure_password(std::string attribute, bool validations = true, DeclPos w = {}) {
    order.push_back({Item::Kind::SecurePassword, secure_passwords.size()});
    secure_passwords.push_back({std::move(attribute), validations, std::move(w)});
    return *this;
  }
  ModelDecl& validate(CallbackBody body, std::string method, Options o = {}, DeclPos w = {}) {
    order.push_back({Item::Kind::Custom, custom_validations.size()});
    custom_validations.push_back({std::move(body), std::move(method), std::move(o), std::move(w)});
    return *this;
  }
  ModelDecl& delegate(std::vector<std::string> methods, Options o, DeclPos w = {}) {
    delegates.push_back({std::move(methods), std::move(o), std::move(w)});
    return *this;
  }
  ModelDecl& scope(std::string n, ScopeBody body, DeclPos w = {}) {
    scopes.push_back({std::move(n), std::move(body), std::move(w)});
    return *this;
  }
  ModelDecl& scope_with_args(std::string n, std::vector<std::string> params, CodeId code, DeclPos w = {}) {
    scopes.push_back({std::move(n), {}, std::move(w), std::move(params), code});
    return *this;
  }
  ModelDecl& callback(CallbackKind kind, CallbackBody body, std::string method = "", DeclPos w = {}, Options o = {}) {
    callbacks.push_back({kind, std::move(body), std::move(method), std::move(w), std::move(o), associations.size()});
    return *this;
  }
  ModelDecl& set_table_name(std::string table, DeclPos w = {}) {
    table_name = std::move(table);
    table_name_at = std::move(w);
    return *this;
  }
};

}  // namespace fw::model

#pragma once
// The verbs of a class body (has_many, validates, before_save, ...), each
// named once: what kind of declaration each makes. The language reads a
// model file's calls through this table.
#include <string>
#include <vector>

#include "model/declaration.hpp"

namespace fw::model {

enum class VerbKind {
  Association,  // has_many :tweets
  Validates,    // validates :name, presence: true
  Delegate,     // delegate :name, to: :user
  Scope,        // scope :recent, -> { ... }
  TableName,    // self.table_name = "people"
  Callback,     // before_save :normalize
  Def,          // def name ... end
  // An ActiveRecord app's Ruby files only:
  SecurePassword,    // has_secure_password
  DefaultScope,      // default_scope { ... }
  NestedAttributes,  // accepts_nested_attributes_for :posts
  Accessor,          // attr_accessor :nickname
  Include,           // include Slugifiable: its methods come with the class's
  Require,           // require "bcrypt": the files are read already
  Validate,          // validate :method_name, validate do ... end: custom validations
  Visibility,        // private, protected, public: the methods after them
  Alias,             // alias_method :headline, :title
  Enum,              // enum status: [:draft, :published]
  Gem                // a gem's macro (devise, has_one_attached): passed over, naming the gem
};

struct DeclarationVerb {
  std::string name;  // as written; "self.table_name =" and "def" are forms, not calls
  VerbKind kind;
  bool ruby_only = false;
  Macro macro = Macro::BelongsTo;                         // an Association's
  CallbackKind callback = CallbackKind::BeforeValidation;  // a Callback's
  std::string gem = {};                                    // a Gem's: the gem it comes from
};

// Every verb: the models file's first, in the order messages list them.
const std::vector<DeclarationVerb>& declaration_verbs();
// The verb a call names, or none; a Ruby-only one only when `ruby`.
const DeclarationVerb* find_declaration_verb(const std::string& name, bool ruby);
// The models file's verbs, as "expected a declaration (...)" lists them.
const std::vector<std::string>& declaration_names();

}  // namespace fw::model

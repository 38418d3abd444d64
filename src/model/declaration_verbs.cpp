// The table of a class body's verbs.
#include "model/declaration_verbs.hpp"

namespace fw::model {

namespace {

std::vector<DeclarationVerb> make_verbs() {
  using K = CallbackKind;
  std::vector<DeclarationVerb> verbs = {
      {"belongs_to", VerbKind::Association, false, Macro::BelongsTo},
      {"has_many", VerbKind::Association, false, Macro::HasMany},
      {"has_one", VerbKind::Association, false, Macro::HasOne},
      {"has_and_belongs_to_many", VerbKind::Association, false, Macro::HasAndBelongsToMany},
      {"validates", VerbKind::Validates},
      {"delegate", VerbKind::Delegate},
      {"scope", VerbKind::Scope},
      {"self.table_name =", VerbKind::TableName}};
  const std::vector<std::pair<std::string, K>> callbacks = {
      {"before_validation", K::BeforeValidation}, {"after_validation", K::AfterValidation},
      {"before_save", K::BeforeSave}, {"after_save", K::AfterSave}, {"before_create", K::BeforeCreate},
      {"after_create", K::AfterCreate}, {"before_update", K::BeforeUpdate}, {"after_update", K::AfterUpdate},
      {"before_destroy", K::BeforeDestroy}, {"after_destroy", K::AfterDestroy}, {"after_commit", K::AfterCommit},
      {"after_create_commit", K::AfterCreateCommit}, {"after_update_commit", K::AfterUpdateCommit},
      {"after_destroy_commit", K::AfterDestroyCommit}, {"after_save_commit", K::AfterSaveCommit},
      {"after_rollback", K::AfterRollback}, {"after_initialize", K::AfterInitialize}, {"after_find", K::AfterFind}};
  for (const auto& [name, kind] : callbacks) verbs.push_back({name, VerbKind::Callback, false, Macro::BelongsTo, kind});
  verbs.push_back({"def", VerbKind::Def});
  verbs.push_back({"has_secure_password", VerbKind::SecurePassword, true});
  verbs.push_back({"default_scope", VerbKind::DefaultScope, true});
  verbs.push_back({"accepts_nested_attributes_for", VerbKind::NestedAttributes, true});
  for (const char* name : {"attr_accessor", "attr_reader", "attr_writer"}) verbs.push_back({name, VerbKind::Accessor, true});
  for (const char* name : {"include", "extend"}) verbs.push_back({name, VerbKind::Include, true});
  for (const char* name : {"require", "require_relative", "require_all", "load"}) verbs.push_back({name, VerbKind::Require, true});
  for (const char* name : {"validate", "validates_with"}) verbs.push_back({name, VerbKind::Validate, true});
  for (const char* name : {"alias_method", "alias"}) verbs.push_back({name, VerbKind::Alias, true});
  verbs.push_back({"enum", VerbKind::Enum, true});
  for (const char* name : {"private", "protected", "public", "private_class_method", "public_class_method",
                           "module_function", "private_constant"})
    verbs.push_back({name, VerbKind::Visibility, true});
  // Macros of gems that a learner's lab uses and ActiveRecord alone does not have.
  const std::vector<std::pair<const char*, const char*>> gems = {
      {"attr_accessible", "protected_attributes"}, {"attr_protected", "protected_attributes"},
      {"has_one_attached", "activestorage (Rails)"}, {"has_many_attached", "activestorage (Rails)"},
      {"has_rich_text", "actiontext (Rails)"}, {"devise", "devise"}, {"mount_uploader", "carrierwave"},
      {"mount_uploaders", "carrierwave"}, {"friendly_id", "friendly_id"}, {"acts_as_paranoid", "paranoia"},
      {"has_paper_trail", "paper_trail"}, {"acts_as_list", "acts_as_list"}, {"geocoded_by", "geocoder"},
      {"after_validation_geocode", "geocoder"}, {"searchkick", "searchkick"}, {"paginates_per", "kaminari"},
      {"acts_as_taggable", "acts-as-taggable-on"}, {"acts_as_taggable_on", "acts-as-taggable-on"},
      {"has_attached_file", "paperclip"}, {"validates_attachment", "paperclip"},
      {"validates_attachment_content_type", "paperclip"}, {"rolify", "rolify"}, {"resourcify", "rolify"},
      {"acts_as_votable", "acts_as_votable"}, {"acts_as_voter", "acts_as_votable"}, {"has_ancestry", "ancestry"},
      {"audited", "audited"}, {"pg_search_scope", "pg_search"}, {"multisearchable", "pg_search"},
      {"include_root_in_json", "activemodel-serializers"}};
  for (const auto& [name, gem] : gems) {
    verbs.push_back({name, VerbKind::Gem, true});
    verbs.back().gem = gem;
  }
  return verbs;
}

}  // namespace

const std::vector<DeclarationVerb>& declaration_verbs() {
  static const std::vector<DeclarationVerb> verbs = make_verbs();
  return verbs;
}

const DeclarationVerb* find_declaration_verb(const std::string& name, bool ruby) {
  for (const auto& v : declaration_verbs())
    if (v.name == name) return v.ruby_only && !ruby ? nullptr : &v;
  return nullptr;
}

const std::vector<std::string>& declaration_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& v : declaration_verbs())
      if (!v.ruby_only) out.push_back(v.name);
    return out;
  }();
  return names;
}

const char* macro_name(Macro macro) {
  for (const auto& v : declaration_verbs())
    if (v.kind == VerbKind::Association && v.macro == macro) return v.name.c_str();
  return "";
}

const char* callback_name(CallbackKind kind) {
  for (const auto& v : declaration_verbs())
    if (v.kind == VerbKind::Callback && v.callback == kind) return v.name.c_str();
  return "";
}

}  // namespace fw::model

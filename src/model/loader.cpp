// The loader: an app's declarations compiled into ModelClasses and their
// reflections and validators, every problem collected (App::load). A models
// file is refused over any problem; a learner's Ruby app loads as
// ActiveRecord loads it: what ActiveRecord refuses while running a class body
// breaks that model, what it finds only when a statement reaches it breaks
// that association or validation, and the rest is a warning (App::warnings).
#include "model/loader.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "base/diagnostic.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model::loading {

std::string where(const DeclPos& at) {
  if (at.file.empty()) return "";
  return diagnostic(at.file, at.pos, "");
}

std::string name_of(const Arg& a) { return a.is_name() ? a.text : value_to_s(a.to_value()); }

std::vector<std::string> names_of(const std::vector<std::unique_ptr<ModelClass>>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m->name);
  return out;
}

const std::vector<std::string>& allowed_options(Macro macro) {
  static const std::vector<std::string> belongs = {"class_name", "foreign_key", "primary_key", "optional",
                                                   "required", "dependent", "inverse_of", "touch",
                                                   "counter_cache", "polymorphic", "foreign_type",
                                                   "validate", "autosave"};
  static const std::vector<std::string> has = {"class_name", "foreign_key", "primary_key", "dependent",
                                               "through", "source", "inverse_of", "as", "foreign_type"};
  static const std::vector<std::string> habtm = {"class_name", "join_table", "foreign_key",
                                                 "association_foreign_key"};
  switch (macro) {
    case Macro::BelongsTo: return belongs;
    case Macro::HasAndBelongsToMany: return habtm;
    default: return has;
  }
}

Dependent parse_dependent(const std::string& s) {
  static const std::map<std::string, Dependent> names = {
      {"destroy", Dependent::Destroy}, {"delete", Dependent::Delete}, {"delete_all", Dependent::DeleteAll},
      {"nullify", Dependent::Nullify}, {"restrict_with_error", Dependent::RestrictWithError},
      {"restrict_with_exception", Dependent::RestrictWithException}};
  auto it = names.find(s);
  return it == names.end() ? Dependent::None : it->second;
}

std::vector<std::string> valid_dependents(Macro macro) {
  switch (macro) {
    case Macro::BelongsTo: return {"destroy", "delete"};
    case Macro::HasOne: return {"destroy", "delete", "nullify", "restrict_with_error", "restrict_with_exception"};
    default: return {"destroy", "delete_all", "nullify", "restrict_with_error", "restrict_with_exception"};
  }
}

bool has_option(const Options& options, const char* key) {
  return std::any_of(options.begin(), options.end(), [&](const auto& kv) { return kv.first == key; });
}

// ActiveRecord 6.1's valid keys for each macro, as its ArgumentError lists them.
std::vector<std::string> active_record_keys(Macro macro, const Options& options) {
  auto has = [&](const char* key) { return has_option(options, key); };
  std::vector<std::string> keys = {"class_name", "anonymous_class", "primary_key", "foreign_key", "dependent",
                                   "validate", "inverse_of", "strict_loading", "autosave"};
  switch (macro) {
    case Macro::BelongsTo:
      keys.insert(keys.end(), {"required", "touch", "polymorphic", "counter_cache", "optional", "default"});
      if (has("polymorphic")) keys.push_back("foreign_type");
      return keys;
    case Macro::HasAndBelongsToMany:
      keys.insert(keys.end(), {"join_table", "association_foreign_key", "before_add", "after_add", "before_remove",
                               "after_remove", "extend"});
      return keys;
    case Macro::HasOne: keys.insert(keys.end(), {"required", "touch"}); break;
    case Macro::HasMany:
      keys.insert(keys.end(), {"before_add", "after_add", "before_remove", "after_remove", "extend", "counter_cache",
                               "join_table", "index_errors", "ensuring_owner_was"});
      break;
  }
  if (has("as")) keys.insert(keys.end(), {"as", "foreign_type"});
  if (has("through")) keys.insert(keys.end(), {"through", "source", "source_type"});
  return keys;
}

std::string symbols(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? ":" : ", :") + n;
  return out;
}

std::vector<std::unique_ptr<ModelClass>> Loader::run() {
  inherit();
  for (auto& d : decls_) add_class(d);
  link_superclasses();
  for (size_t i = 0; i < models_.size(); ++i)
    for (auto& a : decls_[i].associations) add_reflection(*models_[i], a);
  for (auto& m : models_)
    for (auto& r : m->reflections) resolve(*r);
  for (auto& m : models_)
    for (auto& r : m->reflections) check_inverse(*r);
  for (auto& m : models_) set_aside_broken(*m);
  for (size_t i = 0; i < models_.size(); ++i) add_validations(*models_[i], decls_[i]);
  for (size_t i = 0; i < models_.size(); ++i) add_delegations(*models_[i], decls_[i]);
  if (!problems_.empty()) throw DeclarationError(problems_);
  return std::move(models_);
}

void Loader::problem(const DeclPos& at, const std::string& message) {
  if (!lenient_) problems_.push_back(where(at) + message);
  else if (at.file.empty()) warnings_.push_back("warning: " + message);
  else warnings_.push_back(fmt::format("{}:{}:{}: warning: {}", at.file, at.pos.line, at.pos.column, message));
}

void Loader::break_model(ModelClass& m, const DeclPos& at, const std::string& problem_text, const std::string& error_class,
                 const std::string& error_message) {
  if (!lenient_) return problem(at, problem_text);
  if (m.broken_class.empty()) {
    m.broken_class = error_class;
    m.broken_message = error_message;
  }
  std::string place = at.file.empty() ? "" : fmt::format("{}:{}:{}: ", at.file, at.pos.line, at.pos.column);
  warnings_.push_back(fmt::format("{}error: {}: {} ({}); {} does not load, and a statement that uses it raises this",
                                  place, error_class, error_message, problem_text, m.name));
}

void Loader::break_reflection(Reflection& r, const std::string& problem_text, const std::string& error_class,
                      const std::string& error_message) {
  problem(r.at, problem_text + (lenient_ ? fmt::format(" (a statement that uses it raises {})", error_class) : ""));
  if (r.broken_class.empty()) {
    r.broken_class = error_class;
    r.broken_message = error_message;
  }
}

void Loader::inherit() {
  std::set<std::string> done;
  std::function<void(size_t)> merge = [&](size_t i) {
    ModelDecl& d = decls_[i];
    if (d.superclass.empty() || done.count(d.name)) return;
    done.insert(d.name);
    auto parent = std::find_if(decls_.begin(), decls_.end(), [&](const ModelDecl& p) { return p.name == d.superclass; });
    if (parent == decls_.end()) return;
    merge(static_cast<size_t>(parent - decls_.begin()));
    ModelDecl merged = *parent;
    for (auto& a : merged.associations)  // keys named after the class that declared them (user_id, not moderator_id)
      if (a.macro != Macro::BelongsTo && !has_option(a.options, "foreign_key") && !has_option(a.options, "as") &&
          !has_option(a.options, "through"))
        a.options.push_back({"foreign_key", Arg::string(inflector::foreign_key(parent->name))});
    if (merged.table_name.empty()) merged.table_name = inflector::tableize(parent->name);  // one table for all
    merged.broken_class = d.broken_class;
    merged.broken_message = d.broken_message;
    merged.name = d.name;
    merged.at = d.at;
    merged.superclass = d.superclass;
    if (!d.inheritance_column.empty()) merged.inheritance_column = d.inheritance_column;
    size_t associations = merged.associations.size();
    for (const auto& item : d.order) {  // each after the superclass's, its place in the order kept
      auto append = [&](auto& into, const auto& from) {
        merged.order.push_back({item.kind, into.size()});
        into.push_back(from[item.index]);
      };
      switch (item.kind) {
        case ModelDecl::Item::Kind::Association: append(merged.associations, d.associations); break;
        case ModelDecl::Item::Kind::Validation: append(merged.validations, d.validations); break;
        case ModelDecl::Item::Kind::SecurePassword: append(merged.secure_passwords, d.secure_passwords); break;
        case ModelDecl::Item::Kind::Custom: append(merged.custom_validations, d.custom_validations); break;
      }
    }
    for (auto c : d.callbacks) {
      c.after_associations += associations;
      merged.callbacks.push_back(std::move(c));
    }
    for (const auto& x : d.delegates) merged.delegates.push_back(x);
    for (const auto& x : d.scopes) merged.scopes.push_back(x);
    for (const auto& x : d.virtual_attributes) merged.virtual_attributes.push_back(x);
    for (const auto& x : d.nested_attributes) merged.nested_attributes.push_back(x);
    for (const auto& x : d.enums) merged.enums.push_back(x);
    if (d.default_scope) merged.default_scope = d.default_scope;
    d = std::move(merged);
  };
  for (size_t i = 0; i < decls_.size(); ++i) merge(i);
}

void Loader::link_superclasses() {
  for (size_t i = 0; i < models_.size(); ++i) {
    const std::string& parent = decls_[i].superclass;
    if (parent.empty()) continue;
    ModelClass* super = find(parent);
    if (!super || super == models_[i].get()) continue;
    models_[i]->superclass = super;
    super->subclasses.push_back(models_[i].get());
  }
}

void Loader::set_aside_broken(ModelClass& m) {
  if (!lenient_) return;
  auto& all = m.reflections;
  for (auto it = all.begin(); it != all.end();) {
    Reflection& r = **it;
    bool broken = !r.broken_class.empty() || (!r.klass && !r.polymorphic);
    if (!broken) {
      ++it;
      continue;
    }
    if (r.broken_class.empty()) {  // it leads through one that is broken
      const Reflection* cause = r.through_reflection ? r.through_reflection : m.reflection(r.through);
      r.broken_class = cause && !cause->broken_class.empty() ? cause->broken_class : "NameError";
      r.broken_message = cause && !cause->broken_message.empty() ? cause->broken_message
                                                                 : "uninitialized constant " + m.name + "::" + r.class_name;
    }
    m.broken_reflections.push_back(std::move(*it));
    it = all.erase(it);
  }
}

ModelClass* Loader::find(const std::string& name) {
  for (auto& m : models_)
    if (m->name == name) return m.get();
  return nullptr;
}

void Loader::add_class(ModelDecl& d) {
  if (find(d.name)) problem(d.at, fmt::format("class {} is declared twice; put everything in one class body", d.name));
  auto m = std::make_unique<ModelClass>();
  m->name = d.name;
  m->table = d.table_name.empty() ? inflector::tableize(d.name) : d.table_name;
  if (!d.inheritance_column.empty()) m->inheritance_column = d.inheritance_column;
  if (!db_.table_exists(m->table)) {
    std::string guess = suggestion_suffix(m->table, db_.tables());
    problem(d.table_name.empty() ? d.at : d.table_name_at,
            fmt::format("{}: the database has no table {}{}{}", d.name, m->table, guess.empty() ? "" : "." + guess,
                        d.table_name.empty() ? "; add a migration that creates it, or set self.table_name" : ""));
    // As ActiveRecord: the class loads, and what reads its columns fails.
    m->broken_class = "ActiveRecord::StatementInvalid";
    m->broken_message = fmt::format("Could not find table '{}'", m->table);
  } else {
    for (const auto& info : db_.columns(m->table)) {
      Column c;
      c.name = info.name;
      c.sql_type = info.declared_type;
      c.type = column_type_from_sql(info.declared_type);
      c.not_null = info.not_null;
      c.primary_key = info.primary_key;
      c.default_value = parse_default(c.type, info.default_value);
      if (c.primary_key) m->primary_key = c.name;
      m->columns.push_back(std::move(c));
    }
  }
  for (const auto& e : d.enums) add_enum(*m, e);
  for (auto& s : d.scopes) m->scopes.push_back({s.name, s.body, s.params, s.code});
  m->virtual_attributes = d.virtual_attributes;
  m->default_scope = d.default_scope;
  for (const auto& p : d.secure_passwords) {
    m->secure_passwords.push_back(p.attribute);
    m->virtual_attributes.push_back(p.attribute);
    m->virtual_attributes.push_back(p.attribute + "_confirmation");
    if (!m->columns.empty() && !m->column(p.attribute + "_digest"))
      problem(p.at, fmt::format("{} has_secure_password: {} has no {}_digest column, where the digest is kept; add it "
                                "in a migration (t.string :{}_digest)", d.name, m->table, p.attribute, p.attribute));
  }
  for (auto& c : d.callbacks) m->callbacks.push_back(callback(d.name, c));
  m->inheritance_index = m->column_index(m->inheritance_column);
  for (const auto& c : m->callbacks)
    m->runs_on_load = m->runs_on_load || c.kind == CallbackKind::AfterInitialize || c.kind == CallbackKind::AfterFind;
  if (!d.broken_class.empty()) {  // its file failed to load
    m->broken_class = d.broken_class;
    m->broken_message = d.broken_message;
  }
  models_.push_back(std::move(m));
}

void Loader::add_enum(ModelClass& m, const ModelDecl::Enum& e) {
  int i = m.column_index(e.attribute);
  if (i < 0) {
    if (!m.columns.empty())
      problem(e.at, fmt::format("{} enum :{}: table {} has no column {}", m.name, e.attribute, m.table, e.attribute));
    return;
  }
  Column& c = m.columns[static_cast<size_t>(i)];
  c.enum_values.clear();
  for (const auto& [name, value] : e.values) c.enum_values.push_back({name, value.to_value()});
  c.enum_prefix = e.prefix;
  c.enum_suffix = e.suffix;
}

Callback Loader::callback(const std::string& model, const ModelDecl::Callback& c) {
  Callback out{c.kind, c.body, c.method, c.after_associations, false, 0, {}};
  std::string label = fmt::format("{} {}", model, callback_name(c.kind));
  static const std::map<CallbackKind, unsigned> implied = {
      {CallbackKind::AfterCreateCommit, OnCreate}, {CallbackKind::AfterUpdateCommit, OnUpdate},
      {CallbackKind::AfterDestroyCommit, OnDestroy}, {CallbackKind::AfterSaveCommit, OnCreate | OnUpdate}};
  if (auto it = implied.find(c.kind); it != implied.end()) out.on = it->second;
  bool takes_on = c.kind == CallbackKind::AfterCommit || c.kind == CallbackKind::AfterRollback;
  for (const auto& [key, value] : c.options) {
    if (key == "prepend" && value.kind == Arg::Kind::Bool) {
      out.prepend = value.to_value() == Value(true);
    } else if (key == "on" && takes_on) {
      static const std::map<std::string, unsigned> actions = {{"create", OnCreate}, {"update", OnUpdate}, {"destroy", OnDestroy}};
      for (const Arg& a : value.kind == Arg::Kind::Array ? value.items : std::vector<Arg>{value}) {
        auto it = actions.find(name_of(a));
        if (!a.is_name() || it == actions.end())
          problem(c.at, fmt::format("{}: on: takes :create, :update or :destroy (or an array of them), not {}", label,
                                    name_of(a)));
        else out.on |= it->second;
      }
    } else if ((key == "if" || key == "unless") && value.kind == Arg::Kind::Code) {
      out.guards.push_back({value.code, key == "unless"});
    } else {
      problem(c.at, fmt::format("{}: the option {}: is not supported (supported: prepend: true{}); put the condition "
                                "in the block", label, key, takes_on ? ", on: :create" : ""));
    }
  }
  return out;
}

Value Loader::parse_default(ColumnType type, const Value& literal) {
  auto text = std::get_if<std::string>(&literal);
  if (!text) return cast_to_column(type, literal);
  if (text->size() >= 2 && (*text)[0] == '\'' && text->back() == '\'') {
    std::string inner = text->substr(1, text->size() - 2);
    std::string unquoted;
    for (size_t i = 0; i < inner.size(); ++i) {
      unquoted += inner[i];
      if (inner[i] == '\'' && i + 1 < inner.size() && inner[i + 1] == '\'') ++i;
    }
    return cast_to_column(type, unquoted);
  }
  if (*text == "NULL") return Value{};
  if (auto i = parse_int(*text)) return cast_to_column(type, *i);
  if (auto f = parse_float(*text)) return cast_to_column(type, *f);
  if (*text == "TRUE" || *text == "FALSE" || *text == "true" || *text == "false") return *text == "TRUE" || *text == "true";
  return Value{};  // an expression such as CURRENT_TIMESTAMP: SQLite fills it in
}

}  // namespace fw::model::loading

namespace fw::model {

App App::load(std::vector<ModelDecl> declarations, storage::Database& db, bool lenient) {
  App app;
  loading::Loader loader(declarations, db, lenient);
  app.models_ = loader.run();
  app.warnings_ = loader.warnings();
  for (const auto& m : app.models_) app.singulars_.push_back(inflector::underscore(m->name));
  return app;
}

}  // namespace fw::model

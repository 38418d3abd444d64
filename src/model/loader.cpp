// The loader: an app's declarations compiled into ModelClasses and their
// reflections and validators, every problem collected (App::load). A models
// file is refused over any problem; a learner's Ruby app loads as
// ActiveRecord loads it: what ActiveRecord refuses while running a class body
// breaks that model, what it finds only when a statement reaches it breaks
// that association or validation, and the rest is a warning (App::warnings).
#include "model/app.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

#include "base/text.hpp"
#include "base/diagnostic.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model {

namespace {

using Problems = std::vector<std::string>;

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

class Loader {
 public:
  Loader(std::vector<ModelDecl>& decls, storage::Database& db, bool lenient)
      : decls_(decls), db_(db), lenient_(lenient) {}

  std::vector<std::unique_ptr<ModelClass>> run() {
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

  std::vector<std::string> warnings() { return std::move(warnings_); }

 private:
  // A problem ActiveRecord finds at the statement, if ever: a models file is
  // refused over it; a Ruby app opens, and it is a warning at start.
  void problem(const DeclPos& at, const std::string& message) {
    if (!lenient_) problems_.push_back(where(at) + message);
    else if (at.file.empty()) warnings_.push_back("warning: " + message);
    else warnings_.push_back(fmt::format("{}:{}:{}: warning: {}", at.file, at.pos.line, at.pos.column, message));
  }

  // What ActiveRecord refuses while running the class body (an ArgumentError):
  // a models file is refused; in a Ruby app the model does not load, and a
  // statement that reaches it raises the error, as a class whose file failed.
  void break_model(ModelClass& m, const DeclPos& at, const std::string& problem_text, const std::string& error_class,
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

  // An association ActiveRecord accepts but cannot follow: a statement that
  // reaches it raises `error_class`.
  void break_reflection(Reflection& r, const std::string& problem_text, const std::string& error_class,
                        const std::string& error_message) {
    problem(r.at, problem_text + (lenient_ ? fmt::format(" (a statement that uses it raises {})", error_class) : ""));
    if (r.broken_class.empty()) {
      r.broken_class = error_class;
      r.broken_message = error_message;
    }
  }

  // Single-table inheritance: each subclass's declarations after its
  // superclass's, as Ruby runs the superclass's class body first.
  void inherit() {
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

  void link_superclasses() {
    for (size_t i = 0; i < models_.size(); ++i) {
      const std::string& parent = decls_[i].superclass;
      if (parent.empty()) continue;
      ModelClass* super = find(parent);
      if (!super || super == models_[i].get()) continue;
      models_[i]->superclass = super;
      super->subclasses.push_back(models_[i].get());
    }
  }

  // In a Ruby app, the associations that could not be resolved leave the
  // model's list for broken_reflections: a statement that reaches one raises its error.
  void set_aside_broken(ModelClass& m) {
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

  ModelClass* find(const std::string& name) {
    for (auto& m : models_)
      if (m->name == name) return m.get();
    return nullptr;
  }

  void add_class(ModelDecl& d) {
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
    for (auto& s : d.scopes) m->scopes.push_back({s.name, s.body, s.params, s.with_args});
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

  // enum status: [:draft, :published]: the column reads and writes the names.
  void add_enum(ModelClass& m, const ModelDecl::Enum& e) {
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

  // A declared callback with its options: prepend: true, and on: for after_commit and after_rollback.
  Callback callback(const std::string& model, const ModelDecl::Callback& c) {
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

  static Value parse_default(ColumnType type, const Value& literal) {
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

  void add_reflection(ModelClass& owner, const ModelDecl::Association& a) {
    auto r = std::make_unique<Reflection>();
    r->macro = a.macro;
    r->name = a.name;
    r->at = a.at;
    r->owner = &owner;
    r->scope = a.scope;
    r->owner_scope = a.owner_scope;
    r->optional = !owner_decl(owner).belongs_to_required;
    std::string label = fmt::format("{} {} :{}", owner.name, macro_name(a.macro), a.name);
    if (owner.reflection(a.name)) problem(a.at, label + ": declared twice");
    const auto& allowed = allowed_options(a.macro);
    for (const auto& [key, value] : a.options) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string hint = suggestion_suffix(key, allowed);
        std::string text = fmt::format("{}: unknown option :{}.{}", label, key,
                                       hint.empty() ? " Valid options: " + join(allowed, ", ") : hint);
        auto valid = active_record_keys(a.macro, a.options);
        if (!lenient_ || std::find(valid.begin(), valid.end(), key) == valid.end())
          break_model(owner, a.at, text, "ArgumentError",
                      fmt::format("Unknown key: :{}. Valid keys are: {}", key, symbols(valid)));
        else  // an option ActiveRecord takes and fwitter does not apply
          problem(a.at, fmt::format("{}: fwitter does not apply :{}, and passes it over", label, key));
        continue;
      }
      if (key == "class_name") r->class_name = name_of(value);
      else if (key == "foreign_key") r->foreign_key = name_of(value);
      else if (key == "primary_key") r->primary_key = name_of(value);
      else if (key == "through") r->through = name_of(value);
      else if (key == "source") r->source = name_of(value);
      else if (key == "join_table") r->join_table = name_of(value);
      else if (key == "association_foreign_key") r->association_foreign_key = name_of(value);
      else if (key == "foreign_type") r->foreign_type = name_of(value);
      else if (key == "as") r->as = name_of(value);
      else if (key == "inverse_of") r->inverse_of = name_of(value);
      else if (key == "polymorphic") r->polymorphic = value.to_value() == Value(true);
      else if (key == "counter_cache") {
        if (value.is_name()) r->counter_cache = value.text;
        else if (value.to_value() == Value(true)) r->counter_cache = inflector::pluralize(inflector::underscore(owner.name)) + "_count";
        else if (value.to_value() != Value(false))
          problem(a.at, label + ": counter_cache: takes true or the name of the count column");
      } else if (key == "touch") {
        if (value.to_value() == Value(true)) r->touch = true;
        else if (value.to_value() != Value(false))
          problem(a.at, label + ": touch: takes true or false (touching a named column is not supported)");
      }
      else if (key == "optional") r->optional = value.to_value() == Value(true);
      else if (key == "validate") r->validate = value.to_value() == Value(true);
      else if (key == "autosave") r->autosave = value.to_value() == Value(true);
      else if (key == "required") r->optional = value.to_value() != Value(true);
      else if (key == "dependent") {
        auto valid = valid_dependents(a.macro);
        std::string d = name_of(value);
        if (std::find(valid.begin(), valid.end(), d) == valid.end()) {
          std::vector<std::string> ar = valid;  // ActiveRecord 6.1's list, in its order
          if (a.macro == Macro::HasMany || a.macro == Macro::HasAndBelongsToMany)
            ar = {"destroy", "delete_all", "nullify", "restrict_with_error", "restrict_with_exception", "destroy_async"};
          else if (a.macro == Macro::HasOne)
            ar = {"destroy", "destroy_async", "delete", "nullify", "restrict_with_error", "restrict_with_exception"};
          else ar = {"destroy", "delete", "destroy_async"};
          break_model(owner, a.at,
                      fmt::format("{}: dependent: :{} is not one of :{}.{}", label, d, join(valid, ", :"),
                                  suggestion_suffix(d, valid)),
                      "ArgumentError",
                      fmt::format("The :dependent option must be one of [{}], but is :{}", symbols(ar), d));
        } else {
          r->dependent = parse_dependent(d);
        }
      }
    }
    if (a.macro == Macro::BelongsTo && !r->through.empty()) problem(a.at, label + ": belongs_to has no through:");
    if (r->polymorphic && !r->class_name.empty())
      problem(a.at, label + ": a polymorphic association takes its class from the " + a.name +
                        "_type column; remove class_name:");
    if (!r->as.empty() && !r->through.empty()) problem(a.at, label + ": as: and through: cannot be used together");
    if (r->polymorphic) r->class_name.clear();
    else if (r->class_name.empty() && r->through.empty())
      r->class_name = r->is_collection() ? inflector::classify(a.name) : inflector::camelize(a.name);
    owner.reflections.push_back(std::move(r));
  }

  void check_column(const ModelClass& m, const std::string& column, const Reflection& r, const std::string& label,
                    const std::string& option) {
    if (m.columns.empty() || m.column(column)) return;
    std::vector<std::string> keys;
    for (const auto& c : m.columns)
      if (c.name.size() > 3 && c.name.compare(c.name.size() - 3, 3, "_id") == 0) keys.push_back(c.name);
    auto guess = did_you_mean(column, keys);
    problem(r.at, fmt::format("{}: table {} has no column {}; {}", label, m.table, column,
                              guess ? fmt::format("did you mean {}: \"{}\"?", option, *guess)
                                    : fmt::format("add it in a migration, or name the column with {}:", option)));
  }

  // Works out a direct association's class and keys, and checks them.
  void resolve_direct(Reflection& r, const std::string& label) {
    if (r.polymorphic) {
      if (r.foreign_key.empty()) r.foreign_key = r.name + "_id";
      if (r.foreign_type.empty()) r.foreign_type = r.name + "_type";
      check_column(*r.owner, r.foreign_key, r, label, "foreign_key");
      check_column(*r.owner, r.foreign_type, r, label, "foreign_type");
      if (!r.counter_cache.empty()) problem(r.at, label + ": counter_cache: on a polymorphic association is not supported");
      if (r.touch) problem(r.at, label + ": touch: on a polymorphic association is not supported");
      return;
    }
    ModelClass* target = find(r.class_name);
    if (!target) {
      std::string missing = fmt::format("uninitialized constant {}::{}", r.owner->name, r.class_name);
      // Only a plural name given no class_name (belongs_to :users) is the plural mistake.
      std::string singular = inflector::camelize(inflector::singularize(r.name));
      if (r.macro == Macro::BelongsTo && r.class_name == inflector::camelize(r.name) && singular != r.class_name &&
          find(singular)) {
        break_reflection(r, fmt::format("{}: belongs_to takes a singular name: belongs_to :{}", label,
                                        inflector::singularize(r.name)),
                         "NameError", missing);
      } else {
        break_reflection(r,
                         fmt::format("{}: no model named {}.{}{}", label, r.class_name,
                                     suggestion_suffix(r.class_name, names_of(models_)),
                                     r.class_name == inflector::camelize(r.name) ||
                                             r.class_name == inflector::classify(r.name)
                                         ? " (add class_name: if the association's name is not the model's)"
                                         : ""),
                         "NameError", missing);
      }
      return;
    }
    r.klass = target;
    const ModelClass& owner = *r.owner;
    switch (r.macro) {
      case Macro::BelongsTo:
        if (r.foreign_key.empty()) r.foreign_key = r.name + "_id";
        if (r.primary_key == "id") r.primary_key = target->primary_key;
        check_column(owner, r.foreign_key, r, label, "foreign_key");
        if (!r.counter_cache.empty() && !target->columns.empty() && !target->column(r.counter_cache))
          problem(r.at, fmt::format("{}: counter_cache: table {} has no column {}; add it in a migration "
                                    "(integer, default 0), or name the column: counter_cache: :count_column",
                                    label, target->table, r.counter_cache));
        break;
      case Macro::HasMany:
      case Macro::HasOne:
        if (r.foreign_key.empty()) r.foreign_key = r.as.empty() ? inflector::foreign_key(owner.name) : r.as + "_id";
        if (!r.as.empty() && r.foreign_type.empty()) r.foreign_type = r.as + "_type";
        if (r.primary_key == "id") r.primary_key = owner.primary_key;
        check_column(*target, r.foreign_key, r, label, "foreign_key");
        if (!r.as.empty()) check_column(*target, r.foreign_type, r, label, "foreign_type");
        break;
      case Macro::HasAndBelongsToMany: {
        if (r.foreign_key.empty()) r.foreign_key = inflector::foreign_key(owner.name);
        if (r.association_foreign_key.empty()) r.association_foreign_key = inflector::foreign_key(target->name);
        if (r.join_table.empty()) {
          std::vector<std::string> t = {owner.table, target->table};
          std::sort(t.begin(), t.end());
          r.join_table = t[0] + "_" + t[1];
        }
        r.primary_key = owner.primary_key;
        if (!db_.table_exists(r.join_table)) {
          std::string guess = suggestion_suffix(r.join_table, db_.tables());
          problem(r.at, fmt::format("{}: the database has no join table {}{}; add a migration that creates it, "
                                    "or name it with join_table:",
                                    label, r.join_table, guess.empty() ? "" : "." + guess));
        } else {
          std::set<std::string> cols;
          for (const auto& c : db_.columns(r.join_table)) cols.insert(c.name);
          for (const auto& [key, option] : {std::pair{r.foreign_key, "foreign_key"},
                                            std::pair{r.association_foreign_key, "association_foreign_key"}})
            if (!cols.count(key))
              problem(r.at, fmt::format("{}: join table {} has no column {}; name it with {}:", label, r.join_table,
                                        key, option));
        }
        break;
      }
    }
  }

  // Resolves a through association (its through and source, themselves
  // possibly through associations), or a direct one, once.
  bool resolve(Reflection& r) {
    if (resolved_.count(&r)) return r.klass != nullptr;
    if (resolving_.count(&r)) {
      break_reflection(r, fmt::format("{} :{}: its through: chain comes back to itself", r.owner->name, r.name),
                       "SystemStackError", "stack level too deep");
      return false;
    }
    resolving_.insert(&r);
    std::string label = fmt::format("{} {} :{}", r.owner->name, macro_name(r.macro), r.name);
    if (!r.is_through()) {
      resolve_direct(r, label);
    } else {
      resolve_through(r, label);
    }
    resolving_.erase(&r);
    resolved_.insert(&r);
    return r.klass != nullptr;
  }

  // inverse_of: names an association of the target that leads back to the owner's model.
  void check_inverse(const Reflection& r) {
    if (r.inverse_of.empty() || !r.klass) return;
    const Reflection* back = r.klass->reflection(r.inverse_of);
    std::string label = fmt::format("{} {} :{}", r.owner->name, macro_name(r.macro), r.name);
    if (!back && lenient_) {  // ActiveRecord raises InverseOfAssociationNotFoundError where it looks for it
      problem(r.at, fmt::format("{}: inverse_of: :{} names no association of {}; fwitter passes it over", label,
                                r.inverse_of, r.klass->name));
      const_cast<Reflection&>(r).inverse_of.clear();
    } else if (!back)
      problem(r.at, fmt::format("{}: inverse_of: :{} names no association of {}.{}", label, r.inverse_of,
                                r.klass->name, suggestion_suffix(r.inverse_of, r.klass->association_names())));
    else if (back->klass && back->klass != r.owner)
      problem(r.at, fmt::format("{}: inverse_of: :{} leads to {}, not back to {}", label, r.inverse_of,
                                back->klass->name, r.owner->name));
    else if (r.is_through() || back->is_through())
      problem(r.at, label + ": inverse_of: on a through association is not supported");
  }

  void resolve_through(Reflection& r, const std::string& label) {
    auto* through = const_cast<Reflection*>(r.owner->reflection(r.through));
    if (!through) {
      std::string hint = suggestion_suffix(r.through, r.owner->association_names());
      // the join association must be declared too, and ActiveRecord wants it first
      if (hint.empty())
        hint = fmt::format(" Declare the join association as well, before this line: has_many :{}", r.through);
      break_reflection(r, fmt::format("{}: through: :{} names no association of {}.{}", label, r.through, r.owner->name, hint),
                       "ActiveRecord::HasManyThroughAssociationNotFoundError",
                       fmt::format("Could not find the association :{} in model {}", r.through, r.owner->name));
      return;
    }
    if (!resolve(*through)) {
      r.broken_class = through->broken_class;
      r.broken_message = through->broken_message;
      return;
    }
    r.through_reflection = through;
    ModelClass& middle = const_cast<ModelClass&>(*through->klass);
    std::vector<std::string> tries =
        r.source.empty() ? std::vector<std::string>{inflector::singularize(r.name), r.name} : std::vector<std::string>{r.source};
    Reflection* source = nullptr;
    for (const auto& t : tries)
      if (!source) source = const_cast<Reflection*>(middle.reflection(t));
    if (!source) {
      auto names = middle.association_names();
      std::string guess = r.source.empty() ? "" : suggestion_suffix(r.source, names);
      break_reflection(r,
                       fmt::format("{}: {} has no association :{}{}; name the one to follow with source: (one of :{})",
                                   label, middle.name, join(tries, " or :"), guess.empty() ? "" : "." + guess,
                                   join(names, ", :")),
                       "ActiveRecord::HasManyThroughSourceAssociationNotFoundError",
                       r.source.empty()
                           ? fmt::format("Could not find the source association(s) \"{}\" or :{} in model {}. Try "
                                         "'has_many :{}, :through => :{}, :source => <name>'. Is it one of {}?",
                                         tries[0], r.name, middle.name, r.name, r.through, join(names, ", "))
                           : fmt::format("Could not find the source association(s) :{} in model {}. Try 'has_many "
                                         ":{}, :through => :{}, :source => <name>'. Is it one of {}?",
                                         r.source, middle.name, r.name, r.through, join(names, ", ")));
      return;
    }
    if (!resolve(*source)) {
      r.broken_class = source->broken_class;
      r.broken_message = source->broken_message;
      return;
    }
    r.source_reflection = source;
    r.klass = source->klass;
    r.class_name = source->klass->name;
    if (r.dependent != Dependent::None && r.dependent != Dependent::Destroy && r.dependent != Dependent::DeleteAll)
      problem(r.at, label + ": a through association takes only dependent: :destroy or :delete_all (of its join records)");
  }

  void add_nested_attributes(ModelClass& m, const ModelDecl& d) {
    for (const auto& n : d.nested_attributes) {
      const Reflection* r = m.reflection(n.association);
      std::string label = fmt::format("{} accepts_nested_attributes_for :{}", m.name, n.association);
      if (!r || r->is_belongs_to() || r->is_through() || r->macro == Macro::HasAndBelongsToMany) {
        std::string text = label + ": names no has_many or has_one association of " + m.name + "." +
                           suggestion_suffix(n.association, m.association_names());
        if (!r && !m.broken_reflection(n.association))
          break_model(m, n.at, text, "ArgumentError",
                      fmt::format("No association found for name `{}'. Has it been defined yet?", n.association));
        else
          problem(n.at, text);
        continue;
      }
      ModelClass::NestedAttributes out{r};
      for (const auto& [key, value] : n.options) {
        if (key == "allow_destroy") out.allow_destroy = value.to_value() == Value(true);
        else if (key == "reject_if" && name_of(value) == "all_blank") out.reject_all_blank = true;
        else problem(n.at, fmt::format("{}: fwitter takes allow_destroy: and reject_if: :all_blank, not {}:", label, key));
      }
      m.nested_attributes.push_back(out);
    }
  }

  void add_validations(ModelClass& m, const ModelDecl& d) {
    add_nested_attributes(m, d);
    for (const auto& item : d.order) {
      if (item.kind == ModelDecl::Item::Kind::SecurePassword) {
        add_secure_password(m, d.secure_passwords[item.index]);
      } else if (item.kind == ModelDecl::Item::Kind::Association) {
        const auto& a = d.associations[item.index];
        const Reflection* r = m.reflection(a.name);
        auto check = [&](const char* kind) {  // "must exist"; validate: true's "is invalid"
          Validator v;
          v.kind = find_validator_kind(kind);
          v.attribute = r->name;
          v.association = r;
          v.at = a.at;
          m.validators.push_back(std::move(v));
        };
        if (r && r->macro == Macro::BelongsTo && !r->optional) check("required");
        if (r && r->macro == Macro::BelongsTo && (r->validate || r->autosave)) check("associated");
      } else if (item.kind == ModelDecl::Item::Kind::Custom) {
        add_custom_validation(m, d.custom_validations[item.index]);
      } else {
        compile_validation(m, d.validations[item.index]);
      }
    }
  }

  // has_secure_password's validations, as ActiveModel 6.1 adds them: the
  // digest is set, the password at most 72 characters, its confirmation matches.
  void add_secure_password(ModelClass& m, const ModelDecl::SecurePassword& p) {
    if (!p.validations) return;
    Validator digest;
    digest.kind = find_validator_kind("secure_password");
    digest.attribute = p.attribute;
    digest.at = p.at;
    m.validators.push_back(digest);
    Validator length = digest;
    length.kind = find_validator_kind("length");
    length.maximum = 72;
    m.validators.push_back(length);
    Validator confirmation = digest;
    confirmation.kind = find_validator_kind("confirmation");
    confirmation.allow_blank = true;
    m.validators.push_back(confirmation);
  }

  // validate :method_name, validate do ... end: the code adds its own errors.
  void add_custom_validation(ModelClass& m, const ModelDecl::CustomValidation& c) {
    Validator v;
    v.kind = find_validator_kind("custom");
    v.custom = c.body;
    v.attribute = c.method;
    v.at = c.at;
    std::string label = fmt::format("{} validate{}", m.name, c.method.empty() ? "" : " :" + c.method);
    for (const auto& [key, value] : c.options)
      if (!read_common(v, key, value, label, c.at))
        problem(c.at, fmt::format("{}: the option {}: is not supported (supported: on:, if:, unless:)", label, key));
    m.validators.push_back(std::move(v));
  }

  const ModelDecl& owner_decl(const ModelClass& owner) const {
    for (const auto& d : decls_)
      if (d.name == owner.name) return d;
    return decls_.front();
  }

  void compile_validation(ModelClass& m, const ModelDecl::Validation& decl) {
    std::string label = fmt::format("{} validates :{}", m.name, join(decl.attributes, ", :"));
    Validator common;
    std::vector<std::pair<const ValidatorKind*, const Arg*>> kinds;
    for (const auto& [key, value] : decl.options) {
      if (!read_common(common, key, value, label, decl.at)) {
        const ValidatorKind* kind = find_validator_kind(key);
        if (!kind || !kind->declared) {
          auto known = declared_validator_names();
          break_model(m, decl.at,
                      fmt::format("{}: unknown validation {}:.{}", label, key,
                                  suggestion_suffix(key, known) == "" ? " Known: " + join(known, ", ")
                                                                      : suggestion_suffix(key, known)),
                      "ArgumentError", fmt::format("Unknown validator: '{}Validator'", inflector::camelize(key)));
        } else {
          kinds.push_back({kind, &value});
        }
      }
    }
    if (kinds.empty())
      break_model(m, decl.at, label + ": says nothing to check; add presence: true, length: {...}, ...",
                  "ArgumentError", "You need to supply at least one validation");
    for (const auto& attribute : decl.attributes) {
      for (const auto& [kind, arg] : kinds)  // acceptance: a virtual attribute when no column has the name
        if (kind->defines_attribute && !m.column(attribute) && !m.is_virtual(attribute) && !m.reflection(attribute))
          m.virtual_attributes.push_back(attribute);
      bool is_column = m.column(attribute) != nullptr || m.is_virtual(attribute);
      const Reflection* assoc = m.reflection(attribute);
      if (!is_column && !assoc && !m.columns.empty()) {
        std::vector<std::string> names = m.column_names();
        for (auto& n : m.association_names()) names.push_back(n);
        problem(decl.at, fmt::format("{}: {} has no column or association {}.{}{}", label, m.name, attribute,
                                     suggestion_suffix(attribute, names),
                                     lenient_ ? " (saving one raises NoMethodError, as in ActiveRecord)" : ""));
        if (!lenient_) continue;
        Validator v = common;  // as ActiveRecord: the validation reads the attribute when it runs
        v.kind = kinds.front().first;
        v.attribute = attribute;
        v.at = decl.at;
        v.broken_class = "NoMethodError";
        v.broken_message = fmt::format("undefined method '{}' for an instance of {}", attribute, m.name);
        m.validators.push_back(std::move(v));
        continue;
      }
      for (const auto& [kind, arg] : kinds) {
        Validator v = common;
        v.attribute = attribute;
        v.association = is_column ? nullptr : assoc;
        v.at = decl.at;
        if (compile_kind(v, m, *kind, *arg, label + " " + kind->name + ":", decl.at)) m.validators.push_back(std::move(v));
      }
    }
  }

  bool read_common(Validator& v, const std::string& key, const Arg& value, const std::string& label, const DeclPos& at) {
    if (key == "allow_nil") v.allow_nil = value.to_value() == Value(true);
    else if (key == "allow_blank") v.allow_blank = value.to_value() == Value(true);
    else if (key == "message") v.message = name_of(value);
    else if (key == "on") {
      v.on = name_of(value);
      if (v.on != "create" && v.on != "update") problem(at, label + ": on: takes :create or :update");
    } else if ((key == "if" || key == "unless") && value.kind == Arg::Kind::Code) {
      v.guards.push_back({value.code, key == "unless"});
    } else if ((key == "if" || key == "unless") && value.kind == Arg::Kind::Array) {
      for (const auto& each : value.items)
        if (each.kind == Arg::Kind::Code) v.guards.push_back({each.code, key == "unless"});
    } else return false;
    return true;
  }

  // One kind of a validates line: its options read by the kind's entry.
  bool compile_kind(Validator& v, ModelClass& m, const ValidatorKind& kind, const Arg& arg, const std::string& label,
                    const DeclPos& at) {
    v.kind = &kind;
    // ActiveModel's shorthands: true, an array (in:), a regex (with:).
    Options options;
    if (arg.kind == Arg::Kind::Hash) options = arg.hash;
    else if (arg.kind == Arg::Kind::Array) options = {{"in", arg}};
    else if (arg.kind == Arg::Kind::Regex) options = {{"with", arg}};
    else if (arg.to_value() == Value(false) || arg.kind == Arg::Kind::Nil) return false;
    else if (arg.to_value() != Value(true)) {
      problem(at, label + " takes true or a hash of options");
      return false;
    }
    Compiling c{v, m, options, label, at, [&](const std::string& message) { problem(at, message); }};
    const auto& allowed = kind.options;
    bool ok = true;
    for (const auto& [key, value] : options) {
      if (read_common(v, key, value, label, at)) continue;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        problem(at, fmt::format("{} unknown option {}:.{}", label, key,
                                allowed.empty() ? "" : suggestion_suffix(key, allowed) == "" ? " Valid: " + join(allowed, ", ") : suggestion_suffix(key, allowed)));
        ok = false;
        continue;
      }
      if (!kind.read(c, key, value)) ok = false;
    }
    if (ok && kind.finish && !kind.finish(c)) ok = false;
    return ok;
  }

  void add_delegations(ModelClass& m, const ModelDecl& d) {
    for (const auto& del : d.delegates) {
      std::string to;
      bool allow_nil = false;
      for (const auto& [key, value] : del.options) {
        if (key == "to") to = name_of(value);
        else if (key == "allow_nil") allow_nil = value.to_value() == Value(true);
        else {
          std::string guess = suggestion_suffix(key, {"to", "allow_nil"});
          problem(del.at, fmt::format("{} delegate: unknown option {}:{}", m.name, key, guess.empty() ? "" : "." + guess));
        }
      }
      if (to.empty()) {
        break_model(m, del.at, fmt::format("{} delegate :{}: needs to: :association", m.name, join(del.methods, ", :")),
                    "ArgumentError",
                    "Delegation needs a target. Supply a keyword argument 'to' (e.g. delegate :hello, to: :greeter).");
        continue;
      }
      const Reflection* r = m.reflection(to);
      if (lenient_ && (!r || r->is_collection())) {  // ActiveSupport's delegate takes any method's value
        for (const auto& method : del.methods) m.delegations.push_back({method, to, allow_nil});
        continue;
      }
      if (!r || r->is_collection()) {
        std::vector<std::string> singles;  // a collection is no place to delegate to: never suggested
        for (const auto& refl : m.reflections)
          if (!refl->is_collection()) singles.push_back(refl->name);
        problem(del.at, fmt::format("{} delegate to: :{} names no belongs_to or has_one association of {}.{}", m.name,
                                    to, m.name, suggestion_suffix(to, singles)));
        continue;
      }
      for (const auto& method : del.methods) m.delegations.push_back({method, to, allow_nil});
    }
  }

  std::vector<ModelDecl>& decls_;
  storage::Database& db_;
  bool lenient_;
  std::vector<std::unique_ptr<ModelClass>> models_;
  Problems problems_;
  std::vector<std::string> warnings_;
  std::set<const Reflection*> resolved_, resolving_;
};

}  // namespace

App App::load(std::vector<ModelDecl> declarations, storage::Database& db, bool lenient) {
  App app;
  Loader loader(declarations, db, lenient);
  app.models_ = loader.run();
  app.warnings_ = loader.warnings();
  for (const auto& m : app.models_) app.singulars_.push_back(inflector::underscore(m->name));
  return app;
}

}  // namespace fw::model

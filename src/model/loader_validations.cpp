// The loader's validations (each declared kind compiled into a Validator),
// has_secure_password, nested attributes and delegations.
#include "model/loader.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "base/diagnostic.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model::loading {

void Loader::add_nested_attributes(ModelClass& m, const ModelDecl& d) {
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

void Loader::add_validations(ModelClass& m, const ModelDecl& d) {
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
        v.new_target_only = true;
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

void Loader::add_secure_password(ModelClass& m, const ModelDecl::SecurePassword& p) {
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

void Loader::add_custom_validation(ModelClass& m, const ModelDecl::CustomValidation& c) {
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

const ModelDecl& Loader::owner_decl(const ModelClass& owner) const {
  for (const auto& d : decls_)
    if (d.name == owner.name) return d;
  return decls_.front();
}

void Loader::compile_validation(ModelClass& m, const ModelDecl::Validation& decl) {
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

bool Loader::read_common(Validator& v, const std::string& key, const Arg& value, const std::string& label, const DeclPos& at) {
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

bool Loader::compile_kind(Validator& v, ModelClass& m, const ValidatorKind& kind, const Arg& arg, const std::string& label,
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

void Loader::add_delegations(ModelClass& m, const ModelDecl& d) {
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

}  // namespace fw::model::loading

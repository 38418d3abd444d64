// The verbs of a class body (has_many, validates, validate, enum, ...), each
// read by its handler into the model layer's declaration (ModelFile::declaration).
#include "lang/class_body_verbs.hpp"

#include <fmt/format.h>

#include <set>

#include "base/text.hpp"
#include "lang/interpreter.hpp"
#include "lang/parser.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

bool is_call(const Node& item) {
  return (item.kind == Node::Kind::Call || item.kind == Node::Kind::Variable) && !item.receiver;
}

// What a learner's app has that fwitter passes over, as "FILE:LINE:COL: note: passed over: ...".
std::string passed_over(const std::string& path, SourcePos pos, const std::string& what) {
  return fmt::format("{}:{}:{}: note: passed over: {}", path, pos.line, pos.column, what);
}

namespace {

// A scope's body without parameters (a scope, default_scope, an association's lambda).
model::ScopeBody scope_body(CodeTable& code, const Node& body) {
  return model::scope_code(code.add(CodeTable::Scope(
      [&body](Interpreter& in, const model::Relation& r, const std::vector<Object>&) { return in.run_scope(body, r); })));
}

// A callback or custom validation's code: its block (its first parameter, if
// any, the record), or in a Ruby app the method it names, called on the record
// as Ruby calls it (ActiveRecord's NoMethodError when there is none); a models
// file's names a def of the class body, checked now.
struct Body {
  model::CallbackBody run;
  std::string method;  // the name, for messages; "" for a block
};

std::vector<Body> bodies_of(const Node& item, const std::string& verb, const std::string& model, bool ruby,
                            const std::map<std::string, const Node*>& methods, const std::string& file,
                            model::Options& options, const Constants* constants, CodeTable& code) {
  std::vector<const Node*> names;
  for (const auto& a : item.items) {
    if (a->kind == Node::Kind::Symbol || a->kind == Node::Kind::String) names.push_back(a.get());
    else if (a->kind == Node::Kind::Hash && &a == &item.items.back()) options = literal(*a, "", constants, &code).hash;
    else throw SyntaxError(verb + " takes :method_names or a block", a->pos, a->offset, false);
  }
  std::vector<Body> out;
  if (item.block) {
    if (item.block->kind != Node::Kind::Block || !names.empty())
      throw SyntaxError(verb + " takes :method_names or a block, not both", item.pos, item.offset, false);
    const Node* body = item.block->items[0].get();
    std::vector<std::string> params = item.block->params;
    out.push_back({model::record_code(code.add(CodeTable::OnRecord([body, params, file](Interpreter& in, model::Record& r) {
                     return in.run_callback(*body, params, r, file);
                   }))), ""});
    return out;
  }
  if (names.empty()) throw SyntaxError(verb + " takes :method_names or a block", item.pos, item.offset, false);
  for (const Node* n : names) {
    std::string name = n->text;
    if (ruby) {
      out.push_back({model::record_code(code.add(CodeTable::OnRecord(
                         [name](Interpreter& in, model::Record& r) { return in.run_callback(name, r); }))),
                     name});
      continue;
    }
    auto it = methods.find(name);
    if (it == methods.end()) {
      std::vector<std::string> known;
      for (const auto& [known_name, def] : methods) known.push_back(known_name);
      throw SyntaxError(verb + " :" + name + ": class " + model + " defines no method " + name + " (def " + name +
                            " ... end in the class body)." + suggestion_suffix(name, known),
                        n->pos, n->offset, false);
    }
    const Node* def = it->second;
    if (!def->params.empty())
      throw SyntaxError(verb + " :" + name + ": a callback method takes no arguments", def->pos, def->offset, false);
    const Node* body = def->items[0].get();
    out.push_back({model::record_code(code.add(CodeTable::OnRecord([body, file](Interpreter& in, model::Record& r) {
                     return in.run_callback(*body, {}, r, file);
                   }))), name});
  }
  return out;
}

// The options every validation takes, beside its kind's own.
const std::set<std::string> common = {"message", "on", "allow_nil", "allow_blank", "if", "unless", "strict"};






// A validator class's method (validate_each, validate), or null.
const Node* validator_method(const Declaring& d, const std::string& class_name, const std::string& method,
                             std::string& path) {
  auto it = d.validator_classes.find(class_name);
  if (it == d.validator_classes.end()) return nullptr;
  path = it->second.second;
  for (const auto& item : it->second.first->items)
    if (item->kind == Node::Kind::Def && !item->receiver && item->name == method) return item.get();
  return nullptr;
}

// A call's arguments: :names, then key: value options, and at most one lambda.
struct CallArgs {
  std::vector<std::string> names;
  model::Options options;
  const Node* lambda = nullptr;
};

CallArgs call_args(const Node& item, const Constants* constants, CodeTable& code) {
  const std::string& verb = item.name;
  if (item.block) throw SyntaxError(verb + " takes no block", item.block->pos, item.block->offset, false);
  CallArgs out;
  for (const auto& a : item.items) {
    if (a->kind == Node::Kind::Lambda) {
      if (out.lambda) throw SyntaxError(verb + " takes one lambda", a->pos, a->offset, false);
      out.lambda = a.get();
      continue;
    }
    model::Arg arg = literal(*a, "", constants, &code);
    if (arg.kind == model::Arg::Kind::Hash && &a == &item.items.back()) out.options = arg.hash;
    else if (arg.is_name()) out.names.push_back(arg.text);
    else throw SyntaxError(verb + " takes :names, then key: value options", a->pos, a->offset, false);
  }
  return out;
}

// Names given to attr_accessor and the like.
std::vector<std::string> symbol_names(const Node& item, const Constants* constants) {
  std::vector<std::string> names;
  for (const auto& a : item.items) {
    model::Arg arg = literal(*a, "", constants);
    if (!arg.is_name()) throw SyntaxError(item.name + " takes :names", a->pos, a->offset, false);
    names.push_back(arg.text);
  }
  return names;
}

// has_many :books, dependent: :destroy; with a lambda, its scope, which may take the owner.
void association(const Declaring& d) {
  const std::string& verb = d.item.name;
  CallArgs args = call_args(d.item, d.constants, d.code);
  auto one_name = [&]() {
    if (args.names.size() != 1) throw SyntaxError(verb + " takes one :name", d.item.pos, d.item.offset, false);
    return args.names[0];
  };
  const Node* lambda = args.lambda;
  const Node* body = lambda ? lambda->items[0].get() : nullptr;
  if (lambda && !lambda->params.empty()) {  // has_many :own_books, ->(author) { where(title: author.name) }
    if (lambda->params.size() > 1)
      throw SyntaxError(verb + " :" + one_name() + ": an association's scope takes at most one parameter, the owner (->(" +
                            lambda->params[0] + ") { ... })",
                        lambda->pos, lambda->offset, false);
    std::vector<std::string> params = lambda->params;
    model::CodeId code = d.code.add(CodeTable::Scope(
        [body, params](Interpreter& in, const model::Relation& r, const std::vector<Object>& owner) {
          return in.run_scope(*body, r, params, owner);
        }));
    d.decl.scoped_by_owner(d.verb.macro, one_name(), model::owner_scope_code(code), args.options, d.at);
    return;
  }
  model::ScopeBody scope;
  if (lambda)  // has_many :books, -> { order(published_at: :desc) }
    scope = scope_body(d.code, *body);
  d.decl.scoped(d.verb.macro, one_name(), std::move(scope), args.options, d.at);
}

void validates(const Declaring& d) {
  CallArgs args = call_args(d.item, d.constants, d.code);
  if (args.lambda) throw SyntaxError("validates takes no lambda", args.lambda->pos, args.lambda->offset, false);
  if (args.names.empty()) throw SyntaxError("validates takes the :attributes to check", d.item.pos, d.item.offset, false);
  // validates :email, email: true: the app's EmailValidator#validate_each, for each attribute
  model::Options shared, rest;
  for (const auto& kv : args.options)
    if (common.count(kv.first)) shared.push_back(kv);
  bool any_kind = false;
  std::vector<std::pair<const Node*, std::string>> own;  // validate_each and its file
  for (const auto& kv : args.options) {
    std::string path;
    const Node* each = model::find_validator_kind(kv.first)
                           ? nullptr
                           : validator_method(d, model::inflector::camelize(kv.first) + "Validator", "validate_each", path);
    if (each) {
      own.push_back({each, path});
    } else {
      rest.push_back(kv);
      any_kind = any_kind || !common.count(kv.first);
    }
  }
  if (any_kind || own.empty()) d.decl.validates(args.names, rest, d.at);
  for (const auto& [each, path] : own)  // after the built-in kinds, as they are written first
    for (const auto& attribute : args.names)
      d.decl.validate(model::record_code(d.code.add(CodeTable::OnRecord(
                          [each = each, attribute, path = path](Interpreter& in, model::Record& r) {
                            in.run_validator_method(*each, r, attribute, path);
                            return true;
                          }))),
                      attribute, shared, d.at);
}

// validate :method_name (several, each in turn), or validate do |record| ... end;
// validates_with MyValidator (an ActiveModel::Validator of the app's): its validate(record).
void validate(const Declaring& d) {
  model::Options options;
  if (d.item.name == "validates_with") {
    for (const auto& a : d.item.items)
      if (a->kind == Node::Kind::Hash) options = literal(*a, "", d.constants, &d.code).hash;
    for (const auto& a : d.item.items) {
      if (a->kind != Node::Kind::Constant) continue;
      std::string path;
      const Node* def = validator_method(d, a->name, "validate", path);
      if (!def) throw SyntaxError("uninitialized constant " + a->name, a->pos, a->offset, false);
      d.decl.validate(model::record_code(d.code.add(CodeTable::OnRecord([def, path](Interpreter& in, model::Record& r) {
                        in.run_validator_method(*def, r, "", path);
                        return true;
                      }))),
                      "", options, d.at);
    }
    return;
  }
  for (auto& body : bodies_of(d.item, "validate", d.decl.name, true, d.methods, d.at.file, options, d.constants, d.code))
    d.decl.validate(std::move(body.run), body.method, options, d.at);
}

void delegate(const Declaring& d) {
  CallArgs args = call_args(d.item, d.constants, d.code);
  if (args.lambda) throw SyntaxError("delegate takes no lambda", args.lambda->pos, args.lambda->offset, false);
  if (args.names.empty()) throw SyntaxError("delegate takes the :methods to pass on", d.item.pos, d.item.offset, false);
  d.decl.delegate(args.names, args.options, d.at);
}

void scope(const Declaring& d) {
  CallArgs args = call_args(d.item, d.constants, d.code);
  if (!args.lambda || args.names.size() != 1 || !args.options.empty())
    throw SyntaxError("scope takes a :name and a lambda: scope :recent, -> { order(created_at: :desc) }", d.item.pos,
                      d.item.offset, false);
  const Node* body = args.lambda->items[0].get();
  if (args.lambda->params.empty()) {
    d.decl.scope(args.names[0], scope_body(d.code, *body), d.at);
    return;
  }
  // scope :published_before, ->(date) { where("published_at < ?", date) }
  std::vector<std::string> params = args.lambda->params;
  model::CodeId code = d.code.add(CodeTable::Scope(
      [body, params](Interpreter& in, const model::Relation& r, const std::vector<Object>& scope_args) {
        return in.run_scope(*body, r, params, scope_args);
      }));
  d.decl.scope_with_args(args.names[0], params, code, d.at);
}

// before_save :normalize (a method of the class), or before_save { |record| ... }.
void callback(const Declaring& d) {
  model::Options options;
  std::string verb = model::callback_name(d.verb.callback);
  for (auto& body : bodies_of(d.item, verb, d.decl.name, d.constants != nullptr, d.methods, d.at.file, options,
                              d.constants, d.code))
    d.decl.callback(d.verb.callback, std::move(body.run), body.method, d.at, options);
}

void secure_password(const Declaring& d) {
  std::string attribute = "password";
  bool validations = true;
  for (const auto& a : d.item.items) {
    model::Arg arg = literal(*a, "", d.constants);
    if (arg.is_name()) attribute = arg.text;
    else if (arg.kind == model::Arg::Kind::Hash)
      for (const auto& [key, value] : arg.hash) {
        if (key == "validations") validations = value.to_value() != Value(false);
        else throw SyntaxError("has_secure_password: unknown option " + key + ":", a->pos, a->offset, false);
      }
  }
  d.decl.secure_password(attribute, validations, d.at);
}

// default_scope { order(...) } or default_scope -> { ... }
void default_scope(const Declaring& d) {
  const Node& item = d.item;
  const Node* body = item.block && item.block->kind == Node::Kind::Block ? item.block->items[0].get() : nullptr;
  if (!body && item.items.size() == 1 && item.items[0]->kind == Node::Kind::Lambda) body = item.items[0]->items[0].get();
  if (!body) throw SyntaxError("default_scope takes a block or a lambda: default_scope { order(created_at: :desc) }",
                               item.pos, item.offset, false);
  d.decl.default_scope = scope_body(d.code, *body);
}

void nested_attributes(const Declaring& d) {
  model::Options options;
  std::vector<std::string> names;
  for (const auto& a : d.item.items) {
    model::Arg arg = literal(*a, "", d.constants);
    if (arg.kind == model::Arg::Kind::Hash) options = arg.hash;
    else if (arg.is_name()) names.push_back(arg.text);
  }
  for (const auto& name : names) d.decl.nested_attributes.push_back({name, options, d.at});
}

void accessor(const Declaring& d) {
  for (auto& name : symbol_names(d.item, d.constants)) d.decl.virtual_attributes.push_back(name);
}

// enum status: [:draft, :published], enum kind: { note: 1, essay: 5 }, _prefix: true (or a name), _suffix:.
void enum_(const Declaring& d) {
  if (d.item.items.size() != 1 || d.item.items[0]->kind != Node::Kind::Hash)
    throw SyntaxError("enum takes attribute: [names] or attribute: { name: value }", d.item.pos, d.item.offset, false);
  model::Arg options = literal(*d.item.items[0], "", d.constants);
  std::string prefix, suffix;
  auto affix = [](const model::Arg& value, const std::string& attribute) {
    if (value.kind == model::Arg::Kind::Bool) return value.to_value() == Value(true) ? attribute : std::string();
    return value.text;
  };
  std::vector<model::ModelDecl::Enum> enums;
  for (const auto& [key, value] : options.hash) {
    if (key == "_prefix" || key == "_suffix") continue;
    model::ModelDecl::Enum e{key, {}, "", "", d.at};
    if (value.kind == model::Arg::Kind::Array)
      for (size_t i = 0; i < value.items.size(); ++i) e.values.push_back({value.items[i].text, model::Arg::integer(static_cast<std::int64_t>(i))});
    else if (value.kind == model::Arg::Kind::Hash)
      e.values = value.hash;
    else
      throw SyntaxError("enum " + key + ": takes [names] or { name: value }", d.item.pos, d.item.offset, false);
    enums.push_back(std::move(e));
  }
  for (auto& e : enums) {
    for (const auto& [key, value] : options.hash) {
      if (key == "_prefix" && !affix(value, e.attribute).empty()) e.prefix = affix(value, e.attribute) + "_";
      if (key == "_suffix" && !affix(value, e.attribute).empty()) e.suffix = "_" + affix(value, e.attribute);
    }
    d.decl.enums.push_back(std::move(e));
  }
}

// devise :database_authenticatable, has_one_attached :avatar: a gem's, said once at start.
void gem(const Declaring& d) {
  d.notes.push_back(passed_over(d.at.file, d.item.pos, fmt::format("`{}` comes from the {} gem, which fwitter does "
                                                                   "not stand in for; the rest of {} loads",
                                                                   d.item.name, d.verb.gem, d.decl.name)));
}

// include and extend (their methods come in define_methods), require (the
// files are read already), private and the like (define_methods reads them).
void nothing(const Declaring&) {}

}  // namespace

// validates_presence_of :a, :b, message: "..." as validates :a, :b, presence: {...}:
// the options of every validation stay beside it, the others go to its kind.
bool validates_of(model::ModelDecl& decl, const Node& item, const model::DeclPos& at, const Constants* constants,
                  CodeTable& code) {
  static const std::string prefix = "validates_", suffix = "_of";
  const std::string& verb = item.name;
  std::string kind;
  if (verb == "validates_associated") {  // ActiveRecord's own, without _of
    kind = "associated";
  } else {
    if (verb.size() <= prefix.size() + suffix.size() || verb.rfind(prefix, 0) != 0 ||
        verb.compare(verb.size() - suffix.size(), suffix.size(), suffix) != 0)
      return false;
    kind = verb.substr(prefix.size(), verb.size() - prefix.size() - suffix.size());
  }
  std::vector<std::string> attributes;
  model::Options outer, inner;
  for (const auto& a : item.items) {
    model::Arg arg = literal(*a, "", constants, &code);
    if (arg.kind == model::Arg::Kind::Hash && &a == &item.items.back()) {
      for (auto& kv : arg.hash) (common.count(kv.first) ? outer : inner).push_back(std::move(kv));
    } else if (arg.is_name()) {
      attributes.push_back(arg.text);
    } else {
      throw SyntaxError(verb + " takes :attributes, then key: value options", a->pos, a->offset, false);
    }
  }
  if (attributes.empty()) throw SyntaxError(verb + " takes the :attributes to check", item.pos, item.offset, false);
  outer.push_back({kind, inner.empty() ? model::Arg::boolean(true) : model::Arg::hash_of(std::move(inner))});
  decl.validates(attributes, outer, at);
  return true;
}

Handler handler(model::VerbKind kind) {
  using K = model::VerbKind;
  static const std::map<K, Handler> handlers = {
      {K::Association, association}, {K::Validates, validates}, {K::Delegate, delegate}, {K::Scope, scope},
      {K::Callback, callback}, {K::SecurePassword, secure_password}, {K::DefaultScope, default_scope},
      {K::NestedAttributes, nested_attributes}, {K::Accessor, accessor}, {K::Include, nothing}, {K::Require, nothing},
      {K::Validate, validate}, {K::Visibility, nothing}, {K::Alias, nothing}, {K::Enum, enum_}, {K::Gem, gem}};
  auto it = handlers.find(kind);
  return it == handlers.end() ? nullptr : it->second;
}

}  // namespace fw::lang

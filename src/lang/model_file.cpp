#include "lang/model_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/interpreter.hpp"
#include "lang/parser.hpp"
#include "model/declaration_verbs.hpp"

namespace fw::lang {

// A declaration's arguments are literals; anything else is refused. `key` is
// the hash key the value belongs to ("through"), for the message.
model::Arg literal(const Node& n, const std::string& key) {
  using model::Arg;
  switch (n.kind) {
    case Node::Kind::Nil: return Arg{};
    case Node::Kind::True: return Arg::boolean(true);
    case Node::Kind::False: return Arg::boolean(false);
    case Node::Kind::Integer: {
      auto v = parse_int(n.text);
      if (!v) throw SyntaxError("integer " + n.text + " is too large", n.pos, n.offset, false);
      return Arg::integer(*v);
    }
    case Node::Kind::Float: {
      Arg a;
      a.kind = Arg::Kind::Float;
      a.scalar = parse_float(n.text).value_or(0.0);
      return a;
    }
    case Node::Kind::String: return Arg::string(n.text);
    case Node::Kind::Symbol: return Arg::symbol(n.text);
    case Node::Kind::Regex: return Arg::regex(n.text, n.flags);
    case Node::Kind::Array: {
      std::vector<Arg> items;
      for (const auto& i : n.items) items.push_back(literal(*i));
      return Arg::array(std::move(items));
    }
    case Node::Kind::Hash: {
      std::vector<std::pair<std::string, Arg>> items;
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
        Arg key = literal(*n.items[i]);
        if (!key.is_name()) throw SyntaxError("a declaration's keys are names (key: value)", n.items[i]->pos, n.items[i]->offset, false);
        items.push_back({key.text, literal(*n.items[i + 1], key.text)});
      }
      return Arg::hash_of(std::move(items));
    }
    case Node::Kind::Variable: {
      // through: user_items, the course's classic slip: a name where a symbol belongs
      std::string written = key.empty() ? ":" + n.name : key + ": :" + n.name;
      throw SyntaxError(fmt::format("`{}` is a bare name, which a declaration cannot use; names are symbols here: "
                                    "did you mean `{}`?", n.name, written),
                        n.pos, n.offset, false);
    }
    case Node::Kind::Constant: {
      std::string written = key.empty() ? "\"" + n.name + "\"" : key + ": \"" + n.name + "\"";
      throw SyntaxError(fmt::format("`{}` is a constant, which a declaration cannot use; a class is named by a "
                                    "string here: did you mean `{}`?", n.name, written),
                        n.pos, n.offset, false);
    }
    default:
      throw SyntaxError("a declaration takes literal values (:symbols, \"strings\", numbers, [arrays], {hashes}, /regexes/)",
                        n.pos, n.offset, false);
  }
}

namespace {

// The interpreter a model layer's call hands a body: the runtime's own, or
// the one that called a scope.
Interpreter& interpreter_of(model::Evaluator& evaluator) {
  if (auto* interpreter = dynamic_cast<Interpreter*>(&evaluator)) return *interpreter;
  throw fw::Error("the models' scopes and callbacks run in a runtime (lang::Runtime), and this store has none");
}

// before_save :normalize (a def of the class body), or before_save { |record| ... }.
void add_callback(model::ModelDecl& decl, model::CallbackKind kind, const Node& item,
                  const std::map<std::string, const Node*>& methods, const model::DeclPos& at) {
  std::string verb = model::callback_name(kind);
  model::Options options;
  std::vector<const Node*> names;
  for (const auto& a : item.items) {
    if (a->kind == Node::Kind::Symbol || a->kind == Node::Kind::String) names.push_back(a.get());
    else if (a->kind == Node::Kind::Hash && &a == &item.items.back()) options = literal(*a).hash;
    else throw SyntaxError(verb + " takes :method_names or a block", a->pos, a->offset, false);
  }
  if (item.block) {
    if (item.block->kind != Node::Kind::Block || !names.empty())
      throw SyntaxError(verb + " takes :method_names or a block, not both", item.pos, item.offset, false);
    const Node* body = item.block->items[0].get();
    std::vector<std::string> params = item.block->params;
    decl.callback(kind, [body, params, file = at.file](model::Evaluator& e, model::Record& r) {
      return interpreter_of(e).run_callback(*body, params, r, file);
    }, "", at, options);
    return;
  }
  if (names.empty()) throw SyntaxError(verb + " takes :method_names or a block", item.pos, item.offset, false);
  for (const Node* n : names) {
    auto it = methods.find(n->text);
    if (it == methods.end()) {
      std::vector<std::string> known;
      for (const auto& [name, def] : methods) known.push_back(name);
      throw SyntaxError(verb + " :" + n->text + ": class " + decl.name + " defines no method " + n->text +
                            " (def " + n->text + " ... end in the class body)." + suggestion_suffix(n->text, known),
                        n->pos, n->offset, false);
    }
    const Node* def = it->second;
    if (!def->params.empty())
      throw SyntaxError(verb + " :" + n->text + ": a callback method takes no arguments", def->pos, def->offset, false);
    const Node* body = def->items[0].get();
    decl.callback(kind, [body, file = at.file](model::Evaluator& e, model::Record& r) {
      return interpreter_of(e).run_callback(*body, {}, r, file);
    }, n->text, at, options);
  }
}

}  // namespace

namespace {

// require "bcrypt", require_relative "../concerns/slugifiable": the files are
// read already, and the gems are what fwitter stands in for.
bool is_require(const Node& n) {
  if ((n.kind != Node::Kind::Call && n.kind != Node::Kind::Variable) || n.receiver) return false;
  const model::DeclarationVerb* verb = model::find_declaration_verb(n.name, true);
  return verb && verb->kind == model::VerbKind::Require;
}

// What a learner's app has that fwitter passes over, as "FILE:LINE:COL: note: passed over: ...".
std::string passed_over(const std::string& path, SourcePos pos, const std::string& what) {
  return fmt::format("{}:{}:{}: note: passed over: {}", path, pos.line, pos.column, what);
}

// A gem a require names that fwitter does not stand in for (the app's own
// files, by path or require_relative, are read already).
std::optional<std::string> unknown_gem(const Node& n) {
  if (n.name != "require" || n.items.size() != 1 || n.items[0]->kind != Node::Kind::String) return std::nullopt;
  const std::string& name = n.items[0]->text;
  static const std::vector<std::string> known = {"bcrypt", "active_record", "activerecord", "sinatra", "sinatra/base",
                                                 "sinatra/activerecord", "sinatra/flash", "rack-flash", "pry",
                                                 "bundler/setup", "bundler", "require_all", "securerandom", "json",
                                                 "date", "time", "active_support", "active_support/all", "rails/all"};
  if (std::find(known.begin(), known.end(), name) != known.end()) return std::nullopt;
  for (const char* own : {"./", "../", "/", "app/", "config/", "lib/", "concerns/", "models/"})
    if (name.rfind(own, 0) == 0) return std::nullopt;
  return name;
}

// validates_presence_of :a, :b, message: "..." as validates :a, :b, presence: {...}:
// the options of every validation stay beside it, the others go to its kind.
bool validates_of(model::ModelDecl& decl, const Node& item, const model::DeclPos& at) {
  static const std::string prefix = "validates_", suffix = "_of";
  const std::string& verb = item.name;
  if (verb.size() <= prefix.size() + suffix.size() || verb.rfind(prefix, 0) != 0 ||
      verb.compare(verb.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  std::string kind = verb.substr(prefix.size(), verb.size() - prefix.size() - suffix.size());
  static const std::set<std::string> common = {"message", "on", "allow_nil", "allow_blank", "if", "unless", "strict"};
  std::vector<std::string> attributes;
  model::Options outer, inner;
  for (const auto& a : item.items) {
    model::Arg arg = literal(*a);
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

// Names given to attr_accessor and the like.
std::vector<std::string> symbol_names(const Node& item) {
  std::vector<std::string> names;
  for (const auto& a : item.items) {
    model::Arg arg = literal(*a);
    if (!arg.is_name()) throw SyntaxError(item.name + " takes :names", a->pos, a->offset, false);
    names.push_back(arg.text);
  }
  return names;
}

}  // namespace

namespace {

using Methods = std::map<std::string, const Node*>;

// A call of a class body, as its verb's handler reads it.
struct Declaring {
  model::ModelDecl& decl;
  const Node& item;
  const model::DeclPos& at;
  const model::DeclarationVerb& verb;
  const Methods& methods;  // the class's defs, which callbacks name
};

// A call's arguments: :names, then key: value options, and at most one lambda.
struct CallArgs {
  std::vector<std::string> names;
  model::Options options;
  const Node* lambda = nullptr;
};

CallArgs call_args(const Node& item) {
  const std::string& verb = item.name;
  if (item.block) throw SyntaxError(verb + " takes no block", item.block->pos, item.block->offset, false);
  CallArgs out;
  for (const auto& a : item.items) {
    if (a->kind == Node::Kind::Lambda) {
      if (out.lambda) throw SyntaxError(verb + " takes one lambda", a->pos, a->offset, false);
      out.lambda = a.get();
      continue;
    }
    model::Arg arg = literal(*a);
    if (arg.kind == model::Arg::Kind::Hash && &a == &item.items.back()) out.options = arg.hash;
    else if (arg.is_name()) out.names.push_back(arg.text);
    else throw SyntaxError(verb + " takes :names, then key: value options", a->pos, a->offset, false);
  }
  return out;
}

// has_many :books, dependent: :destroy; with a lambda, its scope, which may take the owner.
void association(const Declaring& d) {
  const std::string& verb = d.item.name;
  CallArgs args = call_args(d.item);
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
    d.decl.scoped_by_owner(
        d.verb.macro, one_name(),
        [body, params](model::Evaluator& e, const model::Relation& r, const model::RecordPtr& owner) {
          return interpreter_of(e).run_scope(*body, r, params, {std::any(Object::record(owner))});
        },
        args.options, d.at);
    return;
  }
  model::ScopeBody scope;
  if (lambda)  // has_many :books, -> { order(published_at: :desc) }
    scope = [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); };
  d.decl.scoped(d.verb.macro, one_name(), std::move(scope), args.options, d.at);
}

void validates(const Declaring& d) {
  CallArgs args = call_args(d.item);
  if (args.lambda) throw SyntaxError("validates takes no lambda", args.lambda->pos, args.lambda->offset, false);
  if (args.names.empty()) throw SyntaxError("validates takes the :attributes to check", d.item.pos, d.item.offset, false);
  d.decl.validates(args.names, args.options, d.at);
}

void delegate(const Declaring& d) {
  CallArgs args = call_args(d.item);
  if (args.lambda) throw SyntaxError("delegate takes no lambda", args.lambda->pos, args.lambda->offset, false);
  if (args.names.empty()) throw SyntaxError("delegate takes the :methods to pass on", d.item.pos, d.item.offset, false);
  d.decl.delegate(args.names, args.options, d.at);
}

void scope(const Declaring& d) {
  CallArgs args = call_args(d.item);
  if (!args.lambda || args.names.size() != 1 || !args.options.empty())
    throw SyntaxError("scope takes a :name and a lambda: scope :recent, -> { order(created_at: :desc) }", d.item.pos,
                      d.item.offset, false);
  const Node* body = args.lambda->items[0].get();
  if (args.lambda->params.empty()) {
    d.decl.scope(args.names[0], [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); }, d.at);
    return;
  }
  // scope :published_before, ->(date) { where("published_at < ?", date) }
  std::vector<std::string> params = args.lambda->params;
  d.decl.scope_with_args(
      args.names[0], params,
      [body, params](model::Evaluator& e, const model::Relation& r, const model::ScopeArgs& scope_args) {
        return interpreter_of(e).run_scope(*body, r, params, scope_args);
      },
      d.at);
}

void callback(const Declaring& d) { add_callback(d.decl, d.verb.callback, d.item, d.methods, d.at); }

void secure_password(const Declaring& d) {
  std::string attribute = "password";
  bool validations = true;
  for (const auto& a : d.item.items) {
    model::Arg arg = literal(*a);
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
  d.decl.default_scope = [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); };
}

void nested_attributes(const Declaring& d) {
  model::Options options;
  std::vector<std::string> names;
  for (const auto& a : d.item.items) {
    model::Arg arg = literal(*a);
    if (arg.kind == model::Arg::Kind::Hash) options = arg.hash;
    else if (arg.is_name()) names.push_back(arg.text);
  }
  for (const auto& name : names) d.decl.nested_attributes.push_back({name, options, d.at});
}

void accessor(const Declaring& d) {
  for (auto& name : symbol_names(d.item)) d.decl.virtual_attributes.push_back(name);
}

// include and extend (their methods come in define_methods), require (the files are read already).
void nothing(const Declaring&) {}

using Handler = void (*)(const Declaring&);

Handler handler(model::VerbKind kind) {
  using K = model::VerbKind;
  static const std::map<K, Handler> handlers = {
      {K::Association, association}, {K::Validates, validates}, {K::Delegate, delegate}, {K::Scope, scope},
      {K::Callback, callback}, {K::SecurePassword, secure_password}, {K::DefaultScope, default_scope},
      {K::NestedAttributes, nested_attributes}, {K::Accessor, accessor}, {K::Include, nothing}, {K::Require, nothing}};
  auto it = handlers.find(kind);
  return it == handlers.end() ? nullptr : it->second;
}

}  // namespace

// One item of a class body: a form of its own (self.table_name =; in Ruby,
// self.abstract_class = and constants, defined with the methods), or a call
// its verb's handler reads; validates_*_of in Ruby.
void ModelFile::declaration(model::ModelDecl& decl, const Node& item, const model::DeclPos& at,
                            const std::map<std::string, const Node*>& methods) const {
  bool self_assign = item.kind == Node::Kind::AttrAssign && item.receiver->kind == Node::Kind::Self;
  if (ruby_ && self_assign && item.name == "abstract_class") return;
  if (ruby_ && item.kind == Node::Kind::Assign && item.flags == "constant") return;
  if (self_assign && item.name == "table_name") {
    model::Arg name = literal(*item.items[0]);
    if (!name.is_name()) throw SyntaxError("self.table_name takes a string", item.pos, item.offset, false);
    decl.set_table_name(name.text, at);
    return;
  }
  bool call = (item.kind == Node::Kind::Call || item.kind == Node::Kind::Variable) && !item.receiver;
  if (!call && ruby_) {
    notes_.push_back(passed_over(at.file, item.pos, "fwitter runs the declarations and methods of a "
                                                    "class body, and this is neither; the rest of " + decl.name + " loads"));
    return;
  }
  if (!call)
    throw SyntaxError("expected a declaration (" + join(model::declaration_names(), ", ") + ")", item.pos, item.offset, false);
  const model::DeclarationVerb* verb = model::find_declaration_verb(item.name, ruby_);
  if (Handler handle = verb ? handler(verb->kind) : nullptr) return handle({decl, item, at, *verb, methods});
  if (ruby_ && validates_of(decl, item, at)) return;
  if (ruby_)
    notes_.push_back(passed_over(at.file, item.pos, fmt::format("fwitter does not run `{}` in a class "
                                                                "body; the rest of {} loads", item.name, decl.name)));
  else
    throw SyntaxError("unknown declaration '" + item.name + "' in class " + decl.name + "." +
                          suggestion_suffix(item.name, model::declaration_names()),
                      item.pos, item.offset, false);
}

ModelFile::ModelFile(std::string path, const std::string& text) {
  std::vector<std::string> problems;
  read(path, text, problems);
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
}

ModelFile::ModelFile(const std::vector<storage::SourceFile>& files, bool belongs_to_required)
    : ruby_(true), belongs_to_required_(belongs_to_required) {
  for (const auto& f : files) read(f.path, f.text, notes_);
}

void ModelFile::read(const std::string& path, const std::string& text, std::vector<std::string>& problems) {
  Parser parser(text);
  for (;;) {
    try {
      NodePtr statement = parser.next_statement();
      if (!statement) break;
      if (ruby_ && is_require(*statement)) {
        if (auto gem = unknown_gem(*statement))
          problems.push_back(passed_over(path, statement->pos, fmt::format(
              "require \"{}\": fwitter stands in for bcrypt, active_record, sinatra and pry, not {}; a "
              "method that uses it fails when it is called", *gem, *gem)));
        continue;
      }
      if (statement->kind != Node::Kind::ClassDef && !(ruby_ && statement->kind == Node::Kind::ModuleDef)) {
        problems.push_back(ruby_ ? passed_over(path, statement->pos, "fwitter reads the classes and modules "
                                                                    "of a model file, and this is neither")
                                 : diagnostic(path, statement->pos, "a models file holds class declarations only (class User ... end)"));
        continue;
      }
      keep(std::move(statement), path, "");
    } catch (const SyntaxError& e) {
      problems.push_back(diagnostic(path, e.pos, e.what()) + "\n" +
                         caret_lines(parser.lexer().line_at(e.offset), e.pos).substr(0, std::string::npos));
      if (e.incomplete) break;
    }
  }
}

// A model class, an abstract one, a plain Ruby class or a module (and the
// modules inside it, by their full names).
void ModelFile::keep(NodePtr statement, const std::string& path, const std::string& prefix) {
  const Node* n = statement.get();
  trees_.push_back(std::move(statement));
  if (n->kind == Node::Kind::ModuleDef) {
    std::string name = prefix + n->name;
    modules_[name] = {n, path};
    for (const auto& item : n->items)
      if (item->kind == Node::Kind::ModuleDef) modules_[name + "::" + item->name] = {item.get(), path};
    return;
  }
  bool abstract = n->name == "ApplicationRecord";
  for (const auto& item : n->items)
    if (item->kind == Node::Kind::AttrAssign && item->receiver->kind == Node::Kind::Self && item->name == "abstract_class")
      abstract = true;
  if (!ruby_ || (abstract && n->text == "ActiveRecord::Base")) {
    (abstract && ruby_ ? abstract_ : classes_).push_back({n, path});
    return;
  }
  if (!is_model(*n)) {
    notes_.push_back(passed_over(path, n->pos, fmt::format("class {} is not an ActiveRecord model (it does not "
                                                          "inherit from ActiveRecord::Base or ApplicationRecord)", n->name)));
    return;
  }
  (abstract ? abstract_ : classes_).push_back({n, path});
}

bool ModelFile::is_model(const Node& cls) const {
  if (cls.text == "ActiveRecord::Base") return true;
  for (const auto& a : abstract_)
    if (a.node->name == cls.text) return true;
  return cls.text == "ApplicationRecord";
}

std::vector<std::string> ModelFile::notes() const { return notes_; }

std::vector<model::ModelDecl> ModelFile::declarations() const {
  std::vector<model::ModelDecl> out;
  std::vector<std::string> problems;
  for (const auto& source : classes_) {
    const Node* cls = source.node;
    const std::string& path = source.path;
    model::ModelDecl decl(cls->name, {path, cls->pos});
    decl.belongs_to_required = belongs_to_required_;
    std::map<std::string, const Node*> methods;  // def name ... end: what callbacks name
    for (const auto& item : cls->items)
      if (item->kind == Node::Kind::Def && !item->receiver) methods[item->name] = item.get();
    for (const auto& item : cls->items) {
      if (item->kind == Node::Kind::Def) continue;
      try {
        declaration(decl, *item, {path, item->pos}, methods);
      } catch (const SyntaxError& e) {
        problems.push_back(diagnostic(path, e.pos, e.what()));
      }
    }
    out.push_back(std::move(decl));
  }
  if (ruby_) {  // a learner's app opens with what loads; the rest is said at start
    for (auto& p : problems) notes_.push_back(std::move(p));
    return out;
  }
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
  return out;
}

}  // namespace fw::lang

namespace fw::lang {

void ModelFile::define_methods(Interpreter& interpreter, const model::App& app) const {
  // Each def of a class or module body, or of a concern's class_methods block.
  auto define_all = [&](const model::ModelClass& model, const Source& owner, bool as_class_methods) {
    for (const auto& item : owner.node->items) {
      if (item->kind == Node::Kind::Def)
        interpreter.define_method(model, *item, as_class_methods || item->receiver, owner.path);
      if (item->kind == Node::Kind::Call && !item->receiver && item->name == "class_methods" && item->block &&
          item->block->kind == Node::Kind::Block)
        for (const auto& inner : item->block->items[0]->items)
          if (inner->kind == Node::Kind::Def) interpreter.define_method(model, *inner, true, owner.path);
    }
  };
  for (const auto& source : classes_) {
    const Node* cls = source.node;
    const model::ModelClass* model = app.find(cls->name);
    if (!model) continue;
    // Ruby's lookup, weakest first: the abstract superclass, the modules, the class's own defs.
    for (const auto& a : abstract_)
      if (a.node->name == cls->text) define_all(*model, a, false);
    for (const auto& item : cls->items) {
      if (item->kind != Node::Kind::Call || item->receiver || (item->name != "include" && item->name != "extend")) continue;
      for (const auto& arg : item->items) {
        if (arg->kind != Node::Kind::Constant) continue;
        auto it = modules_.find(arg->name);
        if (it == modules_.end()) {
          notes_.push_back(passed_over(source.path, arg->pos, fmt::format("{} {}: no module {} in app/models or lib",
                                                                         item->name, arg->name, arg->name)));
          continue;
        }
        define_all(*model, it->second, item->name == "extend");
      }
    }
    define_all(*model, source, false);
    for (const auto& item : cls->items) {  // KINDS = %w[a b]: Tag::KINDS, and KINDS inside Tag's methods
      if (item->kind != Node::Kind::Assign || item->flags != "constant") continue;
      try {
        interpreter.define_constant(cls->name + "::" + item->name, interpreter.evaluate(*item->items[0]));
      } catch (const fw::Error& e) {
        notes_.push_back(diagnostic(source.path, item->pos, e.what()));
      }
    }
  }
}

}  // namespace fw::lang

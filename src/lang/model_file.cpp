#include "lang/model_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/interpreter.hpp"
#include "lang/parser.hpp"

namespace fw::lang {

namespace {

const std::vector<std::string>& declaration_names() {
  static const std::vector<std::string> names = {"belongs_to", "has_many", "has_one", "has_and_belongs_to_many",
                                                 "validates", "delegate", "scope", "self.table_name =",
                                                 "before_validation", "after_validation", "before_save", "after_save",
                                                 "before_create", "after_create", "before_update", "after_update",
                                                 "before_destroy", "after_destroy", "after_commit", "after_create_commit",
                                                 "after_update_commit", "after_destroy_commit", "after_save_commit",
                                                 "after_rollback", "def"};
  return names;
}

std::optional<model::CallbackKind> callback_kind(const std::string& verb) {
  using K = model::CallbackKind;
  static const std::vector<std::pair<std::string, K>> kinds = {
      {"before_validation", K::BeforeValidation}, {"after_validation", K::AfterValidation},
      {"before_save", K::BeforeSave}, {"after_save", K::AfterSave}, {"before_create", K::BeforeCreate},
      {"after_create", K::AfterCreate}, {"before_update", K::BeforeUpdate}, {"after_update", K::AfterUpdate},
      {"before_destroy", K::BeforeDestroy}, {"after_destroy", K::AfterDestroy}, {"after_commit", K::AfterCommit},
      {"after_create_commit", K::AfterCreateCommit}, {"after_update_commit", K::AfterUpdateCommit},
      {"after_destroy_commit", K::AfterDestroyCommit}, {"after_save_commit", K::AfterSaveCommit},
      {"after_rollback", K::AfterRollback}};
  for (const auto& [name, kind] : kinds)
    if (name == verb) return kind;
  return std::nullopt;
}

std::optional<model::Macro> association_macro(const std::string& verb) {
  if (verb == "belongs_to") return model::Macro::BelongsTo;
  if (verb == "has_many") return model::Macro::HasMany;
  if (verb == "has_one") return model::Macro::HasOne;
  if (verb == "has_and_belongs_to_many") return model::Macro::HasAndBelongsToMany;
  return std::nullopt;
}

}  // namespace

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
  return (n.kind == Node::Kind::Call || n.kind == Node::Kind::Variable) && !n.receiver &&
         (n.name == "require" || n.name == "require_relative" || n.name == "require_all" || n.name == "load");
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

// A Ruby class body's own forms: has_secure_password, validates_*_of,
// attr_accessor, include/extend (their methods come in define_methods),
// self.abstract_class =. True when `item` was one.
bool ModelFile::ruby_declaration(model::ModelDecl& decl, const Node& item, const model::DeclPos& at) const {
  if (item.kind == Node::Kind::AttrAssign && item.receiver->kind == Node::Kind::Self && item.name == "abstract_class")
    return true;
  if (item.kind == Node::Kind::Assign && item.flags == "constant") return true;  // defined with the methods
  if ((item.kind != Node::Kind::Call && item.kind != Node::Kind::Variable) || item.receiver) return false;
  const std::string& verb = item.name;
  if (is_require(item) || verb == "include" || verb == "extend") return true;
  if (verb == "has_secure_password") {
    std::string attribute = "password";
    bool validations = true;
    for (const auto& a : item.items) {
      model::Arg arg = literal(*a);
      if (arg.is_name()) attribute = arg.text;
      else if (arg.kind == model::Arg::Kind::Hash)
        for (const auto& [key, value] : arg.hash) {
          if (key == "validations") validations = value.to_value() != Value(false);
          else throw SyntaxError("has_secure_password: unknown option " + key + ":", a->pos, a->offset, false);
        }
    }
    decl.secure_password(attribute, validations, at);
    return true;
  }
  if (verb == "default_scope") {  // default_scope { order(...) } or default_scope -> { ... }
    const Node* body = item.block && item.block->kind == Node::Kind::Block ? item.block->items[0].get() : nullptr;
    if (!body && item.items.size() == 1 && item.items[0]->kind == Node::Kind::Lambda) body = item.items[0]->items[0].get();
    if (!body) throw SyntaxError("default_scope takes a block or a lambda: default_scope { order(created_at: :desc) }",
                                 item.pos, item.offset, false);
    decl.default_scope = [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); };
    return true;
  }
  if (verb == "accepts_nested_attributes_for") {
    model::Options options;
    std::vector<std::string> names;
    for (const auto& a : item.items) {
      model::Arg arg = literal(*a);
      if (arg.kind == model::Arg::Kind::Hash) options = arg.hash;
      else if (arg.is_name()) names.push_back(arg.text);
    }
    for (const auto& name : names) decl.nested_attributes.push_back({name, options, at});
    return true;
  }
  if (verb == "attr_accessor" || verb == "attr_reader" || verb == "attr_writer") {
    for (auto& name : symbol_names(item)) decl.virtual_attributes.push_back(name);
    return true;
  }
  return validates_of(decl, item, at);
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
      model::DeclPos at{path, item->pos};
      if (item->kind == Node::Kind::Def) continue;
      try {
        if (ruby_ && ruby_declaration(decl, *item, at)) continue;
        if (item->kind == Node::Kind::AttrAssign && item->receiver->kind == Node::Kind::Self && item->name == "table_name") {
          model::Arg name = literal(*item->items[0]);
          if (!name.is_name()) throw SyntaxError("self.table_name takes a string", item->pos, item->offset, false);
          decl.set_table_name(name.text, at);
          continue;
        }
        if (((item->kind != Node::Kind::Call && item->kind != Node::Kind::Variable) || item->receiver) && ruby_) {
          notes_.push_back(passed_over(path, item->pos, "fwitter runs the declarations and methods of a "
                                                       "class body, and this is neither; the rest of " + cls->name + " loads"));
          continue;
        }
        if ((item->kind != Node::Kind::Call && item->kind != Node::Kind::Variable) || item->receiver)
          throw SyntaxError("expected a declaration (" + join(declaration_names(), ", ") + ")", item->pos, item->offset, false);
        const std::string& verb = item->name;
        if (auto kind = callback_kind(verb)) {
          add_callback(decl, *kind, *item, methods, at);
          continue;
        }
        const auto& known = declaration_names();
        if (item->block && std::find(known.begin(), known.end(), verb) != known.end())
          throw SyntaxError(verb + " takes no block", item->block->pos, item->block->offset, false);
        std::vector<model::Arg> names;
        model::Options options;
        const Node* lambda = nullptr;
        for (const auto& a : item->items) {
          if (a->kind == Node::Kind::Lambda) {
            if (lambda) throw SyntaxError(verb + " takes one lambda", a->pos, a->offset, false);
            lambda = a.get();
            continue;
          }
          model::Arg arg = literal(*a);
          if (arg.kind == model::Arg::Kind::Hash && &a == &item->items.back()) options = arg.hash;
          else if (arg.is_name()) names.push_back(arg);
          else throw SyntaxError(verb + " takes :names, then key: value options", a->pos, a->offset, false);
        }
        std::vector<std::string> texts;
        for (const auto& n : names) texts.push_back(n.text);
        auto one_name = [&]() {
          if (texts.size() != 1) throw SyntaxError(verb + " takes one :name", item->pos, item->offset, false);
          return texts[0];
        };
        auto macro = association_macro(verb);
        if (macro) {
          model::ScopeBody scope;
          const Node* body = lambda ? lambda->items[0].get() : nullptr;
          if (lambda && !lambda->params.empty()) {  // has_many :own_books, ->(author) { where(title: author.name) }
            if (lambda->params.size() > 1)
              throw SyntaxError(verb + " :" + one_name() + ": an association's scope takes at most one parameter, the owner (->(" +
                                    lambda->params[0] + ") { ... })",
                                lambda->pos, lambda->offset, false);
            std::vector<std::string> params = lambda->params;
            decl.scoped_by_owner(
                *macro, one_name(),
                [body, params](model::Evaluator& e, const model::Relation& r, const model::RecordPtr& owner) {
                  return interpreter_of(e).run_scope(*body, r, params, {std::any(Object::record(owner))});
                },
                options, at);
            continue;
          }
          if (lambda)  // has_many :books, -> { order(published_at: :desc) }
            scope = [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); };
          decl.scoped(*macro, one_name(), std::move(scope), options, at);
        } else if (lambda && (verb == "validates" || verb == "delegate")) {
          throw SyntaxError(verb + " takes no lambda", lambda->pos, lambda->offset, false);
        } else if (verb == "validates") {
          if (texts.empty()) throw SyntaxError("validates takes the :attributes to check", item->pos, item->offset, false);
          decl.validates(texts, options, at);
        } else if (verb == "delegate") {
          if (texts.empty()) throw SyntaxError("delegate takes the :methods to pass on", item->pos, item->offset, false);
          decl.delegate(texts, options, at);
        } else if (verb == "scope") {
          if (!lambda || texts.size() != 1 || !options.empty())
            throw SyntaxError("scope takes a :name and a lambda: scope :recent, -> { order(created_at: :desc) }", item->pos, item->offset, false);
          const Node* body = lambda->items[0].get();
          if (lambda->params.empty()) {
            decl.scope(texts[0], [body](model::Evaluator& e, const model::Relation& r) { return interpreter_of(e).run_scope(*body, r); }, at);
          } else {  // scope :published_before, ->(date) { where("published_at < ?", date) }
            std::vector<std::string> params = lambda->params;
            decl.scope_with_args(
                texts[0], params,
                [body, params](model::Evaluator& e, const model::Relation& r, const model::ScopeArgs& args) {
                  return interpreter_of(e).run_scope(*body, r, params, args);
                },
                at);
          }
        } else if (ruby_) {
          notes_.push_back(passed_over(path, item->pos, fmt::format("fwitter does not run `{}` in a class "
                                                                   "body; the rest of {} loads", verb, cls->name)));
        } else {
          throw SyntaxError("unknown declaration '" + verb + "' in class " + cls->name + "." +
                                suggestion_suffix(verb, declaration_names()),
                            item->pos, item->offset, false);
        }
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

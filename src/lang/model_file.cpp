#include "lang/model_file.hpp"

#include "lang/class_body_verbs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/interpreter.hpp"
#include "lang/parser.hpp"
#include "model/declaration_verbs.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

namespace {


// if: :activated?, unless: -> { admin? }: run on the record when the validation or callback is.
model::Arg condition(const Node& n, const std::string& key, CodeTable* code) {
  if (!code) throw SyntaxError(key + ": takes a method or a lambda in a class body only", n.pos, n.offset, false);
  if (n.kind == Node::Kind::Symbol || n.kind == Node::Kind::String) {
    std::string method = n.text;
    return model::Arg::condition(model::record_code(
        code->add(CodeTable::OnRecord([method](Interpreter& in, model::Record& r) { return in.run_condition(method, r); }))));
  }
  const Node* body = n.items[0].get();
  std::vector<std::string> params = n.params;
  return model::Arg::condition(model::record_code(code->add(CodeTable::OnRecord(
      [body, params](Interpreter& in, model::Record& r) { return in.run_condition(*body, params, r); }))));
}

}  // namespace

// A declaration's arguments are literals, constants of the class body and
// ranges; anything else is refused. `key` is the hash key the value belongs
// to ("through"), for the message.
model::Arg literal(const Node& n, const std::string& key, const Constants* constants, CodeTable* code) {
  using model::Arg;
  if ((key == "if" || key == "unless") &&
      (n.kind == Node::Kind::Symbol || n.kind == Node::Kind::Lambda || n.kind == Node::Kind::String))
    return condition(n, key, code);
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
      for (const auto& i : n.items) items.push_back(literal(*i, key == "if" || key == "unless" ? key : "", constants, code));
      return Arg::array(std::move(items));
    }
    case Node::Kind::Hash: {
      std::vector<std::pair<std::string, Arg>> items;
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
        Arg key = literal(*n.items[i]);
        if (!key.is_name()) throw SyntaxError("a declaration's keys are names (key: value)", n.items[i]->pos, n.items[i]->offset, false);
        items.push_back({key.text, literal(*n.items[i + 1], key.text, constants, code)});
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
    case Node::Kind::Range:
      if (n.items.size() == 2 && n.items[0] && n.items[1])
        return Arg::range(literal(*n.items[0], "", constants), literal(*n.items[1], "", constants), n.exclusive);
      break;
    case Node::Kind::Constant: {
      if (const Node* value = constants ? (*constants)(n.name) : nullptr) {
        static thread_local int following = 0;  // A = B, B = A: followed a few times, then refused
        if (following > 16) break;
        ++following;
        struct Back { ~Back() { --following; } } back;
        return literal(*value, key, constants, code);
      }
      if (const char* source = library_regexp(n.name)) return Arg::regex(source);
      if (constants)  // a Ruby class body: NameError, as Ruby raises it there
        throw SyntaxError("uninitialized constant " + n.name, n.pos, n.offset, false);
      std::string written = key.empty() ? "\"" + n.name + "\"" : key + ": \"" + n.name + "\"";
      throw SyntaxError(fmt::format("`{}` is a constant, which a declaration cannot use; a class is named by a "
                                    "string here: did you mean `{}`?", n.name, written),
                        n.pos, n.offset, false);
    }
    default:
      break;
  }
  throw SyntaxError("a declaration takes literal values (:symbols, \"strings\", numbers, [arrays], {hashes}, /regexes/)",
                    n.pos, n.offset, false);
}


namespace {

// require "bcrypt", require_relative "../concerns/slugifiable": the files are
// read already, and the gems are what fwitter stands in for.
bool is_require(const Node& n) {
  if ((n.kind != Node::Kind::Call && n.kind != Node::Kind::Variable) || n.receiver) return false;
  const model::DeclarationVerb* verb = model::find_declaration_verb(n.name, true);
  return verb && verb->kind == model::VerbKind::Require;
}


// A gem a require names that fwitter does not stand in for (the app's own
// files, by path or require_relative, are read already).
std::optional<std::string> unknown_gem(const Node& n) {
  if (n.name != "require" || n.items.size() != 1 || n.items[0]->kind != Node::Kind::String) return std::nullopt;
  const std::string& name = n.items[0]->text;
  static const std::vector<std::string> known = {"bcrypt", "active_record", "activerecord", "sinatra", "sinatra/base",
                                                 "sinatra/activerecord", "sinatra/flash", "rack-flash", "pry",
                                                 "bundler/setup", "bundler", "require_all", "securerandom", "json",
                                                 "date", "time", "active_support", "active_support/all", "rails/all",
                                                 "digest", "digest/sha1", "digest/sha2", "digest/md5"};
  if (std::find(known.begin(), known.end(), name) != known.end()) return std::nullopt;
  for (const char* own : {"./", "../", "/", "app/", "config/", "lib/", "concerns/", "models/"})
    if (name.rfind(own, 0) == 0) return std::nullopt;
  return name;
}



// class Moderator < User, as written first with a superclass.
const std::string& superclass_of(const Node& cls) { return cls.text; }

}  // namespace

// One item of a class body: a form of its own (self.table_name =; in Ruby,
// self.abstract_class =, self.inheritance_column = and constants, defined with
// the methods), or a call its verb's handler reads; validates_*_of in Ruby.
void ModelFile::declaration(model::ModelDecl& decl, const Node& item, const model::DeclPos& at,
                            const Constants& constants, const Defs& methods) const {
  static const Methods no_methods;
  bool self_assign = item.kind == Node::Kind::AttrAssign && item.receiver->kind == Node::Kind::Self;
  const Constants* ruby_constants = ruby_ ? &constants : nullptr;
  if (ruby_ && self_assign && item.name == "abstract_class") return;
  if (ruby_ && item.kind == Node::Kind::Assign && item.flags == "constant") return;
  if (self_assign && (item.name == "table_name" || (ruby_ && item.name == "inheritance_column"))) {
    model::Arg name = literal(*item.items[0], "", ruby_constants);
    if (!name.is_name()) throw SyntaxError("self." + item.name + " takes a string", item.pos, item.offset, false);
    if (item.name == "table_name") decl.set_table_name(name.text, at);
    else decl.inheritance_column = name.text;
    return;
  }
  if (!is_call(item) && ruby_) {
    notes_.push_back(passed_over(at.file, item.pos, "fwitter runs the declarations and methods of a "
                                                    "class body, and this is neither; the rest of " + decl.name + " loads"));
    return;
  }
  if (!is_call(item))
    throw SyntaxError("expected a declaration (" + join(model::declaration_names(), ", ") + ")", item.pos, item.offset, false);
  const model::DeclarationVerb* verb = model::find_declaration_verb(item.name, ruby_);
  if (Handler handle = verb ? handler(verb->kind) : nullptr)
    return handle({decl, item, at, *verb, methods, ruby_constants, notes_, validator_classes_, code_});
  if (ruby_ && validates_of(decl, item, at, ruby_constants, code_)) return;
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
  classify();
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
}

ModelFile::ModelFile(const std::vector<storage::SourceFile>& files, bool belongs_to_required)
    : ruby_(true), belongs_to_required_(belongs_to_required) {
  for (const auto& f : files) read(f.path, f.text, notes_);
  classify();
}

void ModelFile::read(const std::string& path, const std::string& text, std::vector<std::string>& problems) {
  Parser parser(text);
  if (ruby_) texts_[path] = text;
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
      if (ruby_ && statement->kind == Node::Kind::Assign && statement->flags == "constant") {  // APP_NAME = "..."
        top_constants_[statement->name] = {statement.get(), path};
        trees_.push_back(std::move(statement));
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
      if (ruby_) failed_.push_back({path, fmt::format("{}:{}:{}: {}", path, e.pos.line, e.pos.column, e.what())});
      if (e.incomplete) break;
    }
  }
}

// A class (kept for classify), or a module (and the modules inside it, by their full names).
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
  classes_.push_back({n, path});
}

ModelFile::Model* ModelFile::model_named(const std::string& name) {
  for (auto& m : models_)
    if (m.name == name) return &m;
  return nullptr;
}

const ModelFile::Model* ModelFile::model_named(const std::string& name) const {
  return const_cast<ModelFile*>(this)->model_named(name);
}

// Which classes are models, once every file is read (a file may name a
// superclass another file defines): those that inherit ActiveRecord::Base,
// an abstract class (ApplicationRecord) or another model (single-table
// inheritance); a class written again without a superclass reopens its model.
void ModelFile::classify() {
  if (!ruby_) {  // db/models.fw: every class is a model
    for (const auto& c : classes_) models_.push_back({c.node->name, "", {c}, ""});
    return;
  }
  auto is_abstract = [](const Node& cls) {
    if (cls.name == "ApplicationRecord") return true;
    for (const auto& item : cls.items)
      if (item->kind == Node::Kind::AttrAssign && item->receiver->kind == Node::Kind::Self && item->name == "abstract_class")
        return true;
    return false;
  };
  auto abstract_named = [&](const std::string& name) {
    return std::any_of(abstract_.begin(), abstract_.end(), [&](const Source& a) { return a.node->name == name; });
  };
  std::vector<bool> placed(classes_.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < classes_.size(); ++i) {
      if (placed[i]) continue;
      const Source& c = classes_[i];
      const std::string& name = c.node->name;
      const std::string& super = superclass_of(*c.node);
      bool base = super == "ActiveRecord::Base" || super == "ApplicationRecord" || abstract_named(super);
      if (super.empty() && abstract_named(name)) {
        abstract_.push_back(c);
      } else if (base && is_abstract(*c.node)) {
        abstract_.push_back(c);
      } else if (Model* m = model_named(name); m && (super.empty() || super == m->superclass || base)) {
        m->bodies.push_back(c);  // reopened
      } else if (base || model_named(super)) {
        models_.push_back({name, base ? "" : super, {c}, ""});
      } else {
        continue;
      }
      placed[i] = changed = true;
    }
  }
  for (size_t i = 0; i < classes_.size(); ++i) {  // validates :email, email: true finds EmailValidator
    const std::string& super = superclass_of(*classes_[i].node);
    if (!placed[i] && (super == "ActiveModel::EachValidator" || super == "ActiveModel::Validator")) {
      validator_classes_[classes_[i].node->name] = {classes_[i].node, classes_[i].path};
      placed[i] = true;
    }
  }
  for (size_t i = 0; i < classes_.size(); ++i)
    if (!placed[i])
      notes_.push_back(passed_over(classes_[i].path, classes_[i].node->pos,
                                   fmt::format("class {} is not an ActiveRecord model (it does not inherit from "
                                               "ActiveRecord::Base or ApplicationRecord)", classes_[i].node->name)));
  // A model file that did not parse: the class it defines, as its first line
  // names it, stands broken, so what refers to it says why.
  static const std::regex class_line(R"((?:^|\n)[ \t]*class[ \t]+([A-Z][A-Za-z0-9_]*)[ \t]*<[ \t]*([A-Z][A-Za-z0-9_:]*))");
  for (const auto& f : failed_) {
    std::smatch m;
    const std::string& text = texts_[f.path];
    if (!std::regex_search(text, m, class_line) || model_named(m[1].str())) continue;
    std::string super = m[2].str();
    bool base = super == "ActiveRecord::Base" || super == "ApplicationRecord" || abstract_named(super);
    if (!base && !model_named(super)) continue;
    models_.push_back({m[1].str(), base ? "" : super, {}, f.error});
    notes_.push_back(fmt::format("{}: note: {} does not load, as this file did not; a statement that uses it raises "
                                 "this SyntaxError", f.path, m[1].str()));
  }
}

std::vector<std::string> ModelFile::notes() const { return notes_; }

// A constant by its full name: a model's (User::NAME_LIMIT), a module's, or the top level's.
const Node* ModelFile::constant(const std::string& qualified) const {
  auto split = qualified.rfind("::");
  std::string owner = split == std::string::npos ? "" : qualified.substr(0, split);
  std::string name = split == std::string::npos ? qualified : qualified.substr(split + 2);
  auto in_body = [&](const Node& body) -> const Node* {
    for (const auto& item : body.items)
      if (item->kind == Node::Kind::Assign && item->flags == "constant" && item->name == name) return item->items[0].get();
    return nullptr;
  };
  if (owner.empty()) {
    auto it = top_constants_.find(name);
    return it == top_constants_.end() ? nullptr : it->second.node->items[0].get();
  }
  if (const Model* m = model_named(owner)) return constants_of(*m)(name);
  if (auto it = modules_.find(owner); it != modules_.end()) return in_body(*it->second.node);
  for (const auto& a : abstract_)
    if (a.node->name == owner)
      if (const Node* found = in_body(*a.node)) return found;
  return nullptr;
}

// What a class body's NAME resolves to: the class's own constants (any of its
// bodies), its superclass's (abstract or a model's), the modules it
// includes, then the top level's; a qualified name goes to its owner.
Constants ModelFile::constants_of(const Model& m) const {
  return [this, &m](const std::string& name) -> const Node* {
    if (name.find("::") != std::string::npos) return constant(name);
    for (const auto& body : own_and_abstract(m))
      for (auto it = body.node->items.rbegin(); it != body.node->items.rend(); ++it) {  // the strongest first
        const Node& item = **it;
        if (item.kind == Node::Kind::Assign && item.flags == "constant" && item.name == name) return item.items[0].get();
        if (item.kind == Node::Kind::Call && !item.receiver && item.name == "include")
          for (const auto& arg : item.items)
            if (arg->kind == Node::Kind::Constant)
              if (const Node* found = constant(arg->name + "::" + name)) return found;
      }
    if (const Model* parent = m.superclass.empty() ? nullptr : model_named(m.superclass))
      if (parent != &m) return constants_of(*parent)(name);
    return constant(name);
  };
}

// The bodies a model's own declarations and methods come from, weakest first:
// its abstract superclass (ApplicationRecord), then each of its own.
std::vector<ModelFile::Source> ModelFile::own_and_abstract(const Model& m) const {
  std::vector<Source> out;
  std::string super = m.superclass;
  if (super.empty() && !m.bodies.empty()) super = superclass_of(*m.bodies.front().node);
  for (const auto& a : abstract_)
    if (a.node->name == super) out.push_back(a);
  for (const auto& b : m.bodies) out.push_back(b);
  return out;
}

// A body's declarations; a concern it includes brings its `included do ... end` ones at that place.
void ModelFile::declarations_of(model::ModelDecl& decl, const Source& body, const Constants& constants,
                                const Defs& methods) const {
  for (const auto& item : body.node->items) {
    if (item->kind == Node::Kind::Def) continue;
    try {
      declaration(decl, *item, {body.path, item->pos}, constants, methods);
    } catch (const SyntaxError& e) {
      notes_.push_back(diagnostic(body.path, e.pos, e.what()));
    }
    if (!ruby_ || !is_call(*item) || item->name != "include") continue;
    for (const auto& arg : item->items) {
      auto it = arg->kind == Node::Kind::Constant ? modules_.find(arg->name) : modules_.end();
      if (it == modules_.end()) continue;
      for (const auto& inner : it->second.node->items)
        if (is_call(*inner) && inner->name == "included" && inner->block && inner->block->kind == Node::Kind::Block) {
          for (const auto& s : inner->block->items[0]->items) {
            if (s->kind == Node::Kind::Def) continue;
            try {
              declaration(decl, *s, {it->second.path, s->pos}, constants, methods);
            } catch (const SyntaxError& e) {
              notes_.push_back(diagnostic(it->second.path, e.pos, e.what()));
            }
          }
        }
    }
  }
}

std::vector<model::ModelDecl> ModelFile::declarations() const {
  std::vector<model::ModelDecl> out;
  size_t notes_before = notes_.size();
  for (const auto& m : models_) {
    model::DeclPos at = m.bodies.empty() ? model::DeclPos{} : model::DeclPos{m.bodies.front().path, m.bodies.front().node->pos};
    model::ModelDecl decl(m.name, at);
    decl.belongs_to_required = belongs_to_required_;
    decl.superclass = m.superclass;
    if (!m.failed.empty()) {
      decl.broken_class = "SyntaxError";
      decl.broken_message = m.failed;
    }
    Constants constants = constants_of(m);
    Defs methods;  // a models file's callbacks name the defs of its class body
    if (!ruby_)
      for (const auto& body : m.bodies)
        for (const auto& def : body.node->items)
          if (def->kind == Node::Kind::Def && !def->receiver) methods[def->name] = def.get();
    for (const auto& body : own_and_abstract(m))
      if (!ruby_ || body.node->name == m.name) declarations_of(decl, body, constants, methods);
    out.push_back(std::move(decl));
  }
  if (ruby_) return out;  // a learner's app opens with what loads; the rest is said at start
  std::vector<std::string> problems(notes_.begin() + static_cast<std::ptrdiff_t>(notes_before), notes_.end());
  notes_.resize(notes_before);
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
  return out;
}

void ModelFile::define_methods(Interpreter& interpreter, const model::App& app) const {
  using Visibility = Interpreter::Visibility;
  // Each def of a class or module body, or of a concern's class_methods
  // block, with the visibility `private` / `protected` gave the defs after it.
  auto define_all = [&](const model::ModelClass& model, const Source& owner, bool as_class_methods) {
    Visibility visibility = Visibility::Public;
    static const std::map<std::string, Visibility> words = {
        {"private", Visibility::Private}, {"protected", Visibility::Protected}, {"public", Visibility::Public}};
    for (const auto& item : owner.node->items) {
      if (item->kind == Node::Kind::Def) {
        bool class_method = as_class_methods || item->receiver;
        interpreter.define_method(model, *item, class_method, owner.path, class_method ? Visibility::Public : visibility);
        continue;
      }
      if (!is_call(*item)) continue;
      if (auto word = words.find(item->name); word != words.end() && !as_class_methods) {
        if (item->items.empty()) visibility = word->second;  // private: the defs after it
        for (const auto& arg : item->items) {
          if (arg->kind == Node::Kind::Def) {  // private def helper ... end
            interpreter.define_method(model, *arg, false, owner.path, word->second);
          } else if (arg->kind == Node::Kind::Symbol || arg->kind == Node::Kind::String) {  // private :helper
            interpreter.set_visibility(model, arg->text, word->second);
          }
        }
        continue;
      }
      if (item->name == "alias_method" || item->name == "alias") {  // alias_method :headline, :title; alias headline title
        auto name_of = [](const Node& n) { return n.kind == Node::Kind::Symbol || n.kind == Node::Kind::String ? n.text : n.name; };
        if (item->items.size() == 2)
          interpreter.define_alias(model, name_of(*item->items[0]), name_of(*item->items[1]));
        else if (item->items.size() == 1 && item->items[0]->items.size() == 1)  // alias b a, read as b(a)
          interpreter.define_alias(model, item->items[0]->name, name_of(*item->items[0]->items[0]));
        continue;
      }
      if (item->name == "class_methods" && item->block && item->block->kind == Node::Kind::Block)
        for (const auto& inner : item->block->items[0]->items)
          if (inner->kind == Node::Kind::Def) interpreter.define_method(model, *inner, true, owner.path);
    }
  };
  for (const auto& m : models_) {
    const model::ModelClass* model = app.find(m.name);
    if (!model) continue;
    auto sources = own_and_abstract(m);
    // Ruby's lookup, weakest first: the abstract superclass, the modules, the class's own defs.
    for (const auto& source : sources) {
      if (source.node->name != m.name) {
        define_all(*model, source, false);
        continue;
      }
      for (const auto& item : source.node->items) {
        if (!is_call(*item) || (item->name != "include" && item->name != "extend")) continue;
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
    }
    for (const auto& source : sources)
      if (source.node->name == m.name) define_all(*model, source, false);
    for (const auto& source : sources) {  // KINDS = %w[a b]: Tag::KINDS, and KINDS inside Tag's methods
      if (source.node->name != m.name) continue;
      for (const auto& item : source.node->items) {
        if (item->kind != Node::Kind::Assign || item->flags != "constant") continue;
        try {
          interpreter.define_constant(m.name + "::" + item->name, interpreter.evaluate(*item->items[0]));
        } catch (const fw::Error& e) {
          notes_.push_back(diagnostic(source.path, item->pos, e.what()));
        }
      }
    }
  }
  for (const auto& [name, source] : top_constants_) {  // APP_NAME = "..." outside any class
    try {
      interpreter.define_constant(name, interpreter.evaluate(*source.node->items[0]));
    } catch (const fw::Error& e) {
      notes_.push_back(diagnostic(source.path, source.node->pos, e.what()));
    }
  }
}

}  // namespace fw::lang

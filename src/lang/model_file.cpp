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

// A declaration's arguments are literals; anything else is refused. `key` is
// the hash key the value belongs to ("through"), for the message.
model::Arg literal(const Node& n, const std::string& key = "") {
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

// before_save :normalize (a def of the class body), or before_save { |record| ... }.
void add_callback(model::ModelDecl& decl, model::CallbackKind kind, const Node& item,
                  const std::map<std::string, const Node*>& methods, Interpreter*& interpreter, const model::DeclPos& at) {
  Interpreter** slot = &interpreter;
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
    decl.callback(kind, [slot, body, params](model::Record& r) { return (*slot)->run_callback(*body, params, r); },
                  "", at, options);
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
    decl.callback(kind, [slot, body](model::Record& r) { return (*slot)->run_callback(*body, {}, r); }, n->text, at,
                  options);
  }
}

}  // namespace

ModelFile::ModelFile(std::string path, const std::string& text) : path_(std::move(path)) {
  Parser parser(text);
  std::vector<std::string> problems;
  for (;;) {
    try {
      NodePtr statement = parser.next_statement();
      if (!statement) break;
      if (statement->kind != Node::Kind::ClassDef) {
        problems.push_back(diagnostic(path_, statement->pos, "a models file holds class declarations only (class User ... end)"));
        continue;
      }
      classes_.push_back(std::move(statement));
    } catch (const SyntaxError& e) {
      problems.push_back(diagnostic(path_, e.pos, e.what()) + "\n" +
                         caret_lines(parser.lexer().line_at(e.offset), e.pos).substr(0, std::string::npos));
      if (e.incomplete) break;
    }
  }
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
}

std::vector<model::ModelDecl> ModelFile::declarations(Interpreter*& interpreter) const {
  std::vector<model::ModelDecl> out;
  std::vector<std::string> problems;
  for (const auto& cls : classes_) {
    model::ModelDecl decl(cls->name, {path_, cls->pos});
    std::map<std::string, const Node*> methods;  // def name ... end: what callbacks name
    for (const auto& item : cls->items)
      if (item->kind == Node::Kind::Def) methods[item->name] = item.get();
    for (const auto& item : cls->items) {
      model::DeclPos at{path_, item->pos};
      if (item->kind == Node::Kind::Def) continue;
      try {
        if (item->kind == Node::Kind::AttrAssign && item->receiver->kind == Node::Kind::Self && item->name == "table_name") {
          model::Arg name = literal(*item->items[0]);
          if (!name.is_name()) throw SyntaxError("self.table_name takes a string", item->pos, item->offset, false);
          decl.set_table_name(name.text, at);
          continue;
        }
        if ((item->kind != Node::Kind::Call && item->kind != Node::Kind::Variable) || item->receiver)
          throw SyntaxError("expected a declaration (" + join(declaration_names(), ", ") + ")", item->pos, item->offset, false);
        const std::string& verb = item->name;
        if (auto kind = callback_kind(verb)) {
          add_callback(decl, *kind, *item, methods, interpreter, at);
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
        Interpreter** slot = &interpreter;
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
                [slot, body, params](const model::Relation& r, const model::RecordPtr& owner) {
                  return (*slot)->run_scope(*body, r, params, {std::any(Object::record(owner))});
                },
                options, at);
            continue;
          }
          if (lambda)  // has_many :books, -> { order(published_at: :desc) }
            scope = [slot, body](const model::Relation& r) { return (*slot)->run_scope(*body, r); };
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
            decl.scope(texts[0], [slot, body](const model::Relation& r) { return (*slot)->run_scope(*body, r); }, at);
          } else {  // scope :published_before, ->(date) { where("published_at < ?", date) }
            std::vector<std::string> params = lambda->params;
            decl.scope_with_args(
                texts[0], params,
                [slot, body, params](const model::Relation& r, const model::ScopeArgs& args) {
                  return (*slot)->run_scope(*body, r, params, args);
                },
                at);
          }
        } else {
          throw SyntaxError("unknown declaration '" + verb + "' in class " + cls->name + "." +
                                suggestion_suffix(verb, declaration_names()),
                            item->pos, item->offset, false);
        }
      } catch (const SyntaxError& e) {
        problems.push_back(diagnostic(path_, e.pos, e.what()));
      }
    }
    out.push_back(std::move(decl));
  }
  if (!problems.empty()) throw fw::Error(join(problems, "\n"));
  return out;
}

}  // namespace fw::lang

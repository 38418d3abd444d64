#include "lang/model_file.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/interpreter.hpp"
#include "lang/parser.hpp"

namespace fw::lang {

namespace {

const std::vector<std::string>& declaration_names() {
  static const std::vector<std::string> names = {"belongs_to", "has_many", "has_one", "has_and_belongs_to_many",
                                                 "validates", "delegate", "scope", "self.table_name ="};
  return names;
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
    for (const auto& item : cls->items) {
      model::DeclPos at{path_, item->pos};
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
        std::vector<model::Arg> names;
        model::Options options;
        for (const auto& a : item->items) {
          if (a->kind == Node::Kind::Lambda && verb != "scope")  // applied nowhere: refused, never ignored
            throw SyntaxError(verb + " with a scope (" + verb + " :name, -> { ... }) is not supported yet; "
                              "declare it without the lambda and chain the query where you use it",
                              a->pos, a->offset, false);
          if (a->kind == Node::Kind::Lambda) continue;
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
        if (verb == "belongs_to") decl.belongs_to(one_name(), options, at);
        else if (verb == "has_many") decl.has_many(one_name(), options, at);
        else if (verb == "has_one") decl.has_one(one_name(), options, at);
        else if (verb == "has_and_belongs_to_many") decl.has_and_belongs_to_many(one_name(), options, at);
        else if (verb == "validates") {
          if (texts.empty()) throw SyntaxError("validates takes the :attributes to check", item->pos, item->offset, false);
          decl.validates(texts, options, at);
        } else if (verb == "delegate") {
          if (texts.empty()) throw SyntaxError("delegate takes the :methods to pass on", item->pos, item->offset, false);
          decl.delegate(texts, options, at);
        } else if (verb == "scope") {
          const Node* body = nullptr;
          for (const auto& a : item->items)
            if (a->kind == Node::Kind::Lambda) body = a->items[0].get();
          if (!body || texts.size() != 1)
            throw SyntaxError("scope takes a :name and a lambda: scope :recent, -> { order(created_at: :desc) }", item->pos, item->offset, false);
          Interpreter** slot = &interpreter;
          decl.scope(texts[0], [slot, body](const model::Relation& r) { return (*slot)->run_scope(*body, r); }, at);
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

#pragma once
// An app's models: db/models.fw, or an ActiveRecord app's Ruby model files
// (app/models/**/*.rb and the modules they include from lib/), read with the
// statement language's parser into the model layer's declarations. The
// files' syntax trees are kept: scopes, callbacks and methods run them.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "lang/code_table.hpp"
#include "model/app.hpp"
#include "model/declaration.hpp"
#include "storage/app_source.hpp"

namespace fw::lang {

class Interpreter;

// The constants a class body can name (NAME_LIMIT, User::NAME_LIMIT, ApplicationRecord's): each one's value as written.
using Constants = std::function<const Node*(const std::string& name)>;

// A declaration's argument (:name, "text", 42, [..], {key: ..}, /re/, 1..5, a
// constant of the class body) as the model layer takes it; anything else
// throws SyntaxError. `key`: the hash key it is the value of, for the message;
// an if: or unless: key takes a :method_name or a lambda, run on the record,
// kept in `code` (without one, such a key is refused).
model::Arg literal(const Node& n, const std::string& key = "", const Constants* constants = nullptr,
                   CodeTable* code = nullptr);

class ModelFile {
 public:
  // db/models.fw. Throws fw::Error with "FILE:LINE:COL: error: ..." lines for each problem.
  ModelFile(std::string path, const std::string& text);
  // An ActiveRecord app's Ruby files. A file that does not parse, or a line
  // fwitter cannot run, is a note (notes()) and the rest loads.
  // `belongs_to_required`: the framework's default for belongs_to (a Rails
  // app's load_defaults 5.0 or later), optional otherwise.
  ModelFile(const std::vector<storage::SourceFile>& files, bool belongs_to_required);
  ModelFile(const ModelFile&) = delete;
  ModelFile& operator=(const ModelFile&) = delete;

  // Declarations for the model layer. Their scope and callback bodies run in
  // the Interpreter the model layer hands them; this file must outlive them.
  std::vector<model::ModelDecl> declarations() const;
  // Gives the interpreter each model's methods: def name (instance methods),
  // def self.name (class methods), and those of the modules it includes or
  // extends and of its abstract superclass (ApplicationRecord).
  void define_methods(Interpreter& interpreter, const model::App& app) const;
  // What was passed over while reading, as "FILE:LINE: note: ..." lines.
  std::vector<std::string> notes() const;
  // The Ruby files that did not parse, as "FILE:LINE:COL: message".
  std::vector<std::string> failures() const {
    std::vector<std::string> out;
    for (const auto& f : failed_) out.push_back(f.error);
    return out;
  }
  // The scope and callback bodies of the declarations, which the Runtime runs.
  const CodeTable& code() const { return code_; }
  // A learner's Ruby app (which loads as ActiveRecord loads it), not db/models.fw.
  bool is_ruby() const { return ruby_; }

 private:
  struct Source {
    const Node* node;
    std::string path;
  };
  // A model class: every body of it (a class may be reopened in another
  // file), and its superclass as written. `failed`: its file did not load (why).
  struct Model {
    std::string name;
    std::string superclass;
    std::vector<Source> bodies;
    std::string failed;
  };
  void read(const std::string& path, const std::string& text, std::vector<std::string>& problems);
  void keep(NodePtr statement, const std::string& path, const std::string& prefix);
  void classify();
  Model* model_named(const std::string& name);
  const Model* model_named(const std::string& name) const;
  // The bodies whose declarations and methods a model has, weakest first:
  // its abstract superclass's, its STI superclass's are the loader's.
  std::vector<Source> own_and_abstract(const Model& m) const;
  Constants constants_of(const Model& m) const;
  const Node* constant(const std::string& qualified) const;
  // `methods`: a models file's defs of the class body, which its callbacks name (empty for Ruby).
  using Defs = std::map<std::string, const Node*>;
  void declaration(model::ModelDecl& decl, const Node& item, const model::DeclPos& at, const Constants& constants,
                   const Defs& methods) const;
  void declarations_of(model::ModelDecl& decl, const Source& body, const Constants& constants,
                       const Defs& methods) const;

  bool ruby_ = false;
  bool belongs_to_required_ = true;
  std::vector<NodePtr> trees_;           // every statement read, kept alive
  std::vector<Source> classes_;          // every class definition, in the order read
  std::vector<Model> models_;            // the models, in the order first read
  std::vector<Source> abstract_;         // ApplicationRecord and the like
  std::map<std::string, Source> modules_;  // by full name: Slugifiable::InstanceMethods
  std::map<std::string, Source> top_constants_;  // NAME = value outside any class
  // class EmailValidator < ActiveModel::EachValidator (or ActiveModel::Validator): by name.
  std::map<std::string, std::pair<const Node*, std::string>> validator_classes_;
  struct Failed { std::string path, error; };
  std::vector<Failed> failed_;            // Ruby files that did not parse
  std::map<std::string, std::string> texts_;  // each Ruby file's text, for the class a failed one defines
  mutable std::vector<std::string> notes_;
  // The bodies the declarations hold (by CodeId), as each reading makes them.
  mutable CodeTable code_;
};

}  // namespace fw::lang

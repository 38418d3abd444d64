#pragma once
// An app's models: db/models.fw, or an ActiveRecord app's Ruby model files
// (app/models/**/*.rb and the modules they include from lib/), read with the
// statement language's parser into the model layer's declarations. The
// files' syntax trees are kept: scopes, callbacks and methods run them.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "model/app.hpp"
#include "model/declaration.hpp"
#include "storage/app_source.hpp"

namespace fw::lang {

class Interpreter;

// A declaration's argument (:name, "text", 42, [..], {key: ..}, /re/) as the
// model layer takes it; anything that is not a literal throws SyntaxError.
// `key`: the hash key it is the value of, for the message.
model::Arg literal(const Node& n, const std::string& key = "");

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

 private:
  struct Source {
    const Node* node;
    std::string path;
  };
  void read(const std::string& path, const std::string& text, std::vector<std::string>& problems);
  void keep(NodePtr statement, const std::string& path, const std::string& prefix);
  bool is_model(const Node& cls) const;
  void declaration(model::ModelDecl& decl, const Node& item, const model::DeclPos& at,
                   const std::map<std::string, const Node*>& methods) const;

  bool ruby_ = false;
  bool belongs_to_required_ = true;
  std::vector<NodePtr> trees_;           // every statement read, kept alive
  std::vector<Source> classes_;          // the models' class definitions
  std::vector<Source> abstract_;         // ApplicationRecord and the like
  std::map<std::string, Source> modules_;  // by full name: Slugifiable::InstanceMethods
  mutable std::vector<std::string> notes_;
};

}  // namespace fw::lang

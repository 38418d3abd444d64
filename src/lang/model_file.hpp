#pragma once
// An app's db/models.fw, read with the statement language's parser into the
// model layer's declarations. The file's syntax tree is kept: scopes run it.
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "model/declaration.hpp"

namespace fw::lang {

class Interpreter;

class ModelFile {
 public:
  // Throws fw::Error with "FILE:LINE:COL: error: ..." lines for each problem.
  ModelFile(std::string path, const std::string& text);
  ModelFile(const ModelFile&) = delete;
  ModelFile& operator=(const ModelFile&) = delete;

  // Declarations for the model layer. Their scopes call back into
  // `interpreter`, which must outlive them.
  std::vector<model::ModelDecl> declarations(Interpreter*& interpreter) const;

 private:
  std::string path_;
  std::vector<NodePtr> classes_;
};

}  // namespace fw::lang

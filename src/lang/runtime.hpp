#pragma once
// The one door into the runtime: an app's model files, the app they declare
// over a database, the store, and the interpreter that statements and the
// models' scope and callback bodies run in, assembled in that order. The
// console, the benchmarks, the fuzzers and the tests all build one this way.
#include <memory>
#include <string>

#include "lang/interpreter.hpp"
#include "lang/model_file.hpp"
#include "model/app.hpp"
#include "model/store.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

namespace fw::lang {

// It is also what runs the app's code for the model layer (model::CodeRunner):
// each scope or callback body, in its one interpreter.
class Runtime final : public model::CodeRunner {
 public:
  // Throws fw::Error listing every problem in the model files (or a
  // DeclarationError for a declaration the database cannot back).
  // `password_cost`: bcrypt's cost for has_secure_password (Rails' test
  // environment uses the minimum, 4).
  Runtime(std::unique_ptr<ModelFile> models, storage::Database& db, int password_cost = 12);
  // The app's model files read first: db/models.fw, or a Ruby app's
  // app/models with its config's settings for `environment`.
  Runtime(const storage::AppSource& app, storage::Database& db, const std::string& environment = "development");
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const ModelFile& models() const { return *models_; }
  // What loading the app passed over or found broken, as "FILE:LINE:COL: note: ..." lines.
  std::vector<std::string> notes() const;
  const model::App& app() const { return app_; }
  model::Store& store() { return *store_; }
  Interpreter& interpreter() { return *interpreter_; }

  model::Relation run_scope(model::CodeId code, const model::Relation& relation, const model::RecordPtr& owner) override;
  bool run_on_record(model::CodeId code, model::Record& record) override;

 private:
  std::unique_ptr<ModelFile> models_;  // holds the trees the bodies run
  model::App app_;
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<Interpreter> interpreter_;
};

// The model files of an app, read (a Ruby app's with its config's settings).
std::unique_ptr<ModelFile> read_models(const storage::AppSource& source, const std::string& environment);

}  // namespace fw::lang

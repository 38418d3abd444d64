#pragma once
// An app's models, loaded from their declarations and checked against the
// database once: a wrong declaration stops the load, nothing half-loaded.
#include <memory>
#include <string>
#include <vector>

#include "model/declaration.hpp"
#include "model/model_class.hpp"
#include "storage/database.hpp"

namespace fw::model {

class App {
 public:
  // Throws DeclarationError listing every problem found. `lenient`: a
  // learner's Ruby app, which loads as ActiveRecord loads it: a problem breaks
  // only the model, association or validation it is in, raising at the
  // statement that reaches it, and is said in warnings().
  static App load(std::vector<ModelDecl> declarations, storage::Database& db, bool lenient = false);

  App() = default;
  App(App&&) = default;
  App& operator=(App&&) = default;

  const ModelClass* find(const std::string& class_name) const;
  // The model a lower-case singular name stands for: "user" -> User, "user_item" -> UserItem.
  const ModelClass* find_by_singular(const std::string& name) const;
  const std::vector<std::string>& singular_names() const { return singulars_; }  // "heart", in models() order
  const std::vector<std::unique_ptr<ModelClass>>& models() const { return models_; }
  std::vector<std::string> model_names() const;
  // What a lenient load found, as "FILE:LINE:COL: warning: ..." lines.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<std::unique_ptr<ModelClass>> models_;
  std::vector<std::string> singulars_;
  std::vector<std::string> warnings_;  // each model's name underscored ("heart"), in models_' order
};

}  // namespace fw::model

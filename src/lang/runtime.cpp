#include "lang/runtime.hpp"

#include "lang/app_config.hpp"
#include "lang/methods/security.hpp"

namespace fw::lang {

std::unique_ptr<ModelFile> read_models(const storage::AppSource& source, const std::string& environment) {
  if (source.kind == storage::AppKind::ActiveRecord)
    return std::make_unique<ModelFile>(source.ruby_models,
                                       read_app_config(source.config, environment).belongs_to_required);
  return std::make_unique<ModelFile>(source.models.path, source.models.text);
}

Runtime::Runtime(std::unique_ptr<ModelFile> models, storage::Database& db, int password_cost)
    : models_(std::move(models)), app_(model::App::load(models_->declarations(), db, models_->is_ruby())) {
  store_ = std::make_unique<model::Store>(db, app_);
  store_->set_password_cost(password_cost);
  interpreter_ = std::make_unique<Interpreter>(*store_);
  define_security_constants(*interpreter_, password_cost);  // BCrypt::Engine::MIN_COST, ...
  store_->set_evaluator(interpreter_.get());  // what the store hands the bodies it runs
  models_->define_methods(*interpreter_, app_);
}

Runtime::Runtime(const storage::AppSource& app, storage::Database& db, const std::string& environment)
    // As Rails sets ActiveModel::SecurePassword.min_cost in its test environment.
    : Runtime(read_models(app, environment), db, environment == "test" ? 4 : 12) {}

std::vector<std::string> Runtime::notes() const {
  std::vector<std::string> out = models_->notes();
  for (const auto& w : app_.warnings()) out.push_back(w);
  return out;
}

// The interpreter goes first: its variables hold records of the store.
Runtime::~Runtime() {
  store_->set_evaluator(nullptr);
  interpreter_.reset();
}

}  // namespace fw::lang

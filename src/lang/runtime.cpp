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
  store_ = std::make_unique<model::Store>(db, app_, *this);
  store_->persistence().set_password_cost(password_cost);
  interpreter_ = std::make_unique<Interpreter>(*store_, models_->code());
  define_security_constants(*interpreter_, password_cost);  // BCrypt::Engine::MIN_COST, ...
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
Runtime::~Runtime() { interpreter_.reset(); }

model::Relation Runtime::run_scope(model::CodeId code, const model::Relation& relation, const model::RecordPtr& owner) {
  std::vector<Object> args;
  if (owner) args.push_back(Object::record(owner));
  return interpreter_->run_code(code, relation, args);
}

bool Runtime::run_on_record(model::CodeId code, model::Record& record) { return interpreter_->run_code(code, record); }

}  // namespace fw::lang

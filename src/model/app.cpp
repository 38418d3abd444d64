// An app's loaded models, and how they are found by name.
#include "model/app.hpp"

namespace fw::model {

const ModelClass* App::find(const std::string& class_name) const {
  for (const auto& m : models_)
    if (m->name == class_name) return m.get();
  return nullptr;
}

const ModelClass* App::find_by_singular(const std::string& name) const {
  for (size_t i = 0; i < models_.size(); ++i)
    if (singulars_[i] == name) return models_[i].get();
  return nullptr;
}

std::vector<std::string> App::model_names() const {
  std::vector<std::string> out;
  for (const auto& m : models_) out.push_back(m->name);
  return out;
}

}  // namespace fw::model

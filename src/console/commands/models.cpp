// models: the app's models and their tables.
#include "console/commands.hpp"
#include "console/introspection.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_models(Session& s, const std::string&) {
  s.page(models_text(s.app(), s.env().db(), s.settings().terminal));
}

}  // namespace fw::console

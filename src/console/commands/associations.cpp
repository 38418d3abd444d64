// associations [Model]: a model's associations with their options.
#include "console/commands.hpp"
#include "console/introspection.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_associations(Session& s, const std::string& args) {
  s.page(associations_text(s.app(), args, s.settings().terminal));
}

}  // namespace fw::console

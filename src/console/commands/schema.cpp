// schema [Model]: columns, types, indexes and foreign keys.
#include "console/commands.hpp"
#include "console/introspection.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_schema(Session& s, const std::string& args) {
  s.page(schema_text(s.app(), s.env().db(), args, s.settings().terminal));
}

}  // namespace fw::console

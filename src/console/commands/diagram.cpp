// diagram [mermaid|dot]: the models and their associations as a diagram.
#include "console/commands.hpp"
#include "console/diagram.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_diagram(Session& s, const std::string& args) {
  std::string format = args;
  if (format.rfind("--format", 0) == 0) format = format.substr(8);
  format.erase(0, format.find_first_not_of(" ="));
  s.page(diagram(s.app(), format));
}

}  // namespace fw::console

// help [topic]: an overview, or a topic or method explained with examples.
#include "console/commands.hpp"
#include "console/help.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_help(Session& s, const std::string& args) { s.page(help_text(args)); }

}  // namespace fw::console

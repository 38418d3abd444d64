// timer on|off: each statement's time and number of queries, after its result.
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_timer(Session& s, const std::string& args) {
  if (args != "on" && args != "off") throw fw::Error("timer takes on or off");
  s.settings().timer = args == "on";
}

}  // namespace fw::console

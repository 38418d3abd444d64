// sql on|off: each SQL statement printed as Rails logs it.
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_sql(Session& s, const std::string& args) {
  if (args != "on" && args != "off") throw fw::Error("sql takes on or off");
  s.set_sql_log(args == "on");
}

}  // namespace fw::console

// exit and quit: leave the console once this statement has ended.
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_exit(Session& s, const std::string&) { s.runner().request(Request::Exit); }

}  // namespace fw::console

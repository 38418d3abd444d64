// web [PORT|share [PORT]]: a live view of this session in the browser (web/).
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_web(Session& s, const std::string& args) { s.start_view(args); }

}  // namespace fw::console

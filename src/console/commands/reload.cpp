// reload!: the app's model files read again, as rails console's reload! does
// (the statement loop does it once this statement has ended: Session::reload_models).
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_reload(Session& s, const std::string& args) {
  if (!args.empty()) throw fw::Error("reload! takes nothing: it reads the app's model files again");
  s.request(Session::Request::Reload);
}

}  // namespace fw::console

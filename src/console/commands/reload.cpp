// reload!: the app's model files read again, as rails console's reload! does
// (the statement runner does it once this statement has ended, through
// Session::reload_models in console/reload_models.cpp). Its row says it works
// outside a transaction only.
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_reload(Session& s, const std::string& args) {
  if (!args.empty()) throw fw::Error("reload! takes nothing: it reads the app's model files again");
  s.runner().request(Request::Reload);
}

}  // namespace fw::console

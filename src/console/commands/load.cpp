// load "file": another script run inside this session.
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

// The file runs as a script of its own (one transaction inside this
// statement's): when one of its statements fails, none of it is kept.
void command_load(Session& s, const std::string& args) {
  std::string path = unquoted(args);
  if (path.empty()) throw fw::Error("load takes a file: load \"script.fw\"");
  std::string text = read_script(path);
  if (s.run_loaded(path, text) != 0) throw fw::Error("load " + path + " stopped; nothing it did was kept");
}

}  // namespace fw::console

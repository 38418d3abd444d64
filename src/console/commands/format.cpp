// format table|inspect|json|csv: how results are printed.
#include "console/commands.hpp"
#include "console/printer.hpp"
#include "console/session.hpp"

namespace fw::console {

// `format NAME`; `format table --all` prints every row of a relation, not the first 50.
void command_format(Session& s, const std::string& args) {
  std::string name = args;
  bool all_rows = name.size() > 6 && name.compare(name.size() - 6, 6, " --all") == 0;
  if (all_rows) name.erase(name.find_last_not_of(' ', name.size() - 7) + 1);
  if (!is_format(name)) throw fw::Error("format takes " + std::string(format_names()) + (args.empty() ? "" : ", not '" + args + "'"));
  if (all_rows && name != "table") throw fw::Error("--all is for the table format (`format table --all`); " + name + " prints every row already");
  s.set_format(name, all_rows);
}

}  // namespace fw::console

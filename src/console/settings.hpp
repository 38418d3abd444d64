#pragma once
// What a console runs with: the command line's options (fwitter --help), and
// what the console's own commands (format, sql, timer) change as it runs.
#include <string>

#include "console/display.hpp"

namespace fw::console {

struct Settings {
  std::string format = "table";  // table, inspect, json or csv
  Terminal terminal;             // what standard output is
  bool sql = false;
  bool timer = false;  // each statement's time and number of queries, after its result
  bool hints = false;  // the N+1 hint even with the timer off (on a terminal)
  bool keep_going = false;
  bool no_transaction = false;
  bool echo = false;
  bool sandbox = false;
  bool quiet = false;  // print no values (seed scripts)
  int timeout = 0;     // --timeout: seconds a statement may run before it is stopped; 0 for no limit
};

}  // namespace fw::console

#pragma once
// The console at a terminal with its browser view started (--web 0: any free
// port), and the port it printed.
#include <cstdlib>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

namespace fw::test {

// The port of the view's address a console printed ("...http://127.0.0.1:PORT/"), or 0.
inline int printed_port(const std::string& screen) {
  auto at = screen.find("The view of this session is at http://");
  if (at == std::string::npos) return 0;
  auto colon = screen.find(':', at + 39);
  return colon == std::string::npos ? 0 : std::atoi(screen.c_str() + colon + 1);
}

// The token of a shared view's printed address, or "".
inline std::string printed_token(const std::string& screen) {
  auto at = screen.find("?token=");
  return at == std::string::npos ? "" : screen.substr(at + 7, 32);
}

struct ViewedConsole {
  TempDir dir;
  std::string db = seeded(dir);
  Terminal terminal;
  int port = 0;

  explicit ViewedConsole(const std::vector<std::string>& args = {"--web", "0"})
      : terminal(with_db(args, db), {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")}) {
    REQUIRE(terminal.wait_for("fwitter> "));
    if (args.empty()) return;  // no view asked for: `web` at the prompt starts it
    port = printed_port(terminal.screen());
    REQUIRE_MESSAGE(port > 0, terminal.screen());
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
  // Types a statement and waits for the console's next prompt (`prompt`:
  // "fwitter(transaction)> " inside begin ... commit).
  void type(const std::string& statement, const std::string& prompt = "fwitter> ") {
    terminal.type(statement + "\n");
    REQUIRE(terminal.wait_for(prompt));
  }

 private:
  static std::vector<std::string> with_db(std::vector<std::string> args, const std::string& db) {
    args.insert(args.begin(), {"--db", db});
    return args;
  }
};

}  // namespace fw::test

#pragma once
// The console at a terminal with its browser view started (--web 0: any free
// port), and the port it printed.
#include <regex>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

namespace fw::test {

struct ViewedConsole {
  TempDir dir;
  std::string db = seeded(dir);
  Terminal terminal;
  int port = 0;

  explicit ViewedConsole(const std::vector<std::string>& args = {"--web", "0"})
      : terminal(with_db(args, db), {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")}) {
    REQUIRE(terminal.wait_for("fwitter> "));
    if (args.empty()) return;  // no view asked for: `web` at the prompt starts it
    std::smatch m;
    std::string screen = terminal.screen();
    REQUIRE_MESSAGE(std::regex_search(screen, m, std::regex("The view of this session is at http://[0-9.]+:([0-9]+)/")),
                    screen);
    port = std::stoi(m[1]);
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

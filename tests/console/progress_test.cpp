// Progress on standard error while a long script runs on a terminal, and
// none when standard error is not one.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "../support/process.hpp"
#include "console/progress.hpp"

using fw::console::Progress;
using fw::test::shell_quote;
using fw::test::TempDir;

namespace {

// A script of `statements` statements of a few milliseconds each.
std::string slow_script(const TempDir& dir, int statements) {
  std::string path = dir / "slow.fw";
  std::ofstream out(path);
  for (int i = 0; i < statements; ++i) out << "x = 0; 30000.times { |i| x += i }\n";
  return path;
}

}  // namespace

TEST_CASE("the progress line: statements, rate, how far, time left") {
  using std::chrono::duration;
  CHECK(Progress::line(1200, duration<double>(0.3), 400, 1000) ==
        "fwitter: 1,200 statements (4,000/s), 40%, about under 1s left");
  CHECK(Progress::line(1, duration<double>(2.0), 250, 1000) == "fwitter: 1 statement (0/s), 25%, about 6s left");
  CHECK(Progress::line(90000, duration<double>(30.0), 100, 1000) ==
        "fwitter: 90,000 statements (3,000/s), 10%, about 4m 30s left");
  CHECK(Progress::line(5, duration<double>(1.0), 1000, 1000) == "fwitter: 5 statements (5/s), 100%");
}

TEST_CASE("a long script on a terminal shows its progress on standard error, erased at the end") {
  TempDir dir;
  // Long enough to draw (the first line comes after half a second) on this
  // machine and build, however fast: twice as long until it takes 1.5 s.
  std::string script;
  for (int statements = 150;; statements *= 2) {
    script = slow_script(dir, statements);
    std::string command = shell_quote(FWITTER_BINARY) + " --db " + shell_quote(dir / "p.sqlite3") +
                          " --format json run " + shell_quote(script) + " 2>" + shell_quote(dir / "err");
    auto start = std::chrono::steady_clock::now();
    // standard error is a file here, so: no progress
    REQUIRE(std::system((command + " >/dev/null").c_str()) == 0);
    CHECK(fw::test::slurp(dir / "err").find("statements (") == std::string::npos);
    if (std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(1500) || statements >= 150 * 64) break;
  }
  // on a pseudo-terminal (util-linux `script`), standard error is the terminal
  std::string on_tty = "script -qec " +
                       shell_quote(shell_quote(FWITTER_BINARY) + " --db " + shell_quote(dir / "q.sqlite3") +
                                   " --format json run " + shell_quote(script)) +
                       " /dev/null >" + shell_quote(dir / "tty") + " </dev/null";
  REQUIRE(std::system(on_tty.c_str()) == 0);
  std::string screen = fw::test::slurp(dir / "tty");
  auto drawn = screen.find("\r\x1b[Kfwitter: ");
  REQUIRE(drawn != std::string::npos);
  CHECK(screen.find(" statements (", drawn) != std::string::npos);
  CHECK(screen.find("%", drawn) != std::string::npos);
  // the last progress line drawn is erased: no stale line stays on the screen
  CHECK(screen.find("\r\x1b[K", screen.rfind("fwitter: ")) != std::string::npos);
}

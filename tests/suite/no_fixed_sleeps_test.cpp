// The suite's own rules, read from its sources. A test waits for a condition
// (what a program printed, a file, the server's activity, a child's exit),
// polled until a deadline through tests/support/wait.hpp, never for a fixed
// time: a fixed sleep is too short on a busy machine and too long on a quiet
// one, and a test that passes only because the sleep was long enough checks
// nothing. The one pause allowed is wait.hpp's poll interval.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The calls that pause a thread, spelled so that this file does not match itself.
const std::regex& pause_call() {
  static const std::regex re(std::string("\\b(std::this_thread::)?(sl") + "eep_for|sl" + "eep_until|usl" +
                             "eep|nanosl" + "eep|sl" + "eep)\\s*\\(");
  return re;
}

// The lines of `text` (named `name`) that pause, as NAME:LINE: TEXT; line
// comments are not read.
std::vector<std::string> pauses(const std::string& name, const std::string& text) {
  std::vector<std::string> found;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::string code = line.substr(0, line.find("//"));
    if (std::regex_search(code, pause_call())) found.push_back(name + ":" + std::to_string(number) + ": " + line);
  }
  return found;
}

}  // namespace

TEST_CASE("the rule finds a fixed pause, and not a word that merely holds one") {
  std::string sample = "int a;\n  std::this_thread::" + std::string("sl") + "eep_for(std::chrono::seconds(1));\n" +
                       "  us" + "leep(500);\n  q(\"SELECT pg_sl" + "eep(30)\");  // sl" + "eep(1) in a comment\n";
  auto found = pauses("sample.cpp", sample);
  REQUIRE(found.size() == 2);
  CHECK(found[0].rfind("sample.cpp:2: ", 0) == 0);
  CHECK(found[1].rfind("sample.cpp:3: ", 0) == 0);
}

TEST_CASE("no test waits a fixed time: each waits for its condition (tests/support/wait.hpp)") {
  fs::path tests = fs::path(FWITTER_SOURCE_DIR) / "tests";
  std::vector<std::string> found;
  int read = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tests)) {
    auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
    std::string name = fs::relative(entry.path(), fs::path(FWITTER_SOURCE_DIR)).generic_string();
    if (name == "tests/support/wait.hpp") continue;  // the poll interval itself
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    ++read;
    for (auto& line : pauses(name, text.str())) found.push_back(line);
  }
  CHECK(read > 50);
  std::string all;
  for (const auto& line : found) all += "\n  " + line;
  CHECK_MESSAGE(found.empty(), "a fixed pause where a test should wait for a condition (fw::test::wait_until in "
                               "tests/support/wait.hpp polls one until a deadline):" << all);
}

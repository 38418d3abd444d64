// The history file (console/history.hpp): one line an entry, multi-line
// statements escaped, appended, trimmed when it grows past twice kKeep.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../support/process.hpp"
#include "console/history.hpp"

using fw::console::HistoryFile;

TEST_CASE("a statement with newlines and backslashes is one line of the file and comes back whole") {
  std::string statement = "[1].map do |x|\n  \"a\\\\n#{x}\"\nend";
  CHECK(fw::console::escape_history_entry(statement).find('\n') == std::string::npos);
  CHECK(fw::console::unescape_history_entry(fw::console::escape_history_entry(statement)) == statement);
}

TEST_CASE("entries are appended, read back oldest first, and the folder is made") {
  fw::test::TempDir dir;
  HistoryFile a(dir / "state/fwitter/history"), b(dir / "state/fwitter/history");
  CHECK(a.load().empty());
  CHECK(a.append("user(1)"));
  CHECK(b.append("if x\n  1\nend"));  // another session, the same file
  CHECK(a.load() == std::vector<std::string>{"user(1)", "if x\n  1\nend"});
  auto perms = std::filesystem::status(dir / "state/fwitter/history").permissions();
  CHECK(perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("a file past twice kKeep entries is trimmed to the last kKeep") {
  fw::test::TempDir dir;
  {
    std::ofstream out(dir / "history");
    for (size_t i = 0; i < 2 * HistoryFile::kKeep + 5; ++i) out << "x" << i << "\n";
  }
  HistoryFile h(dir / "history");
  auto entries = h.load();
  CHECK(entries.size() == HistoryFile::kKeep);
  CHECK(entries.back() == "x" + std::to_string(2 * HistoryFile::kKeep + 4));
  CHECK(h.load().size() == HistoryFile::kKeep);
  CHECK(fw::test::slurp(dir / "history").find("x0\n") == std::string::npos);
}

TEST_CASE("XDG_STATE_HOME, else HOME's .local/state, else no history") {
  setenv("XDG_STATE_HOME", "/tmp/state", 1);
  CHECK(HistoryFile::default_path() == "/tmp/state/fwitter/history");
  unsetenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::string saved = home ? home : "";
  setenv("HOME", "/home/ann", 1);
  CHECK(HistoryFile::default_path() == "/home/ann/.local/state/fwitter/history");
  unsetenv("HOME");
  CHECK(HistoryFile::default_path() == "");
  if (!saved.empty()) setenv("HOME", saved.c_str(), 1);
}

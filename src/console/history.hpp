#pragma once
// The console's history file. One statement a line, a multi-line statement's
// newlines and backslashes escaped (\n, \\), so it comes back as one entry.
// Each statement is appended as it is entered: two sessions at once
// interleave their statements instead of the last to exit overwriting the other's.
#include <string>
#include <vector>

namespace fw::console {

class HistoryFile {
 public:
  static constexpr size_t kKeep = 1000;  // entries read back; the file is trimmed past twice that

  explicit HistoryFile(std::string path) : path_(std::move(path)) {}
  // $XDG_STATE_HOME/fwitter/history, else ~/.local/state/fwitter/history;
  // "" (no history kept) when neither variable is set.
  static std::string default_path();

  // The last kKeep entries, oldest first; nothing when the file is missing.
  std::vector<std::string> load();
  // Adds one entry at the end of the file (creating its folder). Returns
  // false when it cannot be written.
  bool append(const std::string& statement);
  const std::string& path() const { return path_; }

 private:
  void rewrite(const std::vector<std::string>& entries);
  std::string path_;
};

std::string escape_history_entry(const std::string& statement);
std::string unescape_history_entry(const std::string& line);

}  // namespace fw::console

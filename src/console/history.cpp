#include "console/history.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace fw::console {

std::string HistoryFile::default_path() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state && *state) return (fs::path(state) / "fwitter" / "history").string();
  const char* home = std::getenv("HOME");
  if (home && *home) return (fs::path(home) / ".local" / "state" / "fwitter" / "history").string();
  return "";
}

std::string escape_history_entry(const std::string& statement) {
  std::string out;
  for (char c : statement) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape_history_entry(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      ++i;
      out += line[i] == 'n' ? '\n' : line[i];
    } else {
      out += line[i];
    }
  }
  return out;
}

std::vector<std::string> HistoryFile::load() {
  std::vector<std::string> entries;
  if (path_.empty()) return entries;
  std::ifstream in(path_);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) entries.push_back(unescape_history_entry(line));
  bool trim = entries.size() > 2 * kKeep;
  if (entries.size() > kKeep) entries.erase(entries.begin(), entries.end() - kKeep);
  if (trim) rewrite(entries);
  return entries;
}

// Replaces the file at once (a rename), so a session appending meanwhile
// loses at most its own line, never the file.
void HistoryFile::rewrite(const std::vector<std::string>& entries) {
  std::string temp = path_ + ".new";
  {
    std::ofstream out(temp, std::ios::trunc);
    for (const auto& e : entries) out << escape_history_entry(e) << '\n';
    if (!out) return;
  }
  std::error_code ignored;
  fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, ignored);
  fs::rename(temp, path_, ignored);
}

bool HistoryFile::append(const std::string& statement) {
  if (path_.empty()) return false;
  std::error_code ignored;
  fs::create_directories(fs::path(path_).parent_path(), ignored);
  bool created = !fs::exists(path_, ignored);
  // One write of one line in append mode: lines from two sessions do not mix.
  std::ofstream out(path_, std::ios::app);
  out << escape_history_entry(statement) + "\n" << std::flush;
  // What was typed may hold passwords or e-mail addresses: the owner's only, as a shell's history.
  if (created) fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write, ignored);
  return static_cast<bool>(out);
}

}  // namespace fw::console

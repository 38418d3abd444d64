// A script's text: read from a file with the checks a file from anyone needs,
// and the comments between its statements, as --echo and record show them.
#include "console/script_text.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "lang/parser.hpp"

namespace fs = std::filesystem;

namespace fw::console {

// A script file's text. A directory, a device or a pipe (/dev/zero would
// never end), a file too large to parse, or one that holds NUL bytes (a
// binary file) is refused with a message saying which.
std::string read_script(const std::string& path) {
  std::error_code error;
  auto status = fs::status(path, error);
  if (!fs::exists(status)) throw fw::Error("cannot read " + path + ": no such file");
  if (fs::is_directory(status)) throw fw::Error("cannot read " + path + ": it is a directory");
  if (!fs::is_regular_file(status)) throw fw::Error("cannot read " + path + ": not a regular file");
  if (fs::file_size(path, error) > lang::Parser::kMaxSource)
    throw fw::Error(fmt::format("cannot read {}: larger than a script may be ({} bytes)", path, lang::Parser::kMaxSource));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fw::Error("cannot read " + path + ": permission denied");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find('\0') != std::string::npos) throw fw::Error("cannot load " + path + ": it is a binary file, not a script");
  return text.str();
}

std::string_view text_between(std::string_view source, size_t last_end, size_t next) {
  auto between = source.substr(last_end, next - std::min(last_end, next));
  if (last_end > 0) {  // the rest of the last statement's line (a comment trailing it) belongs to it
    size_t line_end = between.find('\n');
    between.remove_prefix(line_end == std::string_view::npos ? between.size() : line_end + 1);
  }
  return between;
}

void echo_comments(std::string_view between, bool after_output, std::ostream& to) {
  size_t at = 0;
  bool blank = false;  // a blank line in the script before the comments: one in the handout too
  while (at < between.size()) {
    size_t end = between.find('\n', at);
    std::string_view line = between.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
      blank = end != std::string_view::npos;
    } else if (line[first] == '#') {
      if (blank && after_output) to << '\n';
      blank = false;
      after_output = true;  // blank lines between comment blocks stay too
      to << line.substr(first) << '\n';
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
}

void Echo::statement_read(const ReadStatement& statement) {
  if (!on_) return;
  echo_comments(statement.comments, statement.after_output, out_);
  out_ << "> " << statement.text << '\n';
}

}  // namespace fw::console

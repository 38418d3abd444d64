#pragma once
// Runs the real fwitter binary, as a user would, and captures what it prints.
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fw::test {

struct Output {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A fresh folder under the system's temp folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fwitter-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The environment of a console run in `dir` as its home: its history file
// there, never the real one.
inline std::vector<std::string> home_in(const TempDir& dir) {
  return {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")};
}

// Runs `PROGRAM ARGS` with `input` on standard input (a file, so not a
// terminal); `env` comes before it on the shell's command line (NAME=VALUE
// settings, or a command that runs it, such as setpriv).
inline Output run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::string& input = "", const std::string& env = "") {
  TempDir io;
  std::ofstream(io / "in", std::ios::binary) << input;
  std::string command = env + (env.empty() ? "" : " ") + shell_quote(program);
  for (const auto& a : args) command += " " + shell_quote(a);
  command += " <" + shell_quote(io / "in") + " >" + shell_quote(io / "out") + " 2>" + shell_quote(io / "err");
  int raw = std::system(command.c_str());
  Output o;
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  o.out = slurp(io / "out");
  o.err = slurp(io / "err");
  return o;
}

// Runs `fwitter ARGS` with `input` on standard input (a file, so not a terminal).
inline Output fwitter(const std::vector<std::string>& args, const std::string& input = "",
                      const std::string& env = "") {
  return run_program(FWITTER_BINARY, args, input, env);
}

// The lines of a program's output, without their newlines.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Writes `text` to the file `name` in `dir`; returns its path.
inline std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

// A new fwitter database in `dir`, migrated and seeded with the tests' small
// world (3 users, 5 tweets); returns its path.
inline std::string seeded(const TempDir& dir, const std::string& name = "db.sqlite3") {
  auto path = dir / name;
  auto r = fwitter({"--db", path, "--format", "json", "-e", "User.count"});
  REQUIRE(r.status == 0);
  REQUIRE(r.out == "3\n");
  return path;
}

}  // namespace fw::test

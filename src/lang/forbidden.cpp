#include "lang/forbidden.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace fw::lang {

namespace {

constexpr const char* kWhy =
    "fwitter never runs programs, opens or deletes files, loads code or reaches the network from an app's code "
    "(opening an app folder is not running it)";

}  // namespace

std::optional<std::string> refused_call(const std::string& name) {
  // Kernel's doors out of the process, and the evals that would reach them by a string.
  static const std::map<std::string, std::string> what = {
      {"`", "a shell command (`...` or %x())"},
      {"system", "system (runs a program)"},
      {"exec", "exec (runs a program)"},
      {"spawn", "spawn (runs a program)"},
      {"fork", "fork"},
      {"syscall", "syscall"},
      {"popen", "popen (runs a program)"},
      {"open", "open (opens a file or a program)"},
      {"eval", "eval (runs code from a string)"},
      {"instance_eval", "instance_eval (runs code from a string)"},
      {"class_eval", "class_eval (runs code from a string)"},
      {"module_eval", "module_eval (runs code from a string)"},
      {"binding", "binding"},
      {"require", "require (loads code)"},
      {"require_relative", "require_relative (loads code)"},
      {"load", "load (loads code)"},
      {"autoload", "autoload (loads code)"},
      {"exit!", "exit!"},
      {"abort", "abort"},
      {"trap", "trap"},
      {"at_exit", "at_exit"},
  };
  auto it = what.find(name);
  if (it == what.end()) return std::nullopt;
  return fmt::format("{} is refused: {}", it->second, kWhy);
}

std::optional<std::string> refused_constant(const std::string& name) {
  static const std::set<std::string> doors = {
      "File", "FileUtils", "Dir", "IO", "Pathname", "Tempfile", "Process", "Open3", "PTY", "Signal", "ObjectSpace",
      "Socket", "TCPSocket", "UDPSocket", "UNIXSocket", "TCPServer", "Net", "Net::HTTP", "URI", "OpenURI", "Etc",
      "Marshal", "DRb", "Fiddle", "RubyVM", "Ractor", "Thread"};
  std::string outer = name.substr(0, name.find("::"));
  if (!doors.count(name) && !doors.count(outer)) return std::nullopt;
  return fmt::format("{} is refused: {}", outer, kWhy);
}

}  // namespace fw::lang

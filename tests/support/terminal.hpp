#pragma once
// Runs the real fwitter binary in a pseudo-terminal, as a person at a
// keyboard would: type keys (Ctrl-C included), read what the screen shows.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "wait.hpp"

namespace fw::test {

class Terminal {
 public:
  // `env`: NAME=VALUE settings for the program (HOME, XDG_STATE_HOME, ...),
  // on top of TERM=xterm, NO_COLOR=1 and the test's own environment; `cwd`: the folder it
  // starts in (the test's own when empty). The screen is 100x24.
  explicit Terminal(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                    const std::string& cwd = "") {
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 100;
    pid_ = forkpty(&fd_, nullptr, nullptr, &size);
    if (pid_ == 0) {
      setenv("TERM", "xterm", 1);
      setenv("NO_COLOR", "1", 1);  // screens read as plain text; a test wanting colour passes NO_COLOR=
      if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
      for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv{const_cast<char*>(FWITTER_BINARY)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(FWITTER_BINARY, argv.data());
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  void type(const std::string& keys) { (void)!::write(fd_, keys.data(), keys.size()); }

  // Reads until `text` has appeared in everything shown since the last
  // wait_for, or `seconds` pass (scaled by patience(), wait.hpp); true when it appeared.
  bool wait_for(const std::string& text, double seconds = kTerminalSeconds) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience(seconds));
    for (;;) {
      auto at = pending_.find(text);
      if (at != std::string::npos) {
        shown_ += pending_.substr(0, at + text.size());
        pending_.erase(0, at + text.size());
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      pending_.append(buf, static_cast<size_t>(n));
    }
  }

  // The exit status, after the program ended (within `seconds`, scaled by
  // patience()), or -1.
  int exit_status(double seconds = kTerminalSeconds) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience(seconds));
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      char buf[4096];
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0 && read(fd_, buf, sizeof buf) <= 0) continue;
    }
    return -1;
  }

  // Everything shown so far.
  std::string screen() const { return shown_ + pending_; }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string shown_, pending_;
};

}  // namespace fw::test

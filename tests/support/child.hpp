#pragma once
// A child `fwitter ARGS` running beside the test: its output in files, sent
// signals, waited for only when asked.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "wait.hpp"

namespace fw::test {

// A child `fwitter ARGS`, its output in files, not waited for until asked.
class Child {
 public:
  // `program`: another program than fwitter (ruby, for a writer beside it).
  Child(const TempDir& dir, const std::string& name, const std::vector<std::string>& args,
        const std::vector<std::string>& env = {}, const std::string& program = FWITTER_BINARY)
      : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
      int in = open("/dev/null", O_RDONLY);
      int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(in, 0), dup2(out, 1), dup2(err, 2);
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execvp(program.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (!waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void signal(int sig) {
    if (!waited_) kill(pid_, sig);
  }
  // The exit status, or -(signal) when a signal ended it.
  int wait() {
    if (waited_) return status_;
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  // The CPU time it has used so far (the kernel's count, in nanoseconds, in
  // /proc/PID/schedstat): how far it has got, whatever else the machine runs.
  // -1 once it has ended.
  double cpu_seconds() const {
    if (waited_) return -1;
    double ns = -1;
    std::ifstream(std::string("/proc/") + std::to_string(pid_) + "/schedstat") >> ns;
    return ns < 0 ? -1 : ns / 1e9;
  }
  // True (and waited for) once it has ended.
  bool ended() {
    if (waited_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    waited_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return true;
  }
  std::string out() const { return fw::test::slurp(out_); }
  std::string err() const { return fw::test::slurp(err_); }
  // Waits (up to `seconds`, scaled by patience()) until its standard output
  // holds `text` `times` times: a point in its run to act at, reached by what
  // it printed, not by a guess at how long it takes. False if it ended or the
  // time passed first.
  bool wait_for_output(const std::string& text, int times = 1, double seconds = 30) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience(seconds));
    // Read as the file grows, each byte once: a poll costs what was written
    // since the last, so a child printing fast is not outrun by the reading.
    int fd = -1;
    std::string window;  // read, not yet searched past: a match may begin in it
    int found = 0;
    char chunk[1 << 16];
    while (std::chrono::steady_clock::now() < end) {
      if (fd < 0) fd = open(out_.c_str(), O_RDONLY);
      for (ssize_t got; fd >= 0 && (got = read(fd, chunk, sizeof chunk)) > 0;) {
        window.append(chunk, static_cast<size_t>(got));
        size_t searched = 0;
        for (size_t at = window.find(text); at != std::string::npos; at = window.find(text, at + text.size())) {
          ++found;
          searched = at + text.size();
        }
        if (found >= times) {
          close(fd);
          return true;
        }
        searched = std::max(searched, window.size() >= text.size() ? window.size() - text.size() + 1 : 0);
        window.erase(0, searched);
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        waited_ = true;
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        if (fd >= 0) close(fd);
        return false;
      }
      poll_interval();
    }
    if (fd >= 0) close(fd);
    return false;
  }

 private:
  std::string out_, err_;
  pid_t pid_ = -1;
  bool waited_ = false;
  int status_ = 0;
};

}  // namespace fw::test

#pragma once
// `record "file"`: a copy of what the console prints, from then on, written
// to a file as --echo prints a script (each statement after "> ", then its
// result), without colour: a handout of the session.
#include <fstream>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "console/statement_observer.hpp"

namespace fw::console {

class Recorder : public StatementObserver {
 public:
  // Opens `path`; throws fw::Error when it cannot be written. From start()
  // until the recorder ends, what `out` and `err` print is copied into it.
  // `echoed`: while it holds, --echo prints each statement on `out` already.
  Recorder(const std::string& path, std::ostream& out, std::ostream& err, const bool& echoed);
  void start();
  ~Recorder() override;
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  const std::string& path() const { return path_; }
  // Writes to the file alone (the statement a user typed at the prompt).
  std::ostream& file() { return file_; }
  // Each statement read, after "> " below its comments (record's own line is left out).
  void statement_read(const ReadStatement& statement) override;

 private:
  class Tee;
  std::string path_;
  std::ofstream file_;
  std::ostream& out_;
  std::ostream& err_;
  const bool& echoed_;
  std::unique_ptr<Tee> out_tee_, err_tee_;
  std::streambuf* out_buf_ = nullptr;
  std::streambuf* err_buf_ = nullptr;
};

}  // namespace fw::console

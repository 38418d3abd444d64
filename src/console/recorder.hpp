#pragma once
// `record "file"`: a copy of what the console prints, from then on, written
// to a file as --echo prints a script (each statement after "> ", then its
// result), without colour: a handout of the session.
#include <fstream>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

namespace fw::console {

class Recorder {
 public:
  // Opens `path`; throws fw::Error when it cannot be written. From start()
  // until the recorder ends, what `out` and `err` print is copied into it.
  Recorder(const std::string& path, std::ostream& out, std::ostream& err);
  void start();
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  const std::string& path() const { return path_; }
  // Writes to the file alone (the statement a user typed at the prompt).
  std::ostream& file() { return file_; }

 private:
  class Tee;
  std::string path_;
  std::ofstream file_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<Tee> out_tee_, err_tee_;
  std::streambuf* out_buf_ = nullptr;
  std::streambuf* err_buf_ = nullptr;
};

}  // namespace fw::console

#include "console/recorder.hpp"

#include "base/error.hpp"
#include "console/commands.hpp"
#include "console/script_text.hpp"

namespace fw::console {

// Passes every character to the stream's own buffer, and a copy to the file
// with the terminal's escape sequences (colour) left out.
class Recorder::Tee : public std::streambuf {
 public:
  Tee(std::streambuf* shown, std::ostream& file) : shown_(shown), file_(file) {}

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    copy(static_cast<char>(c));
    return shown_->sputc(static_cast<char>(c)) == traits_type::eof() ? traits_type::eof() : c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) copy(s[i]);
    return shown_->sputn(s, n);
  }
  int sync() override {
    file_.flush();
    return shown_->pubsync();
  }

 private:
  // ESC [ parameters final-byte: a CSI sequence, as colours are written.
  void copy(char c) {
    if (state_ == State::Text) {
      if (c == '\x1b') state_ = State::Escape;
      else file_.put(c);
    } else if (state_ == State::Escape) {
      state_ = c == '[' ? State::Csi : State::Text;
    } else if (c >= 0x40 && c <= 0x7e) {
      state_ = State::Text;
    }
  }
  enum class State { Text, Escape, Csi };
  State state_ = State::Text;
  std::streambuf* shown_;
  std::ostream& file_;
};

Recorder::Recorder(const std::string& path, std::ostream& out, std::ostream& err, const bool& echoed)
    : path_(path), file_(path, std::ios::binary | std::ios::trunc), out_(out), err_(err), echoed_(echoed) {
  if (!file_) throw fw::Error("cannot write " + path);
}

void Recorder::start() {
  if (out_buf_) return;
  out_.flush();
  err_.flush();
  out_tee_ = std::make_unique<Tee>(out_.rdbuf(), file_);
  out_buf_ = out_.rdbuf(out_tee_.get());
  err_buf_ = err_.rdbuf();
  if (&err_ == &out_) return;  // one stream: one copy
  err_tee_ = std::make_unique<Tee>(err_buf_, file_);
  err_.rdbuf(err_tee_.get());
}

void Recorder::statement_read(const ReadStatement& statement) {
  if (echoed_ || (statement.command && (statement.command->needs & kNotRecorded))) return;
  echo_comments(statement.comments, statement.after_output, file_);
  file_ << "> " << statement.text << '\n';
}

Recorder::~Recorder() {
  if (!out_buf_) return;
  try {
    out_.flush();
    err_.flush();
  } catch (...) {
  }
  if (&err_ != &out_) err_.rdbuf(err_buf_);
  out_.rdbuf(out_buf_);
}

}  // namespace fw::console

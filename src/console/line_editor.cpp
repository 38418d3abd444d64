#include "console/line_editor.hpp"

#include <histedit.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <clocale>
#include <cstdio>

#include "console/display.hpp"

namespace fw::console {

namespace {

int terminal_width() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string common_prefix(const std::vector<std::string>& names) {
  std::string prefix = names.front();
  for (const auto& n : names) {
    size_t i = 0;
    while (i < prefix.size() && i < n.size() && prefix[i] == n[i]) ++i;
    prefix.resize(i);
  }
  return prefix;
}

}  // namespace

std::string columns_of(const std::vector<std::string>& names, int width) {
  size_t widest = 0;
  for (const auto& n : names) widest = std::max(widest, display_width(n));
  size_t column = widest + 2;
  size_t per_line = std::max<size_t>(1, static_cast<size_t>(width) / column);
  size_t lines = (names.size() + per_line - 1) / per_line;
  std::string out;
  // Down the columns first, as ls and bash list them.
  for (size_t l = 0; l < lines; ++l) {
    std::string line;
    for (size_t i = l; i < names.size(); i += lines) {
      line += names[i];
      if (i + lines < names.size()) line += std::string(column - display_width(names[i]), ' ');
    }
    out += line + "\n";
  }
  return out;
}

LineEditor::LineEditor(HistoryFile file, Completer complete)
    : file_(std::move(file)), complete_(std::move(complete)) {
  std::setlocale(LC_CTYPE, "");  // so libedit reads and draws UTF-8
  el_ = el_init("fwitter", stdin, stdout, stderr);
  history_ = history_init();
  HistEvent ev;
  history(history_, &ev, H_SETSIZE, static_cast<int>(HistoryFile::kKeep));
  history(history_, &ev, H_SETUNIQUE, 1);
  for (const auto& entry : file_.load()) history(history_, &ev, H_ENTER, entry.c_str());
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_HIST, history, history_);
  el_set(el_, EL_PROMPT, &LineEditor::prompt_of);
  // Ctrl-C while typing is a key, not a signal: it cancels the line. While a
  // statement runs the terminal is back in its own mode and Ctrl-C interrupts.
  el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
  // The wide call: el_set copies the names and never frees them.
  el_wset(el_, EL_ADDFN, L"fw-complete", L"complete a name", &LineEditor::on_tab);
  el_wset(el_, EL_ADDFN, L"fw-cancel", L"cancel the line", &LineEditor::on_cancel);
  el_set(el_, EL_BIND, "^I", "fw-complete", nullptr);
  el_set(el_, EL_BIND, "^C", "fw-cancel", nullptr);
  el_set(el_, EL_BIND, "^R", "em-inc-search-prev", nullptr);
  el_source(el_, nullptr);  // the user's ~/.editrc, if any
}

LineEditor::~LineEditor() {
  el_end(el_);
  history_end(history_);
}

LineEditor& LineEditor::of(EditLine* el) {
  void* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return *static_cast<LineEditor*>(self);
}

char* LineEditor::prompt_of(EditLine* el) { return of(el).prompt_.data(); }

// Shows ^C and leaves the line as it stands, as a shell does.
unsigned char LineEditor::on_cancel(EditLine* el, int) {
  of(el).cancelled_ = true;
  const LineInfo* info = el_line(el);
  el_cursor(el, static_cast<int>(info->lastchar - info->cursor));
  return CC_NEWLINE;
}

unsigned char LineEditor::on_tab(EditLine* el, int) { return of(el).complete(); }

// One candidate is completed; several complete as far as they agree, and
// when they agree no further they are listed under the line.
unsigned char LineEditor::complete() {
  const LineInfo* info = el_line(el_);
  std::string before(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
  Completion c = complete_(before);
  if (c.candidates.empty()) return CC_REFRESH_BEEP;
  std::string prefix = common_prefix(c.candidates);
  if (prefix.size() > c.word.size()) {
    el_insertstr(el_, prefix.substr(c.word.size()).c_str());
    return CC_REFRESH;
  }
  if (c.candidates.size() == 1) return CC_REFRESH;
  std::fputs(("\n" + columns_of(c.candidates, terminal_width())).c_str(), stdout);
  return CC_REDISPLAY;
}

namespace {

// libedit shows the prompt a moment before it puts the terminal in its own
// mode, so a key typed at once would meet the terminal's line mode (Ctrl-C a
// signal, Ctrl-D lost). Leaving line mode first closes that gap; libedit
// puts the terminal back as it found it at the start (it trusts only a line-mode setting).
void leave_line_mode() {
  termios mode{};
  if (tcgetattr(STDIN_FILENO, &mode) != 0) return;
  mode.c_lflag &= static_cast<tcflag_t>(~(ICANON | ISIG | ECHO | IEXTEN));
  mode.c_cc[VMIN] = 1;
  mode.c_cc[VTIME] = 0;
  tcsetattr(STDIN_FILENO, TCSADRAIN, &mode);
}

}  // namespace

LineEditor::Read LineEditor::read(const std::string& prompt, std::string& line) {
  prompt_ = prompt;
  cancelled_ = false;
  leave_line_mode();
  int count = 0;
  const char* text = el_gets(el_, &count);
  if (cancelled_) {
    std::fputs("^C\n", stdout);
    std::fflush(stdout);
    return Read::Cancelled;
  }
  if (!text || count <= 0) return Read::End;
  line.assign(text, static_cast<size_t>(count));
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return Read::Line;
}

void LineEditor::remember(const std::string& statement) {
  if (statement.find_first_not_of(" \t\n") == std::string::npos) return;
  HistEvent ev;
  history(history_, &ev, H_ENTER, statement.c_str());
  file_.append(statement);
}

}  // namespace fw::console

#pragma once
// What the output is printed on: its width, whether it is a terminal, whether
// colour and Unicode box lines may be used; and text measured in columns.
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace fw::console {

struct Terminal {
  bool is_tty = false;   // standard output is a terminal
  bool color = false;    // colour allowed (a terminal, no NO_COLOR, no --no-color)
  bool err_is_tty = false;  // standard error is a terminal
  bool err_color = false;   // colour allowed on standard error (the SQL log)
  bool unicode = false;  // the locale is UTF-8: box lines and … may be used
  // Columns. A file or pipe (no terminal, COLUMNS unset) has no limit: a
  // handout is as wide as its content, and no cell is cut.
  static constexpr int kNoLimit = 1 << 20;
  int width = 80;
  int height = 24;       // lines, for the pager; 0 means unknown
  std::string pager;     // $PAGER, default "less -SRXF"; used only on a terminal

  // Reads COLUMNS/LINES, the terminal's size (ioctl), NO_COLOR, PAGER and
  // the locale (LC_ALL, then LC_CTYPE, then LANG) for standard output.
  static Terminal detect(bool no_color);
};

// Prints `text` on `out`; when `out` is the terminal itself (standard output,
// not redirected by `record`) and the text is taller than the screen, through
// the pager ($PAGER, or less -SRXF).
void page(std::ostream& out, const std::string& text, const Terminal& terminal);
// Time spent in the pager so far: a statement's timer leaves it out.
std::chrono::microseconds paged_time();

// While one lives (a statement's transaction is open), text that would open
// the pager is held, and shown through it by release() or at the end: a
// learner reading a long table holds no lock that a server's write waits on.
class HeldPages {
 public:
  HeldPages();
  ~HeldPages() { release(); }
  HeldPages(const HeldPages&) = delete;
  HeldPages& operator=(const HeldPages&) = delete;
  void release();

 private:
  bool outer_;  // the outermost holds; nested ones leave it to it
};

// Columns the text takes on a terminal: accents count 0, CJK and emoji 2,
// measured per grapheme cluster with utf8proc. Invalid UTF-8 counts 1 a byte.
std::size_t display_width(std::string_view text);
// The text cut to at most `width` columns, at a grapheme boundary, ending in
// `ellipsis` when cut. `shown`, when given, gets the result's display width.
std::string truncate_to_width(std::string_view text, std::size_t width, std::string_view ellipsis,
                              std::size_t* shown = nullptr);

}  // namespace fw::console

#include "console/display.hpp"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <utility>
#include <vector>

namespace fw::console {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// The first of LC_ALL, LC_CTYPE, LANG that is set decides, as setlocale would.
bool utf8_locale() {
  const char* locale = env("LC_ALL");
  if (!locale) locale = env("LC_CTYPE");
  if (!locale) locale = env("LANG");
  if (!locale) return false;
  std::string l(locale);
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  return l.find("utf-8") != std::string::npos || l.find("utf8") != std::string::npos;
}

std::chrono::microseconds paged{0};
// Standard output's own buffer: `record` swaps in a copying one, and output
// it must copy cannot go to the pager.
std::streambuf* const terminal_buffer = std::cout.rdbuf();

int positive(const char* text, int fallback) {
  int n = text ? std::atoi(text) : 0;
  return n > 0 ? n : fallback;
}

// One grapheme cluster: its bytes and its width in columns.
struct Cluster {
  std::size_t bytes;
  std::size_t width;
};

// Splits text into grapheme clusters. A cluster is as wide as its widest code
// point; an emoji presentation selector (U+FE0F) or a flag (two regional
// indicators) makes it 2, as terminals draw them.
std::vector<Cluster> clusters(std::string_view text) {
  std::vector<Cluster> out;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_int32_t previous = -1, state = 0;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n < 1) {  // an invalid byte: a cluster of its own, one column
      out.push_back({1, 1});
      ++p, --left, previous = -1, state = 0;
      continue;
    }
    int w = std::max(0, utf8proc_charwidth(cp));
    bool regional = cp >= 0x1F1E6 && cp <= 0x1F1FF;
    bool joins = previous >= 0 && !utf8proc_grapheme_break_stateful(previous, cp, &state);
    if (joins && !out.empty()) {
      auto& c = out.back();
      c.bytes += static_cast<std::size_t>(n);
      c.width = std::max<std::size_t>(c.width, static_cast<std::size_t>(w));
      if (cp == 0xFE0F || regional) c.width = std::max<std::size_t>(c.width, 2);
    } else {
      out.push_back({static_cast<std::size_t>(n), static_cast<std::size_t>(w)});
    }
    previous = cp;
    p += n, left -= n;
  }
  return out;
}

// Printable ASCII is one column a byte, each byte a cluster of its own: most
// cells are, and they need no Unicode tables.
bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

}  // namespace

Terminal Terminal::detect(bool no_color) {
  Terminal t;
  t.is_tty = isatty(STDOUT_FILENO);
  t.color = t.is_tty && !no_color && !env("NO_COLOR");
  t.err_is_tty = isatty(STDERR_FILENO);
  t.err_color = t.err_is_tty && !no_color && !env("NO_COLOR");
  t.unicode = utf8_locale();
  winsize size{};
  bool sized = t.is_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0;
  t.width = positive(env("COLUMNS"), sized ? size.ws_col : (t.is_tty ? 80 : kNoLimit));
  t.height = positive(env("LINES"), sized ? size.ws_row : 0);
  t.pager = env("PAGER") ? env("PAGER") : "less -SRXF";
  return t;
}

namespace {
struct Held {
  std::ostream* out;
  std::string text;
  Terminal terminal;
};
bool holding = false;
std::vector<Held> held;
}  // namespace

HeldPages::HeldPages() : outer_(!holding) { holding = true; }

void HeldPages::release() {
  if (!outer_ || !holding) return;
  holding = false;
  auto pages = std::exchange(held, {});
  for (const auto& h : pages) page(*h.out, h.text, h.terminal);
}

void page(std::ostream& out, const std::string& text, const Terminal& terminal) {
  bool on_terminal = terminal.is_tty && terminal.height > 0 && &out == &std::cout && out.rdbuf() == terminal_buffer;
  int rows = 0;  // on the screen: a line longer than the screen is wide wraps
  for (size_t at = 0; on_terminal && at < text.size() && rows < terminal.height;) {
    size_t end = std::min(text.find('\n', at), text.size());
    size_t columns = end - at > static_cast<size_t>(terminal.width) ? display_width(std::string_view(text).substr(at, end - at)) : 0;
    rows += 1 + static_cast<int>(columns ? (columns - 1) / static_cast<size_t>(std::max(terminal.width, 1)) : 0);
    at = end + 1;
  }
  if (rows >= terminal.height && on_terminal && holding) return held.push_back({&out, text, terminal});
  FILE* pager = rows >= terminal.height && on_terminal ? popen(terminal.pager.c_str(), "w") : nullptr;
  if (!pager) return void(out << text);
  out.flush();
  auto started = std::chrono::steady_clock::now();
  auto previous = signal(SIGPIPE, SIG_IGN);  // quitting the pager early must not end fwitter
  fwrite(text.data(), 1, text.size(), pager);
  pclose(pager);
  signal(SIGPIPE, previous);
  paged += std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
}

std::chrono::microseconds paged_time() { return paged; }

std::size_t display_width(std::string_view text) {
  if (printable_ascii(text)) return text.size();
  std::size_t width = 0;
  for (const auto& c : clusters(text)) width += c.width;
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width, std::string_view ellipsis, std::size_t* shown) {
  std::size_t full = display_width(text);
  std::size_t ignored;
  std::size_t& used = shown ? *shown : ignored;
  if (full <= width) return used = full, std::string(text);
  std::size_t mark = display_width(ellipsis);
  std::size_t room = width - std::min(width, mark);
  std::string_view tail = width >= mark ? ellipsis : "";
  used = tail.empty() ? 0 : mark;
  if (printable_ascii(text)) return used += room, std::string(text.substr(0, room)).append(tail);
  std::size_t bytes = 0, cut = 0;
  for (const auto& c : clusters(text)) {
    if (cut + c.width > room) break;
    cut += c.width, bytes += c.bytes;
  }
  used += cut;
  return std::string(text.substr(0, bytes)).append(tail);
}

}  // namespace fw::console

#include "console/progress.hpp"

#include <fmt/format.h>

#include <cmath>

namespace fw::console {

namespace {

// Quiet for the first half second: a short script never shows a line.
constexpr auto kFirstDraw = std::chrono::milliseconds(500);
constexpr auto kRedraw = std::chrono::milliseconds(200);

std::string grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string duration_words(double seconds) {
  auto s = static_cast<long>(std::lround(seconds));
  if (s < 1) return "under 1s";
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}h {:02}m", s / 3600, s / 60 % 60);
}

}  // namespace

Progress::Progress(std::ostream& out, std::ostream& err, bool enabled) : out_(out), err_(err), enabled_(enabled) {}

void Progress::script_started(size_t size, int depth) {
  if (depth != 1) return;
  erase();
  size_ = size;
  done_ = 0;
  started_ = last_draw_ = Clock::now();
}

void Progress::statement_read(const ReadStatement& statement) {
  if (statement.depth == 1) erase();
}

void Progress::error_read(int depth) {
  if (depth == 1) erase();
}

void Progress::script_ended(int depth) {
  if (depth == 1) erase();
}

std::string Progress::line(size_t done, std::chrono::duration<double> elapsed, size_t offset, size_t size) {
  double seconds = elapsed.count();
  double fraction = size == 0 ? 1.0 : static_cast<double>(offset) / static_cast<double>(size);
  std::string text = fmt::format("fwitter: {} statement{} ({}/s), {}%", grouped(done), done == 1 ? "" : "s",
                                 grouped(static_cast<size_t>(seconds > 0 ? done / seconds : 0)),
                                 static_cast<int>(fraction * 100));
  if (fraction > 0 && fraction < 1) text += ", about " + duration_words(seconds * (1 - fraction) / fraction) + " left";
  return text;
}

void Progress::erase() {
  if (!drawn_) return;
  err_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

void Progress::statement_done(size_t offset, int depth) {
  if (depth != 1) return;
  ++done_;
  if (!enabled_) return;
  auto now = Clock::now();
  if (now - started_ < kFirstDraw || now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  out_.flush();
  err_ << "\r\x1b[K" << line(done_, now - started_, offset, size_) << std::flush;
  drawn_ = true;
}

}  // namespace fw::console

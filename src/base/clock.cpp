#include "base/clock.hpp"

#include <chrono>
#include <ctime>
#include <fmt/format.h>

namespace fw {

// Every save stamps two columns, so the date and time of the last second
// are kept and only the microseconds are written afresh.
std::string utc_timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto since_epoch = duration_cast<microseconds>(now.time_since_epoch()).count();
  auto micros = since_epoch % 1000000;
  std::time_t t = static_cast<std::time_t>(since_epoch / 1000000);
  thread_local std::time_t second = -1;
  thread_local std::string text;
  if (t != second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    text = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.000000", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec);
    second = t;
  }
  std::string out = text;
  for (size_t i = out.size(); i-- > out.size() - 6; micros /= 10) out[i] = static_cast<char>('0' + micros % 10);
  return out;
}

}  // namespace fw

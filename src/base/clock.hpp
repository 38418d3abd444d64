#pragma once
#include <string>

namespace fw {
// The current time in UTC as ActiveRecord stores it in SQLite:
// "2026-11-21 17:50:00.123456".
std::string utc_timestamp();
}  // namespace fw

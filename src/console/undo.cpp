#include "console/undo.hpp"

#include <fmt/format.h>

#include <utility>

namespace fw::console {

void UndoHistory::push(UndoEntry entry) {
  entry.serial = next_++;
  if (entry.changes.empty() && entry.untracked.empty()) {
    unchanged_ = std::move(entry.statement);
    unchanged_serial_ = entry.serial;
    return;
  }
  unchanged_.reset();
  entries_.push_back(std::move(entry));
  if (entries_.size() > kLimit) entries_.pop_front();
}

void UndoHistory::forget(std::uint64_t mark) {
  while (!entries_.empty() && entries_.back().serial >= mark) entries_.pop_back();
  if (unchanged_ && unchanged_serial_ >= mark) unchanged_.reset();
}

std::optional<UndoEntry> UndoHistory::pop(std::optional<std::string>& unchanged_after) {
  unchanged_after = std::exchange(unchanged_, std::nullopt);
  if (entries_.empty()) return std::nullopt;
  UndoEntry entry = std::move(entries_.back());
  entries_.pop_back();
  return entry;
}

namespace {

std::string rows(int n) { return fmt::format("{} row{}", n, n == 1 ? "" : "s"); }

std::string lines(const std::vector<storage::TableChanges>& summary, const char* inserted, const char* deleted,
                  const char* updated, const char* nullified) {
  std::string out;
  for (const auto& t : summary) {
    std::vector<std::string> parts;
    if (t.inserted) parts.push_back(rows(t.inserted) + " " + inserted);
    if (t.deleted) parts.push_back(rows(t.deleted) + " " + deleted);
    int plain = nullified ? t.updated - t.nullified : t.updated;
    if (nullified && t.nullified) parts.push_back(rows(t.nullified) + " " + nullified);
    if (plain) parts.push_back(rows(plain) + " " + updated);
    std::string joined;
    for (const auto& p : parts) joined += (joined.empty() ? "" : ", ") + p;
    out += fmt::format("  {}: {}\n", t.table, joined);
  }
  return out;
}

}  // namespace

std::string restored_text(const std::vector<storage::TableChanges>& inverse) {
  return lines(inverse, "put back", "removed", "changed back", nullptr);
}

std::string would_change_text(const std::vector<storage::TableChanges>& summary) {
  return lines(summary, "inserted", "deleted", "updated", "nullified");
}

}  // namespace fw::console

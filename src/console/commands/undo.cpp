// undo: revert everything the last statement changed (again: the one before).
#include <fmt/format.h>

#include "console/commands.hpp"
#include "console/session.hpp"
#include "console/undo.hpp"

namespace fw::console {

void command_undo(Session& s, const std::string& args) {
  if (!args.empty()) throw fw::Error("undo takes nothing: it reverts the last statement that changed something");
  UndoHistory& history = s.runner().undo_history();
  std::optional<std::string> unchanged;
  auto entry = history.pop(unchanged);
  if (unchanged) s.out() << fmt::format("`{}` changed nothing", *unchanged) << (entry ? "; undoing the statement before it\n" : "\n");
  if (!entry) {
    s.out() << (unchanged ? "Nothing before it to undo.\n" : "Nothing to undo.\n");
    return;
  }
  if (!entry->untracked.empty()) {
    std::string statement = entry->statement;
    auto tables = fmt::format("{}", fmt::join(entry->untracked, ", "));
    history.put_back(std::move(*entry));
    throw fw::Error(fmt::format(
        "undo cannot revert `{}`: it changed {}, which has no primary key, so its rows could not be recorded; "
        "nothing was reverted",
        statement, tables));
  }
  auto inverse = entry->changes.inverted();
  try {
    inverse.apply(s.env().db());
  } catch (const storage::DbError& e) {
    if (e.is_unavailable()) throw;
    std::string statement = entry->statement;
    history.put_back(std::move(*entry));
    throw fw::Error(fmt::format("undo cannot revert `{}`: {}", statement, e.what()));
  }
  s.runner().mark_undoing();
  auto restored = inverse.summary();
  s.reload_variables(restored, false);
  s.out() << fmt::format("Reverted `{}`:\n", entry->statement) << restored_text(restored);
}

}  // namespace fw::console

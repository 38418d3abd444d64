// transaction (or begin alone on a line), commit and rollback: a transaction
// that spans statements at the prompt. The statement runner opens and ends
// it once the command's own statement has ended (StatementRunner::request).
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_begin(Session& s, const std::string&) { s.runner().request(Request::Begin); }
void command_commit(Session& s, const std::string&) { s.runner().request(Request::Commit); }
void command_rollback(Session& s, const std::string&) { s.runner().request(Request::Rollback); }

}  // namespace fw::console

// transaction (or begin alone on a line), commit and rollback: a transaction
// that spans statements at the prompt. The statement loop opens and ends it
// once the command's own statement has ended (Session::request).
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_begin(Session& s, const std::string&) { s.request(Session::Request::Begin); }
void command_commit(Session& s, const std::string&) { s.request(Session::Request::Commit); }
void command_rollback(Session& s, const std::string&) { s.request(Session::Request::Rollback); }

}  // namespace fw::console

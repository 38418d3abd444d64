#pragma once
// A script's text: read from a file, and the comments between its
// statements, as --echo and record show them.
#include <ostream>
#include <string>
#include <string_view>

#include "console/statement_observer.hpp"

namespace fw::console {

// A script's comment lines, as --echo shows them before the statement they
// explain (a lesson run with --echo reads as a handout): `between` is the
// text since the last statement; `after_output` keeps a blank line before them.
void echo_comments(std::string_view between, bool after_output, std::ostream& to);
// A script's text after the statement ending at `last_end` (less the rest of
// its line) up to the next statement, at `next`: the comments that explain it.
std::string_view text_between(std::string_view source, size_t last_end, size_t next);

// A script file's text; throws fw::Error naming why it cannot be one (missing,
// a directory or device, too large, binary).
std::string read_script(const std::string& path);

// --echo: each statement printed after "> ", below the comments before it,
// while `on` holds (a live lesson shows its steps itself).
class Echo : public StatementObserver {
 public:
  Echo(std::ostream& out, const bool& on) : out_(out), on_(on) {}
  void statement_read(const ReadStatement& statement) override;

 private:
  std::ostream& out_;
  const bool& on_;
};

}  // namespace fw::console

#pragma once
// What watches the statement runner (console/statement_runner.hpp) run a
// script: the progress line, --echo, the transcript `record` writes, the
// timer. Each is told what happens and changes nothing of the run; the
// runner tells them in the order they were added.
#include <chrono>
#include <cstddef>
#include <string_view>

namespace fw::console {

struct Command;  // console/commands.hpp

// A statement as the script loop read it, before it runs.
struct ReadStatement {
  std::string_view text;      // as written
  std::string_view comments;  // the script's text since the statement before it: the comments explaining it
  bool after_output;          // a statement of the same script came before it
  const Command* command;     // the console command it is, or null
  int depth;                  // 1: the outermost script (load runs one inside another)
};

class StatementObserver {
 public:
  virtual ~StatementObserver() = default;
  // A script of `size` bytes starts; `depth` as in ReadStatement.
  virtual void script_started(size_t /*size*/, int /*depth*/) {}
  // A statement read, before it runs.
  virtual void statement_read(const ReadStatement& /*statement*/) {}
  // A syntax error read, before it is reported.
  virtual void error_read(int /*depth*/) {}
  // A statement (each of a line's `a; b`, each try) about to run.
  virtual void statement_started() {}
  // A statement ran, `took` from its start (less the time spent reading in
  // the pager). Not told for a console command, nor for the statements
  // before the last of a line (`a; b`), which show no value.
  virtual void statement_ended(std::chrono::microseconds /*took*/) {}
  // The statement read last failed (it was rolled back and reported); told
  // before statement_done, which follows when the script goes on (--keep-going, the prompt).
  virtual void statement_failed(int /*depth*/) {}
  // The loop moves on: the next statement starts at `next_offset`.
  virtual void statement_done(size_t /*next_offset*/, int /*depth*/) {}
  // The script ended, before its transaction is committed or rolled back.
  virtual void script_ended(int /*depth*/) {}

 protected:
  StatementObserver() = default;
  StatementObserver(const StatementObserver&) = default;
  StatementObserver& operator=(const StatementObserver&) = default;
};

}  // namespace fw::console

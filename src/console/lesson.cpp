// A lesson, live: on a terminal the teacher steps through it one statement
// at a time, and types statements of their own between the steps.
#include <fmt/format.h>

#include <sstream>

#include "console/commands.hpp"
#include "console/completion.hpp"
#include "console/interrupt.hpp"
#include "console/line_editor.hpp"
#include "console/session.hpp"
#include "lang/errors.hpp"
#include "lang/parser.hpp"

namespace fw::console {

namespace {

// One step: the comments before a statement, and the statement as written.
struct Step {
  std::string comments;
  std::string statement;
  size_t line = 1;  // where the statement starts in the lesson
};

size_t line_at(std::string_view text, size_t offset) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The lesson cut into steps, one a statement (a line of `a; b` is one). From
// a syntax error on, the rest is one last step: running it reports the error.
std::vector<Step> steps_of(const std::string& text) {
  std::vector<Step> steps;
  lang::Parser parser(text, command_words());
  auto source = parser.lexer().source();
  size_t done = 0;  // where the last statement ended
  for (;;) {
    lang::NodePtr statement;
    try {
      statement = parser.next_statement();
    } catch (const lang::SyntaxError&) {
      size_t start = text.find_first_not_of(" \t\r\n;", done);
      if (start != std::string::npos) steps.push_back({"", text.substr(start), line_at(text, start)});
      break;
    }
    if (!statement) break;
    std::ostringstream comments;
    echo_comments(text_between(source, done, statement->offset), false, comments);
    done = parser.statement_end();
    steps.push_back({comments.str(), std::string(source.substr(statement->offset, done - statement->offset)),
                     line_at(text, statement->offset)});
  }
  return steps;
}

std::string trimmed(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

constexpr const char* kHowTo =
    "A live lesson: Enter runs the step shown; a statement you type runs in the lesson's world;\n"
    "`back` undoes the last step, `skip` passes one; Ctrl-D leaves (nothing is kept).\n";

}  // namespace

// Undoes what every statement since `mark` changed, newest first, through the
// undo command (each says what it put back); stops at one it cannot undo.
void Session::undo_to(std::uint64_t mark) {
  const UndoHistory& undo = runner_.undo_history();
  while (undo.newest() >= mark && undo.newest() > 0) {
    auto before = undo.newest();
    if (run_script("(back)", "undo\n") != 0 || undo.newest() == before) return;
  }
}

int Session::run_lesson(const std::string& name, const std::string& text) {
  auto steps = steps_of(text);
  start_interactive();
  settings_.echo = false;  // the step is shown before Enter runs it
  Completer completer(*this);
  LineEditor editor(HistoryFile(HistoryFile::default_path()),
                    [&](const std::string& before) {
                      ConnectionTurn::TakenBack back(turn_);  // completion may read: the console's turn again
                      return completer.complete(before);
                    });
  InterruptGuard between_statements;
  out_ << kHowTo;
  size_t next = 0;                  // the step Enter runs
  std::vector<std::uint64_t> marks;  // undo's mark before each step that ran
  bool shown = false;
  std::string buffer, line;
  int status = 0;
  while (!runner_.exit_requested()) {
    if (!shown && next < steps.size()) {
      out_ << '\n' << steps[next].comments << fmt::format("[step {} of {}] > {}\n", next + 1, steps.size(), steps[next].statement);
      shown = true;
    }
    out_.flush();
    std::string prompt_text = prompt(!buffer.empty());
    if (buffer.empty() && next < steps.size())
      prompt_text.insert(prompt_text.size() - 2, fmt::format(" [{}/{}]", next + 1, steps.size()));
    auto read = [&] {
      ConnectionTurn::Lent lent(turn_);  // the view's pages may read while the console waits
      return editor.read(prompt_text, line);
    }();
    if (read == LineEditor::Read::End) break;
    if (read == LineEditor::Read::Cancelled) {
      buffer.clear();
      continue;
    }
    std::string word = buffer.empty() ? trimmed(line) : "-";
    if (word.empty() && next < steps.size()) {
      marks.push_back(runner_.undo_history().mark());
      InterruptGuard ctrl_c;
      // Blank lines before it, so an error names the statement's line in the lesson.
      status = run_script(name, std::string(steps[next].line - 1, '\n') + steps[next].statement + "\n");
      shown = false;
      if (++next == steps.size())
        out_ << "\nThe lesson is over. Its world stays open: type statements of your own, `back` to undo the last "
                "step, Ctrl-D to leave.\n";
    } else if (word == "back") {
      if (marks.empty()) {
        out_ << "This is the first step; there is nothing to go back to.\n";
        continue;
      }
      undo_to(marks.back());
      marks.pop_back();
      --next;
      shown = false;
    } else if (word == "skip" && next < steps.size()) {
      marks.push_back(runner_.undo_history().mark());  // `back` returns to it, undoing nothing
      ++next;
      shown = false;
    } else if (!word.empty()) {
      take_line(buffer, line, editor, status);
    }
  }
  return leave_console(status);
}

}  // namespace fw::console

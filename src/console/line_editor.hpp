#pragma once
// The console's line editor: libedit (BSD editline) with emacs keys (arrows,
// Ctrl-A/E, Ctrl-R searching back), a history kept in a file, Tab completion
// and Ctrl-C cancelling the line being typed. Used only on a terminal.
#include <functional>
#include <string>
#include <vector>

#include "console/history.hpp"

typedef struct editline EditLine;
typedef struct history History;

namespace fw::console {

// What Tab completes: the word before the cursor and the names it may become.
struct Completion {
  std::string word;
  std::vector<std::string> candidates;  // each begins with word
};

class LineEditor {
 public:
  // Given the text before the cursor (the current line only).
  using Completer = std::function<Completion(const std::string& before_cursor)>;

  LineEditor(HistoryFile file, Completer complete);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Read { Line, Cancelled, End };
  // One line, without its newline. Cancelled: Ctrl-C; End: Ctrl-D on an empty line.
  Read read(const std::string& prompt, std::string& line);
  // Adds a whole statement (lines joined by newlines) to the history and its file.
  void remember(const std::string& statement);

 private:
  static char* prompt_of(EditLine* el);
  static unsigned char on_tab(EditLine* el, int key);
  static unsigned char on_cancel(EditLine* el, int key);
  static LineEditor& of(EditLine* el);
  unsigned char complete();

  EditLine* el_;
  History* history_;
  HistoryFile file_;
  Completer complete_;
  std::string prompt_;
  bool cancelled_ = false;
};

// Names laid out in columns across `width` columns, as a shell lists them.
std::string columns_of(const std::vector<std::string>& names, int width);

}  // namespace fw::console

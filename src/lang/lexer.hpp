#pragma once
// Turns source text into tokens on demand. It never throws or prints: bad
// input becomes an Error token. Newlines inside brackets are not tokens, so
// an open bracket continues a statement on the next line.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/token.hpp"

namespace fw::lang {

// The keyword a word is (`if`, `end`, ...), if it is one.
std::optional<Tok> keyword_of(std::string_view word);

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Token next();
  // The text from `offset` to the next white space or `;`, as one token:
  // the bare-word values of the command form (email=ann@example.com).
  Token raw_word(const Token& from);
  // Continue lexing at `offset` with `depth` brackets open.
  void reset(size_t offset, int depth);
  // Continue lexing just after `t`, a token already made (dropping any read past it).
  void rewind(const Token& t);
  // A block or body opens at bracket depth `depth`: inside it, a newline
  // ends a statement even within brackets (`{ |t|` ... `}`), until it closes.
  void enter_body(int depth) { bodies_.push_back(depth); }
  void leave_body() {
    if (!bodies_.empty()) bodies_.pop_back();
  }
  std::string_view source() const { return src_; }
  // `offset`, or past the heredoc bodies when it is on a line that opens some:
  // where a statement ending at `offset` ends in the source.
  size_t past_heredocs(size_t offset) const;
  // The whole line holding `offset`, for carets under errors.
  std::string_view line_at(size_t offset) const;
  SourcePos position(size_t offset) const;

 private:
  char peek(size_t ahead = 0) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0'; }
  bool at_end() const { return pos_ >= src_.size(); }
  Token make(Tok type, size_t start, std::string text = "");
  Token error(size_t start, std::string message);
  void skip_space_and_comments();
  bool newline_continues() const;
  bool value_ended() const;
  Token number(size_t start);
  Token assigning_operator(size_t start, Tok plain, const char* op);
  Token percent(size_t start);
  Token colon(size_t start);
  Token string(size_t start, char quote, bool continuing = false);
  bool heredoc_opens(size_t start) const;
  Token heredoc(size_t start);
  Token heredoc_text(size_t start, bool continuing);
  void forget_heredocs_after(size_t offset);
  Token words(size_t start);
  Token shell(size_t start, char close);
  bool in_body() const;
  bool after_block_open() const;
  Token symbol(size_t start);
  Token regex(size_t start);
  Token word(size_t start);
  bool read_escape(char quote, std::string& out);
  bool read_unicode(std::string& out);
  static int hex(char c);

  std::string_view src_;
  size_t pos_ = 0;
  int depth_ = 0;        // open ( [ {
  int start_depth_ = 0;  // depth_ before the token being made
  Tok last_ = Tok::Newline;
  std::vector<int> interpolations_;  // the depth of each open #{
  std::vector<int> bodies_;          // depths at which a newline ends a statement
  // A heredoc being read: its body is read in place, then the opener's line goes on.
  struct Heredoc {
    size_t body_start, body_end;  // its lines (the terminator line starts at body_end)
    size_t return_to;             // just past the opener (<<~EOS)
    size_t indent;                // <<~: the columns taken off each line's start
    bool raw;                     // <<~'EOS': no escapes or interpolation
    int interpolation;            // the depth of its open #{, or -1
  };
  std::vector<Heredoc> heredocs_;
  // The bodies lines' heredocs took: at `line_end` (the opener line's
  // newline) the lexer goes on at `resume` (the terminator line's newline).
  struct Skip {
    size_t opener, line_end, resume;
  };
  std::vector<Skip> skips_;
  mutable size_t memo_offset_ = 0;
  mutable SourcePos memo_pos_{1, 1};
};

}  // namespace fw::lang

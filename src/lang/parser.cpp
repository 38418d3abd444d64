// The parser's tokens and statements: bodies, the command form, console commands, multiple assignment.
#include "lang/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "lang/parser_depth.hpp"

namespace fw::lang {

Parser::Parser(std::string_view source, std::vector<CommandWord> commands)
    : lexer_(source), commands_(std::move(commands)) {
  if (source.size() > kMaxSource) {
    current_.type = Tok::Error;
    current_.text = fmt::format("input too large ({} bytes; at most {})", source.size(), kMaxSource);
  } else {
    advance();
  }
}

// ---- tokens ----

void Parser::advance() {
  previous_ = std::move(current_);
  if (!lookahead_.empty()) {
    current_ = std::move(lookahead_.front());
    lookahead_.erase(lookahead_.begin());
  } else {
    current_ = lexer_.next();
  }
}

const Token& Parser::peek_token(int ahead) {
  while (static_cast<int>(lookahead_.size()) < ahead) lookahead_.push_back(lexer_.next());
  return lookahead_[static_cast<size_t>(ahead - 1)];
}

bool Parser::match(Tok type) {
  if (!check(type)) return false;
  advance();
  return true;
}

void Parser::error_at(const Token& token, const std::string& message) {
  if (token.type == Tok::Error) throw SyntaxError(token.text, token.pos, token.offset, token.unfinished);
  bool incomplete = token.type == Tok::Eof;
  if (incomplete) {  // point just past the last character, not at an empty last line
    auto source = lexer_.source();
    size_t end = std::min(token.offset, source.size());
    while (end > 0 && std::isspace(static_cast<unsigned char>(source[end - 1]))) --end;
    throw SyntaxError(message, lexer_.position(end), end, incomplete);
  }
  throw SyntaxError(message, token.pos, token.offset, incomplete);
}

const Token& Parser::consume(Tok type, const char* what) {
  if (!check(type)) error_at(current_, fmt::format("expected {}, found {}", what, describe(current_.type)));
  advance();
  return previous_;
}

void Parser::skip_newlines() {
  while (check(Tok::Newline)) advance();
}

bool Parser::at_statement_end() const {
  return check(Tok::Newline) || check(Tok::Semicolon) || check(Tok::Eof);
}

void Parser::end_statement() {
  if (!at_statement_end())
    error_at(current_, fmt::format("unexpected {}; a statement ends at a new line or ';'", describe(current_.type)));
}

// After an error: skip the rest of the line it happened on.
void Parser::synchronize() {
  if (current_.type == Tok::Eof) return;
  auto source = lexer_.source();
  size_t from = std::max(previous_.end, current_.offset);
  size_t newline = source.find('\n', std::min(current_.offset, from));
  lookahead_.clear();
  lexer_.reset(newline == std::string_view::npos ? source.size() : newline, 0);
  advance();
}

NodePtr Parser::node(Node::Kind kind, const Token& at) { return std::make_unique<Node>(kind, at.pos, at.offset); }

NodePtr& Parser::deepen(NodePtr& n) {
  int below = n->receiver ? n->receiver->depth : 0;
  for (const auto& item : n->items) below = std::max(below, item->depth);
  if (n->block) below = std::max(below, n->block->depth);
  n->depth = below + 1;
  if (n->depth > kMaxTreeDepth) error_at(current_, "statement nested too deeply");
  return n;
}

NodePtr Parser::next_statement() {
  while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
  if (check(Tok::Eof)) return nullptr;
  try {
    depth_ = 0, loops_ = 0, defs_ = 0, no_do_ = false;  // a statement starts at the top level
    if (NodePtr plain = plain_command_line()) return plain;
    NodePtr s = statement();
    end_statement();
    if (!check(Tok::Semicolon)) return s;
    // `a = 1; b = 2; [a, b]`: as irb, the statements of one line run as one
    // unit that gives the last one's value, and an error stops the rest.
    NodePtr line = std::make_unique<Node>(Node::Kind::Body, s->pos, s->offset);
    line->flags = "line";
    line->items.push_back(std::move(s));
    for (;;) {
      while (check(Tok::Semicolon)) advance();
      if (check(Tok::Newline) || check(Tok::Eof)) break;
      depth_ = 0, loops_ = 0, defs_ = 0, no_do_ = false;
      line->items.push_back(statement());
      end_statement();
    }
    if (line->items.size() == 1) return std::move(line->items[0]);
    return std::move(deepen(line));
  } catch (const SyntaxError&) {
    synchronize();
    throw;
  }
}

// statement = class_def | module_def | console_command | body_statement ;
NodePtr Parser::statement() {
  if (check(Tok::Class)) return class_def();
  if (check(Tok::Module)) return module_def();
  if (is_console_command()) return console_command();
  return body_statement();
}

// body_statement = command | expression { modifier } ;
// modifier       = ( "if" | "unless" | "while" | "until" | "rescue" ) expression ;
NodePtr Parser::body_statement() {
  if (is_command_form()) return command();
  if (is_multi_assign()) return multi_assign();
  NodePtr s = expression();
  while (check(Tok::If) || check(Tok::Unless) || check(Tok::While) || check(Tok::Until) || check(Tok::Rescue)) {
    if (match(Tok::Rescue)) {  // x rescue y: y when x raises
      NodePtr r = std::make_unique<Node>(Node::Kind::Rescue, s->pos, s->offset);
      r->items.push_back(std::move(s));
      r->items.push_back(expression());
      s = std::move(deepen(r));
      continue;
    }
    bool loop = check(Tok::While) || check(Tok::Until);
    NodePtr n = std::make_unique<Node>(loop ? Node::Kind::While : Node::Kind::If, s->pos, s->offset);
    n->negate = check(Tok::Unless) || check(Tok::Until);
    advance();
    n->items.push_back(expression());
    n->items.push_back(std::move(s));
    s = std::move(deepen(n));
  }
  return s;
}

// body = { separator } [ body_statement { separator { separator } body_statement } ] { separator } ;
// It runs to one of `ends`, which it leaves for the caller to take.
NodePtr Parser::body(std::initializer_list<Tok> ends, const char* opener) {
  auto at_end = [&] { return std::any_of(ends.begin(), ends.end(), [&](Tok t) { return check(t); }); };
  enter_body();
  NodePtr b = node(Node::Kind::Body, current_);
  for (;;) {
    while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
    if (at_end()) break;
    if (check(Tok::Eof)) {  // 'if' has no 'end' (not its first way out, 'elsif'); describe() quotes it
      bool takes_end = std::find(ends.begin(), ends.end(), Tok::End) != ends.end();
      error_at(current_, fmt::format("'{}' has no {}", opener, describe(takes_end ? Tok::End : *ends.begin())));
    }
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    b->items.push_back(body_statement());
    if (!at_end()) end_statement();
  }
  leave_body();
  return std::move(deepen(b));
}

// Newlines end statements inside a body even within brackets; the lexer is
// told so before it reads past the body's first token, and again at its end.
void Parser::enter_body() {
  lookahead_.clear();
  lexer_.rewind(current_);
  lexer_.enter_body(current_.depth);
}

void Parser::leave_body() {
  lookahead_.clear();
  lexer_.leave_body();
  lexer_.rewind(current_);
}

const CommandWord* Parser::command_word(const std::string& name) const {
  for (const auto& c : commands_)
    if (c.name == name) return &c;
  return nullptr;
}

bool Parser::is_console_command() {
  if (!check(Tok::Ident) || !command_word(current_.text)) return false;
  const Token& next = peek_token(1);
  // `begin` alone, with nothing after it, opens a transaction; followed by
  // `;` or more lines it is Ruby's begin ... end.
  if (current_.text == "begin")
    return (next.type == Tok::Newline || next.type == Tok::Eof) && rest_is_blank(next.offset);
  // `help or`, `help if`: help's topic may be a keyword of the language
  if (current_.text == "help" && next.type >= Tok::Class && next.type <= Tok::Ensure) return true;
  switch (next.type) {
    case Tok::Newline: case Tok::Semicolon: case Tok::Eof: case Tok::Ident: case Tok::Constant:
    case Tok::String: case Tok::Integer:
      return true;
    default:
      return false;
  }
}

// console_command = COMMAND_NAME { any token } ;   (the rest of the statement, as text)
NodePtr Parser::console_command() {
  NodePtr cmd = node(Node::Kind::ConsoleCommand, current_);
  cmd->name = current_.text;
  bool whole_statement = command_word(cmd->name)->takes_statement;
  auto source = lexer_.source();
  size_t start = current_.end, end = start;
  char quote = 0;
  for (; end < source.size(); ++end) {
    char c = source[end];
    if (quote) {
      if (c == '\\') ++end;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\n' || (c == ';' && !whole_statement) || c == '#') {
      break;
    }
  }
  std::string text(source.substr(start, end - start));
  size_t a = text.find_first_not_of(" \t\r"), b = text.find_last_not_of(" \t\r");
  cmd->text = a == std::string::npos ? "" : text.substr(a, b - a + 1);
  lookahead_.clear();
  lexer_.reset(end, 0);
  advance();
  return cmd;
}

// The command form starts with two names: `heart user=2`, `heart user.email=...`.
bool Parser::is_command_form() {
  if (!check(Tok::Ident)) return false;
  const Token& key = peek_token(1);
  if (key.type != Tok::Ident) return false;
  const Token& after = peek_token(2);
  if (after.type == Tok::Assign) return true;
  return after.type == Tok::Dot && peek_token(3).type == Tok::Ident && peek_token(4).type == Tok::Assign;
}

// command = IDENT pair { pair } ;
// pair    = IDENT [ "." IDENT ] "=" value ;
// value   = STRING | interpolation | "(" expression ")" | BARE_WORD ;
NodePtr Parser::command() {
  NodePtr cmd = node(Node::Kind::Command, current_);
  cmd->name = current_.text;
  advance();
  while (!at_statement_end() && !check(Tok::RBrace)) {  // a } ends it inside a block: { |n| tag name=(n) }
    NodePtr pair = node(Node::Kind::CommandPair, current_);
    pair->name = consume(Tok::Ident, "a column or association name (key=value)").text;
    if (match(Tok::Dot)) pair->path = consume(Tok::Ident, "a column name after '.'").text;
    if (!check(Tok::Assign))
      error_at(current_, fmt::format("expected '=' after {}{} (the command form is key=value)", pair->name,
                                     pair->path.empty() ? "" : "." + pair->path));
    if (auto word = bare_word_after_assign()) {
      pair->items.push_back(bare_value(std::move(*word)));
    } else {
      advance();
      pair->items.push_back(command_value(pair->name + (pair->path.empty() ? "" : "." + pair->path)));
    }
    cmd->items.push_back(std::move(pair));
  }
  return cmd;
}

// A line of the command form whose values are literal (`heart user=2
// tweet=5`, `user username="ann" email=ann@example.com`), read straight from
// the source into the nodes command() makes of it: a seed script's thousands
// of such lines skip the tokens. Null, having read nothing, for anything
// else (a comment, `;`, a path, parentheses, a quote with an escape or `#`,
// a line the next continues with `.`), which the general way reads.
NodePtr Parser::plain_command_line() {
  if (!plain_commands_ || !lookahead_.empty() || current_.type != Tok::Ident || current_.depth != 0) return nullptr;
  std::string_view src = lexer_.source();
  const std::string& name = current_.text;
  char last = name.back();
  if (last == '?' || last == '!' || command_word(name)) return nullptr;
  auto at_blank = [&](size_t i) { return i < src.size() && (src[i] == ' ' || src[i] == '\t'); };
  auto ascii_name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  struct Pair {
    size_t key, key_end, value, value_end;
    bool quoted;
  };
  constexpr size_t kMostPairs = 16;
  Pair pairs[kMostPairs];
  size_t count = 0;
  size_t at = current_.end;
  if (!at_blank(at)) return nullptr;
  for (;;) {
    while (at_blank(at)) ++at;
    if (at == src.size() || src[at] == '\n') break;
    if (count == kMostPairs) return nullptr;
    Pair& p = pairs[count++];
    p.key = at;
    if (!std::islower(static_cast<unsigned char>(src[at])) && src[at] != '_') return nullptr;
    while (at < src.size() && ascii_name_char(src[at])) ++at;
    p.key_end = at;
    if (at + 1 >= src.size() || src[at] != '=' || keyword_of(src.substr(p.key, at - p.key))) return nullptr;
    char after = src[++at];
    p.value = at;
    p.quoted = after == '"';
    if (p.quoted) {
      for (++at; at < src.size() && src[at] != '"'; ++at)
        if (src[at] == '\\' || src[at] == '#' || src[at] == '\n') return nullptr;
      if (at == src.size()) return nullptr;
      ++at;
    } else {
      // as bare_word_after_assign and Lexer::raw_word read it
      bool plain = std::isalnum(static_cast<unsigned char>(after)) || after == '_' || after == '-' || after == '+' ||
                   after == '.' || after == '@';
      if (!plain) return nullptr;
      while (at < src.size() && !std::isspace(static_cast<unsigned char>(src[at])) && src[at] != ';') ++at;
    }
    p.value_end = at;
    if (at < src.size() && src[at] != ' ' && src[at] != '\t' && src[at] != '\n') return nullptr;
  }
  if (count == 0) return nullptr;
  // The next line must not continue this one (`.save` on a line of its own), as Lexer::newline_continues.
  size_t next = at;
  while (next < src.size() && (src[next] == ' ' || src[next] == '\t' || src[next] == '\r' || src[next] == '\n')) ++next;
  if (next + 1 < src.size() && src[next] == '.' && src[next + 1] != '.') return nullptr;

  NodePtr cmd = node(Node::Kind::Command, current_);
  cmd->name = name;
  cmd->items.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const Pair& p = pairs[i];
    auto pair = std::make_unique<Node>(Node::Kind::CommandPair, lexer_.position(p.key), p.key);
    pair->name = std::string(src.substr(p.key, p.key_end - p.key));
    auto value = std::make_unique<Node>(Node::Kind::String, lexer_.position(p.value), p.value);
    if (p.quoted) {
      value->text = std::string(src.substr(p.value + 1, p.value_end - p.value - 2));
    } else {
      value->text = std::string(src.substr(p.value, p.value_end - p.value));
      value->bare = true;
      if (value->text == "nil") value->kind = Node::Kind::Nil;
      else if (value->text == "true") value->kind = Node::Kind::True;
      else if (value->text == "false") value->kind = Node::Kind::False;
    }
    pair->items.push_back(std::move(value));
    cmd->items.push_back(std::move(pair));
  }
  // The parser as after command(): the last value read, the line's end next.
  const Pair& end = pairs[count - 1];
  Token value;
  value.type = Tok::String;
  value.offset = end.value;
  value.end = end.value_end;
  value.pos = lexer_.position(end.value);
  lexer_.reset(end.value_end, 0);
  previous_ = std::move(value);
  current_ = lexer_.next();
  return cmd;
}

NodePtr Parser::command_value(const std::string& key) {
  if (check(Tok::StringBegin)) return interpolation();  // content="tweet #{i}"
  if (check(Tok::String)) {
    NodePtr s = node(Node::Kind::String, current_);
    s->text = std::move(current_.text);  // the token is done with: nothing reads a previous token's text
    advance();
    return s;
  }
  if (match(Tok::LParen)) {
    NodePtr e = expression();
    consume(Tok::RParen, "')'");
    return e;
  }
  if (check(Tok::Newline) || check(Tok::Semicolon) || check(Tok::Eof))
    error_at(current_, fmt::format("expected a value after {}=", key));
  lookahead_.clear();
  return bare_value(lexer_.raw_word(current_));
}

// The value after `=` when it plainly is a bare word (user=3,
// email=ann@example.com): read raw straight from the source, rather than
// lexed as a token first and read again. Anything else (a quote, a bracket,
// a space, a comment, the end) goes the general way, command_value.
std::optional<Token> Parser::bare_word_after_assign() {
  std::string_view source = lexer_.source();
  if (!lookahead_.empty() || current_.end >= source.size()) return std::nullopt;
  char c = source[current_.end];
  bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+' || c == '.' || c == '@';
  if (!plain) return std::nullopt;
  Token from;
  from.offset = current_.end;
  from.depth = current_.depth;
  return lexer_.raw_word(from);
}

NodePtr Parser::bare_value(Token word) {
  NodePtr value = node(Node::Kind::String, word);
  value->text = word.text;
  value->bare = true;
  if (word.text == "nil") value->kind = Node::Kind::Nil;
  else if (word.text == "true") value->kind = Node::Kind::True;
  else if (word.text == "false") value->kind = Node::Kind::False;
  previous_ = std::move(word);  // the statement's text runs to the end of the word
  current_ = lexer_.next();
  return value;
}

// Whether the statement ahead is a multiple assignment (a, b = ...; *init, last = ...;
// x, (y, z) = ...): names, stars and parentheses separated by commas, then `=`.
bool Parser::is_multi_assign() {
  if (!check(Tok::Ident) && !check(Tok::Star) && !check(Tok::LParen)) return false;
  int depth = 0;
  bool list = false;
  for (int i = 0; i < 64; ++i) {
    Tok type = i == 0 ? current_.type : peek_token(i).type;  // a type, not a reference: peeking may move the tokens
    Tok next = peek_token(i + 1).type;
    switch (type) {
      case Tok::Ident:
        if (next != Tok::Comma && next != Tok::RParen && next != Tok::Assign) return false;
        break;
      case Tok::Star: list = true; break;
      case Tok::LParen: ++depth; break;
      case Tok::RParen:
        if (--depth < 0) return false;
        break;
      case Tok::Comma: list = true; break;
      case Tok::Assign: return depth == 0 && list;
      default: return false;
    }
  }
  return false;
}

// multi_assign = target { "," target } "=" expression { "," expression } ;
// target       = IDENT | "*" IDENT | "(" target { "," target } ")" ;
NodePtr Parser::multi_assign() {
  NodePtr n = node(Node::Kind::MultiAssign, current_);
  do {
    n->params.push_back(assign_target());
  } while (match(Tok::Comma));
  Token at = consume(Tok::Assign, "'='");
  skip_newlines();
  NodePtr values = node(Node::Kind::Array, current_);
  do {
    skip_newlines();
    values->items.push_back(expression());
  } while (match(Tok::Comma));
  if (values->items.size() == 1) n->items.push_back(std::move(values->items[0]));  // a, b = pair: taken apart
  else n->items.push_back(std::move(deepen(values)));
  return std::move(deepen(n));
}

std::string Parser::assign_target() {
  if (match(Tok::Star)) {
    std::string name = consume(Tok::Ident, "a variable name after '*'").text;
    locals_.insert(name);
    return "*" + name;
  }
  if (match(Tok::LParen)) {
    std::string inner;
    do {
      inner += (inner.empty() ? "" : ",") + assign_target();
    } while (match(Tok::Comma));
    consume(Tok::RParen, "')'");
    return "(" + inner + ")";
  }
  std::string name = consume(Tok::Ident, "a variable name").text;
  locals_.insert(name);
  return name;
}

// Whether the source from `offset` on holds nothing but spaces and comments.
bool Parser::rest_is_blank(size_t offset) const {
  auto source = lexer_.source();
  bool comment = false;
  for (size_t i = offset; i < source.size(); ++i) {
    char c = source[i];
    if (comment) {
      comment = c != '\n';
      continue;
    }
    if (c == '#') comment = true;
    else if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace fw::lang

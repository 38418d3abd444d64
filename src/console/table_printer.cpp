// The table format, the default: records as an aligned table that fits the
// terminal, anything else irb-style (=> 3).
#include <algorithm>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "base/text.hpp"
#include "console/printer.hpp"
#include "lang/inspect.hpp"

namespace fw::console {

namespace {

// A table shows this many rows; the rest of a relation is counted, not read.
constexpr std::int64_t kMaxRows = 50;
// Text is cut to this width before anything else is cut; no column is cut
// below kMinWidth (a table that still does not fit scrolls in the pager).
constexpr std::size_t kTextWidth = 20;
constexpr std::size_t kMinWidth = 5;
constexpr std::size_t kDateWidth = 10;  // "2026-11-21": a datetime when its time does not fit

constexpr std::string_view kDim = "\033[2m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kReset = "\033[0m";

struct Cell {
  std::string text;
  bool right = false;  // numbers are right-aligned
  bool dim = false;    // nil, dimmed when there is colour
  // The text's display width, measured once: a table measures each cell to
  // size its columns and again to pad it.
  mutable std::size_t shown = kUnmeasured;
  static constexpr std::size_t kUnmeasured = static_cast<std::size_t>(-1);
  std::size_t width() const { return shown == kUnmeasured ? shown = display_width(text) : shown; }
  void set_text(std::string t) { text = std::move(t), shown = kUnmeasured; }
};

// The lines a table is drawn with: Unicode box drawing, or ASCII.
// (views, not C strings: a line appends them a few times a cell, and need not measure them each time)
struct Box {
  std::string_view h, v, top[3], mid[3], bottom[3], ellipsis;  // [left, cross, right]
};
const Box kUnicode = {"─", "│", {"┌", "┬", "┐"}, {"├", "┼", "┤"}, {"└", "┴", "┘"}, "…"};
const Box kAscii = {"-", "|", {"+", "+", "+"}, {"+", "+", "+"}, {"+", "+", "+"}, "..."};

// Control characters as Ruby escapes them, so a value stays on its line.
std::string escape_controls(const std::string& s) {
  if (std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return s;
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      std::string q = quote_string(std::string(1, c));
      out += q.substr(1, q.size() - 2);
    } else {
      out += c;
    }
  }
  return out;
}

// nil prints as nil; the text "nil" and the empty string print quoted, so
// neither can be mistaken for NULL or for nothing. Datetimes to the second.
Cell cell(const Value& v, model::ColumnType type) {
  if (is_null(v)) return {"nil", false, true};
  if (std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v)) return {value_to_s(v), true};
  auto s = std::get_if<std::string>(&v);
  if (!s) return {value_to_s(v)};
  if (*s == "nil" || s->empty()) return {quote_string(*s)};
  if (type == model::ColumnType::DateTime && s->size() > 19 && (*s)[10] == ' ') return {s->substr(0, 19)};
  return {escape_controls(*s)};
}

bool numeric(model::ColumnType t) {
  return t == model::ColumnType::Integer || t == model::ColumnType::Float || t == model::ColumnType::Decimal;
}

std::size_t sum(const std::vector<std::size_t>& widths) {
  std::size_t total = 0;
  for (auto w : widths) total += w;
  return total;
}

// Narrows the widest columns, one column a step, none below its floor, until
// the table fits `room`; false when it cannot.
bool narrow(std::vector<std::size_t>& widths, const std::vector<std::size_t>& floors, std::size_t room) {
  for (std::size_t total = sum(widths); total > room; --total) {
    size_t widest = widths.size();
    for (size_t i = 0; i < widths.size(); ++i)
      if (widths[i] > floors[i] && (widest == widths.size() || widths[i] > widths[widest])) widest = i;
    if (widest == widths.size()) return false;
    --widths[widest];
  }
  return true;
}

// "3 rows", "1 row", or "50 of 1000 rows (950 more: ...)" saying how to see them.
std::string footer(std::int64_t rows, std::int64_t more) {
  if (more > 0)
    return fmt::format("{} of {} rows ({} more: .offset({}) shows the next, `format table --all` every row)\n", rows,
                       rows + more, more, rows);
  return std::to_string(rows) + (rows == 1 ? " row\n" : " rows\n");
}

// Under a table with new records, that they are not saved, and why: "not
// saved: Username can't be blank" (a failed create shows no "1 row").
std::string unsaved_footer(std::int64_t rows, std::int64_t unsaved, const std::vector<std::string>& errors) {
  std::string text = rows == 1 ? "not saved" : fmt::format("{} rows, {} not saved", rows, unsaved);
  if (errors.empty()) return text + (rows == 1 ? " yet (a new record)\n" : "\n");
  if (errors.size() == 1) return text + ": " + errors.front() + "\n";
  text += fmt::format(" ({} errors):\n", errors.size());
  for (const auto& e : errors) text += "  " + e + "\n";
  return text;
}

void repeat(std::string& out, std::string_view piece, std::size_t n) {
  size_t start = out.size();
  out.resize(start + piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) piece.copy(out.data() + start + i * piece.size(), piece.size());
}

std::string rule(const Box& box, const std::string_view ends[3], const std::vector<std::size_t>& widths) {
  std::string out(ends[0]);
  for (size_t i = 0; i < widths.size(); ++i) {
    if (i) out += ends[1];
    repeat(out, box.h, widths[i] + 2);
  }
  out += ends[2];
  return out += '\n';
}

// Appends one line of cells to `out`.
void line(std::string& out, const Box& box, bool color, const std::vector<Cell>& cells,
          const std::vector<std::size_t>& widths, bool header) {
  out += box.v;
  std::string cut;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string_view text = cells[i].text;
    std::size_t shown = cells[i].width();
    if (shown > widths[i]) text = cut = truncate_to_width(text, widths[i], box.ellipsis, &shown);
    std::size_t pad = widths[i] - shown;
    bool colored = color && (header || cells[i].dim);
    out += ' ';
    if (cells[i].right) out.append(pad, ' ');
    if (colored) out.append(header ? kBold : kDim);
    out += text;
    if (colored) out.append(kReset);
    if (!cells[i].right) out.append(pad, ' ');
    out += ' ';
    out += box.v;
  }
  out += '\n';
}

class TablePrinter : public RowPrinter {
 public:
  TablePrinter(std::ostream& out, model::Store& store, const Terminal& terminal, bool all_rows)
      : RowPrinter(store, all_rows ? std::nullopt : std::optional<std::int64_t>(kMaxRows)), out_(out), terminal_(terminal), box_(terminal.unicode ? kUnicode : kAscii) {}
  void error(const std::string&) override {}

 protected:
  void begin(const model::ModelClass& model) override {
    rows_.clear();
    unsaved_ = 0;
    unsaved_errors_.clear();
    if (same_header(model)) return;  // a record a statement: the header is built once
    model_ = &model;
    header_.clear();
    types_.clear();
    for (const auto& c : model.columns) {  // an enum's names are text
      header_.push_back({c.name, numeric(c.type) && !c.is_enum()});
      types_.push_back(c.is_enum() ? model::ColumnType::String : c.type);
    }
  }
  bool same_header(const model::ModelClass& model) const {
    if (&model != model_ || header_.size() != model.columns.size()) return false;
    for (size_t i = 0; i < header_.size(); ++i)
      if (header_[i].text != model.columns[i].name ||
          types_[i] != (model.columns[i].is_enum() ? model::ColumnType::String : model.columns[i].type))
        return false;
    return true;
  }
  void row(const model::Record& r) override {
    std::vector<Cell> cells;
    cells.reserve(header_.size());
    for (size_t i = 0; i < header_.size(); ++i) {
      const auto& column = r.model().columns[i];
      cells.push_back(cell(column.is_enum() ? column.enum_name(r.at(i)) : r.at(i), types_[i]));
      cells.back().right |= header_[i].right;  // nil in a number column lines up with the numbers
    }
    rows_.push_back(std::move(cells));
    if (r.new_record()) {
      ++unsaved_;
      for (auto& message : r.errors().full_messages()) unsaved_errors_.push_back(std::move(message));
    }
  }
  void end(std::int64_t rows, std::int64_t more) override;
  const std::vector<std::size_t>& widths();
  void other(const lang::Object& v) override { print_result(out_, lang::inspect(v, store_), terminal_); }

 private:
  // The three rules and the header line of a table, drawn again only when the
  // model or the widths change (a script creating one record after another
  // prints the same frame).
  struct Frame {
    std::string top, header, mid, bottom;
  };
  const Frame& frame(const std::vector<std::size_t>& widths) {
    if (widths != frame_widths_ || model_ != frame_model_) {
      frame_widths_ = widths;
      frame_model_ = model_;
      frame_ = {console::rule(box_, box_.top, widths), "", console::rule(box_, box_.mid, widths),
                console::rule(box_, box_.bottom, widths)};
      line(frame_.header, header_, widths, true);
    }
    return frame_;
  }
  void line(std::string& out, const std::vector<Cell>& cells, const std::vector<std::size_t>& widths, bool header) const {
    console::line(out, box_, terminal_.color, cells, widths, header);
  }

  std::ostream& out_;
  Terminal terminal_;
  Box box_;
  std::vector<Cell> header_;
  std::vector<model::ColumnType> types_;
  std::vector<std::vector<Cell>> rows_;
  std::int64_t unsaved_ = 0;                 // rows that are new records: not in the database
  std::vector<std::string> unsaved_errors_;  // why they were not saved
  const model::ModelClass* model_ = nullptr;
  std::vector<std::size_t> frame_widths_;
  const model::ModelClass* frame_model_ = nullptr;
  Frame frame_;
  // Kept from one table to the next, so a script printing a record a
  // statement does not allocate them again.
  std::vector<std::size_t> widths_, soft_, hard_;
  std::string text_;
};

// The columns' widths to fit the terminal: first text is cut to kTextWidth,
// then datetimes lose their time, then the widest columns are cut.
const std::vector<std::size_t>& TablePrinter::widths() {
  std::size_t frame = 3 * header_.size() + 1;  // "│ " before each column, " │" after the last
  std::size_t room = static_cast<std::size_t>(terminal_.width) > frame ? terminal_.width - frame : 0;
  auto& widths = widths_;
  auto& soft = soft_;
  auto& hard = hard_;
  auto measure = [&] {
    widths.clear(), soft.clear(), hard.clear();
    for (size_t i = 0; i < header_.size(); ++i) {
      std::size_t w = header_[i].width();
      for (const auto& r : rows_) w = std::max(w, r[i].width());
      bool text = !header_[i].right && types_[i] != model::ColumnType::DateTime;
      widths.push_back(w);
      soft.push_back(text ? std::min(w, kTextWidth) : w);
      hard.push_back(std::min(w, kMinWidth));
    }
  };
  measure();
  if (narrow(widths, soft, room)) return widths;
  for (size_t i = 0; i < header_.size(); ++i)
    if (types_[i] == model::ColumnType::DateTime)
      for (auto& r : rows_) r[i].set_text(r[i].text.substr(0, std::min(r[i].text.size(), kDateWidth)));
  measure();
  if (!narrow(widths, soft, room)) narrow(widths, hard, room);
  return widths;
}

void TablePrinter::end(std::int64_t rows, std::int64_t more) {
  const auto& widths = this->widths();
  const Frame& f = frame(widths);
  std::string& text = text_;
  text.clear();
  text.append(f.top).append(f.header).append(f.mid);
  for (const auto& r : rows_) line(text, r, widths, false);
  text.append(f.bottom).append(unsaved_ ? unsaved_footer(rows, unsaved_, unsaved_errors_) : footer(rows, more));
  page(out_, text, terminal_);
  if (text.capacity() > (1 << 16)) std::string().swap(text);  // a long table's text is not kept
  rows_.clear();
}

}  // namespace

std::string text_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const Terminal& terminal) {
  const Box& box = terminal.unicode ? kUnicode : kAscii;
  std::vector<Cell> head;
  std::vector<std::size_t> widths, floors;
  std::vector<bool> numbers;  // a column of whole numbers is right-aligned, as in a table of records
  for (size_t i = 0; i < header.size(); ++i) {
    numbers.push_back(!rows.empty() && std::all_of(rows.begin(), rows.end(), [&](const auto& r) { return parse_int(r[i]).has_value(); }));
    head.push_back({header[i], numbers[i]});
    widths.push_back(display_width(header[i]));
    for (const auto& r : rows) widths[i] = std::max(widths[i], display_width(r[i]));
    floors.push_back(std::min(widths[i], kMinWidth));
  }
  std::size_t frame = 3 * header.size() + 1;
  narrow(widths, floors, static_cast<std::size_t>(terminal.width) > frame ? terminal.width - frame : 0);
  std::string text = rule(box, box.top, widths);
  line(text, box, terminal.color, head, widths, true);
  text += rule(box, box.mid, widths);
  for (const auto& r : rows) {
    std::vector<Cell> cells;
    for (size_t i = 0; i < r.size(); ++i) cells.push_back({r[i], numbers[i]});
    line(text, box, terminal.color, cells, widths, false);
  }
  return text + rule(box, box.bottom, widths);
}

std::unique_ptr<Printer> make_table_printer(std::ostream& out, model::Store& store, const Terminal& terminal,
                                            bool all_rows) {
  return std::make_unique<TablePrinter>(out, store, terminal, all_rows);
}

}  // namespace fw::console

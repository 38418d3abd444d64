// What every printer shares: formats by name, the row-by-row reading of
// records, and the inspect format.
#include <algorithm>

#include "base/error.hpp"
#include "console/highlight.hpp"
#include "console/printer.hpp"
#include "lang/inspect.hpp"

namespace fw::console {

namespace {

const char* const kFormats[] = {"table", "inspect", "json", "csv"};

// ActiveRecord's own rendering, one value a line, as irb shows it:
// => #<User id: 1, ...>.
class InspectPrinter : public Printer {
 public:
  InspectPrinter(std::ostream& out, model::Store& store, const Terminal& terminal)
      : out_(out), store_(store), terminal_(terminal) {}
  void value(const lang::Object& v) override { print_result(out_, lang::inspect(v, store_), terminal_); }
  void error(const std::string&) override {}

 private:
  std::ostream& out_;
  model::Store& store_;
  Terminal terminal_;
};

}  // namespace

void print_result(std::ostream& out, const std::string& inspected, const Terminal& terminal) {
  page(out, "=> " + (terminal.color ? highlight(inspected) : inspected) + "\n", terminal);
}

bool is_format(const std::string& name) {
  return std::find(std::begin(kFormats), std::end(kFormats), name) != std::end(kFormats);
}

std::vector<std::string> formats() { return {std::begin(kFormats), std::end(kFormats)}; }

const char* format_names() { return "table, inspect, json or csv"; }

std::unique_ptr<Printer> make_printer(const std::string& format, std::ostream& out, model::Store& store,
                                      const Terminal& terminal, bool all_rows) {
  if (format == "table") return make_table_printer(out, store, terminal, all_rows);
  if (format == "inspect") return make_inspect_printer(out, store, terminal);
  if (format == "json") return std::make_unique<JsonPrinter>(out, store);
  if (format == "csv") return make_csv_printer(out, store);
  throw fw::Error("unknown format '" + format + "'; the formats are " + format_names());
}

std::unique_ptr<Printer> make_inspect_printer(std::ostream& out, model::Store& store, const Terminal& terminal) {
  return std::make_unique<InspectPrinter>(out, store, terminal);
}

void RowPrinter::value(const lang::Object& v) {
  if (auto r = v.get<model::RecordPtr>()) {
    begin((*r)->model());
    row(**r);
    return end(1, 0);
  }
  if (auto rel = v.get<lang::RelationPtr>()) return relation(**rel);
  if (auto a = v.get<lang::Ref<lang::Array>>(); a && records(**a)) return;
  other(v);
}

void RowPrinter::relation(const model::Relation& r) {
  // One row past max_rows says whether there are more; only then are they counted.
  std::optional<std::int64_t> peek;
  if (max_rows_) peek = std::min(r.limit_value().value_or(*max_rows_ + 1), *max_rows_ + 1);
  std::int64_t rows = 0;
  bool began = false, over = false;
  store_.queries().each(peek ? r.limit(*peek) : r, [&](const model::RecordPtr& rec) {
    if (max_rows_ && rows == *max_rows_) return void(over = true);
    if (!began) begin(r.model());  // after the query ran, so its --sql line comes first
    began = true;
    row(*rec);
    ++rows;
  });
  if (!began) begin(r.model());
  end(rows, over ? store_.queries().count(r) - rows : 0);
}

// An array of records of one model prints as a table of them; false for any other array.
bool RowPrinter::records(const lang::Array& items) {
  if (items.empty()) return false;
  const model::ModelClass* model = nullptr;
  for (const auto& item : items) {
    auto r = item.get<model::RecordPtr>();
    if (!r || (model && &(*r)->model() != model)) return false;
    model = &(*r)->model();
  }
  begin(*model);
  auto total = static_cast<std::int64_t>(items.size());
  std::int64_t shown = max_rows_ ? std::min(*max_rows_, total) : total;
  for (std::int64_t i = 0; i < shown; ++i) row(**items[static_cast<size_t>(i)].get<model::RecordPtr>());
  end(shown, total - shown);
  return true;
}

}  // namespace fw::console

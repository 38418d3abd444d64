#pragma once
// Turns a statement's value into text, in one of four formats (docs/output-formats.md).
// Printers know nothing of SQL: a relation is read through the store.
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "console/display.hpp"
#include "lang/object.hpp"
#include "model/store.hpp"

namespace fw::console {

class Printer {
 public:
  virtual ~Printer() = default;
  virtual void value(const lang::Object& v) = 0;
  // A failed statement; its message is on standard error already.
  virtual void error(const std::string& message) = 0;
};

// Prints nothing (seed scripts).
class QuietPrinter : public Printer {
 public:
  void value(const lang::Object&) override {}
  void error(const std::string&) override {}
};

// A printer that takes records row by row: begin() with the model (its
// columns), row() for each record, end() with how many rows it was given and
// how many more the result holds that were not read. A record, a relation and
// an array of records of one model come this way; other values go to other().
// A relation is read through a database cursor, stopped after max_rows: only
// then is the rest counted (SELECT COUNT(*)), never read.
class RowPrinter : public Printer {
 public:
  void value(const lang::Object& v) override;

 protected:
  RowPrinter(model::Store& store, std::optional<std::int64_t> max_rows) : store_(store), max_rows_(max_rows) {}
  virtual void begin(const model::ModelClass& model) = 0;
  virtual void row(const model::Record& r) = 0;
  virtual void end(std::int64_t rows, std::int64_t more) = 0;
  virtual void other(const lang::Object& v) = 0;
  model::Store& store_;

 private:
  void relation(const model::Relation& r);
  bool records(const lang::Array& items);
  std::optional<std::int64_t> max_rows_;
};

// One line of JSON per value; relations stream, so memory stays flat.
class JsonPrinter : public Printer {
 public:
  JsonPrinter(std::ostream& out, model::Store& store) : out_(out), store_(store) {}
  void value(const lang::Object& v) override;
  void error(const std::string& message) override;

 private:
  // Writes to `out`: a line buffer, or the output itself for a streamed relation.
  void write(std::ostream& out, const lang::Object& v, int depth = 0);
  void write_record(std::ostream& out, const model::Record& r);
  std::ostream& out_;
  model::Store& store_;
};

// Each format's printer: table (aligned columns, the default), inspect
// (ActiveRecord's own rendering), csv (RFC 4180). JsonPrinter is above.
// `all_rows`: every row of a relation, not the first 50 (`format table --all`).
std::unique_ptr<Printer> make_table_printer(std::ostream& out, model::Store& store, const Terminal& terminal,
                                            bool all_rows = false);
std::unique_ptr<Printer> make_csv_printer(std::ostream& out, model::Store& store);
std::unique_ptr<Printer> make_inspect_printer(std::ostream& out, model::Store& store, const Terminal& terminal);

// Plain text as a table, drawn as the table format draws records and fitted
// to the terminal's width (the console's models, schema and associations).
std::string text_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const Terminal& terminal);

// A value's inspect as irb shows it: after "=> ", coloured on a terminal,
// through the pager when it is taller than the screen.
void print_result(std::ostream& out, const std::string& inspected, const Terminal& terminal);

// The formats by name, for --format and `format NAME`.
bool is_format(const std::string& name);
const char* format_names();  // "table, inspect, json or csv"
std::vector<std::string> formats();  // table, inspect, json, csv
// Throws fw::Error for an unknown format name.
std::unique_ptr<Printer> make_printer(const std::string& format, std::ostream& out, model::Store& store,
                                      const Terminal& terminal, bool all_rows = false);

// ActiveRecord's JSON for a datetime: "2026-11-21T17:50:00.123Z".
std::string json_time(const std::string& stored);

}  // namespace fw::console

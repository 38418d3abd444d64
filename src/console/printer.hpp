#pragma once
// Turns a statement's value into text. Printers know nothing of SQL: a
// relation is iterated through the store, one record at a time.
#include <memory>
#include <ostream>
#include <string>

#include "lang/object.hpp"
#include "model/store.hpp"

namespace fw::console {

class Printer {
 public:
  virtual ~Printer() = default;
  virtual void value(const lang::Object& v) = 0;
  virtual void error(const std::string& message) = 0;
};

// Prints nothing (seed scripts).
class QuietPrinter : public Printer {
 public:
  void value(const lang::Object&) override {}
  void error(const std::string&) override {}
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

std::unique_ptr<Printer> make_printer(const std::string& format, std::ostream& out, model::Store& store);

// ActiveRecord's JSON for a datetime: "2026-11-21T17:50:00.123Z".
std::string json_time(const std::string& stored);

}  // namespace fw::console

// The csv format (RFC 4180): a header and one line per record, fields quoted
// when they hold a comma, a quote, or a line break; lines end in CRLF.
#include "base/text.hpp"
#include "console/printer.hpp"
#include "lang/inspect.hpp"

namespace fw::console {

namespace {

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class CsvPrinter : public RowPrinter {
 public:
  CsvPrinter(std::ostream& out, model::Store& store) : RowPrinter(store, std::nullopt), out_(out) {}
  void error(const std::string&) override {}

 protected:
  void begin(const model::ModelClass& model) override {
    columns_ = model.columns.size();
    std::vector<std::string> names;
    for (const auto& c : model.columns) names.push_back(field(c.name));
    out_ << join(names, ",") << "\r\n";
  }
  void row(const model::Record& r) override {
    for (size_t i = 0; i < columns_; ++i) out_ << (i ? "," : "") << field(value_to_s(r.at(i)));
    out_ << "\r\n";
  }
  void end(std::int64_t, std::int64_t) override { out_.flush(); }
  // An array is one line per item (an array item is a line of fields, as
  // pluck(:a, :b) gives); a hash one line per pair; anything else one field.
  void other(const lang::Object& v) override {
    if (auto a = v.get<lang::Ref<lang::Array>>()) {
      for (const auto& item : **a) line(item);
    } else if (auto h = v.get<lang::Ref<lang::Hash>>()) {
      for (const auto& [k, val] : **h) out_ << text(k) << "," << text(val) << "\r\n";
    } else {
      line(v);
    }
  }

 private:
  void line(const lang::Object& v) {
    if (auto a = v.get<lang::Ref<lang::Array>>()) {
      for (size_t i = 0; i < (*a)->size(); ++i) out_ << (i ? "," : "") << text((**a)[i]);
    } else {
      out_ << text(v);
    }
    out_ << "\r\n";
  }
  // A scalar as its text (nil empty); anything else as Ruby inspects it.
  std::string text(const lang::Object& v) {
    Value scalar;
    if (v.to_value(scalar)) return field(value_to_s(scalar));
    return field(lang::inspect(v, store_));
  }

  std::ostream& out_;
  size_t columns_ = 0;
};

}  // namespace

std::unique_ptr<Printer> make_csv_printer(std::ostream& out, model::Store& store) {
  return std::make_unique<CsvPrinter>(out, store);
}

}  // namespace fw::console

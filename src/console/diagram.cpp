#include "console/diagram.hpp"

#include <cctype>
#include <set>
#include <sstream>

#include "base/error.hpp"

namespace fw::console {

namespace {

using model::Macro;
using model::ModelClass;
using model::Reflection;

// One line of the diagram: from the model that holds the key's other end
// ("one") to the model that holds the foreign key or is reached ("many").
struct Line {
  const ModelClass* from;
  const ModelClass* to;
  std::string label;
  bool from_optional = false;  // the belongs_to end may be nil
  bool to_many = true;         // has_many (or a through/habtm collection), else has_one
  bool from_many = false;      // many on both ends (through, habtm)
  bool dashed = false;         // a through association
};

bool is_direct(const Reflection& r) { return !r.is_through() && r.macro != Macro::HasAndBelongsToMany && r.klass; }

// The belongs_to on the other end of a direct has_many/has_one (same foreign key).
const Reflection* inverse_belongs_to(const Reflection& has) {
  for (const auto& r : has.klass->reflections)
    if (r->is_belongs_to() && r->klass == has.owner && r->foreign_key == has.foreign_key) return r.get();
  return nullptr;
}

// The has_many/has_one a belongs_to is the other end of, if one is declared.
const Reflection* inverse_has(const Reflection& belongs) {
  for (const auto& r : belongs.klass->reflections)
    if (is_direct(*r) && !r->is_belongs_to() && r->klass == belongs.owner && r->foreign_key == belongs.foreign_key)
      return r.get();
  return nullptr;
}

// The other model's habtm through the same join table.
const Reflection* inverse_habtm(const Reflection& habtm) {
  for (const auto& r : habtm.klass->reflections)
    if (r->macro == Macro::HasAndBelongsToMany && r->klass == habtm.owner && r->join_table == habtm.join_table &&
        r.get() != &habtm)
      return r.get();
  return nullptr;
}

std::vector<Line> lines(const model::App& app) {
  std::vector<Line> out;
  std::set<const Reflection*> drawn;  // a habtm's other end, drawn with it
  for (const auto& m : app.models()) {
    for (const auto& rp : m->reflections) {
      const Reflection& r = *rp;
      if (!r.klass) continue;  // nothing to draw a line to (a polymorphic belongs_to)
      if (r.is_through()) {
        const Reflection* step = r.through_reflection;
        out.push_back({m.get(), r.klass, r.name + " (through " + (step ? step->name : r.through) + ")", false,
                       r.is_collection(), true, true});
      } else if (r.macro == Macro::HasAndBelongsToMany) {
        if (drawn.count(&r)) continue;
        const Reflection* other = inverse_habtm(r);
        if (other) drawn.insert(other);
        std::string label = r.name + (other ? " / " + other->name : "") + " (join table " + r.join_table + ")";
        out.push_back({m.get(), r.klass, label, false, true, true, false});
      } else if (r.is_belongs_to()) {
        if (inverse_has(r)) continue;  // drawn with its has_many
        out.push_back({r.klass, m.get(), r.name, r.optional, true, false, false});
      } else {
        const Reflection* back = inverse_belongs_to(r);
        std::string label = r.name + (back ? " / " + back->name : "");
        out.push_back({m.get(), r.klass, label, back && back->optional, r.macro == Macro::HasMany, false, false});
      }
    }
  }
  return out;
}

bool is_foreign_key(const ModelClass& m, const std::string& column) {
  for (const auto& r : m.reflections)
    if (r->is_belongs_to() && r->foreign_key == column) return true;
  return false;
}

// A Mermaid attribute type is a word: "datetime(6)" -> "datetime".
std::string type_word(const std::string& sql_type) {
  std::string out;
  for (char c : sql_type) {
    if (c == '(') break;
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
  }
  return out.empty() || !std::isalpha(static_cast<unsigned char>(out[0])) ? "untyped" + out : out;
}

std::string mermaid_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? '\'' : c;
  return out + "\"";
}

std::string mermaid(const model::App& app) {
  std::ostringstream out;
  out << "erDiagram\n";
  for (const auto& m : app.models()) {
    out << "  " << m->name << " {\n";
    for (const auto& c : m->columns) {
      out << "    " << type_word(c.sql_type) << " " << c.name;
      if (c.primary_key || c.name == m->primary_key) out << " PK";
      else if (is_foreign_key(*m, c.name)) out << " FK";
      out << "\n";
    }
    out << "  }\n";
  }
  for (const auto& l : lines(app)) {
    std::string left = l.from_many ? "}o" : l.from_optional ? "|o" : "||";
    std::string right = l.to_many ? "o{" : "o|";
    out << "  " << l.from->name << " " << left << (l.dashed ? ".." : "--") << right << " " << l.to->name << " : "
        << mermaid_quote(l.label) << "\n";
  }
  return out.str();
}

std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A record label's text: its special characters escaped.
std::string record_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string("{}|<>\"\\ ").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string dot(const model::App& app) {
  std::ostringstream out;
  out << "digraph models {\n"
      << "  rankdir=LR;\n"
      << "  node [shape=record, fontname=\"Helvetica\", fontsize=11];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& m : app.models()) {
    std::string fields;
    for (const auto& c : m->columns) fields += record_escape(c.name + " : " + c.sql_type) + "\\l";
    out << "  " << dot_quote(m->name) << " [label=\"{" << record_escape(m->name) << " (" << record_escape(m->table)
        << ")|" << fields << "}\"];\n";
  }
  for (const auto& l : lines(app)) {
    out << "  " << dot_quote(l.from->name) << " -> " << dot_quote(l.to->name) << " [label=" << dot_quote(l.label)
        << ", dir=both, arrowtail=" << (l.from_many ? "crowodot" : l.from_optional ? "teeodot" : "teetee")
        << ", arrowhead=" << (l.to_many ? "crowodot" : "teeodot") << (l.dashed ? ", style=dashed" : "") << "];\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace

std::string diagram(const model::App& app, const std::string& format) {
  if (format == "mermaid" || format.empty()) return mermaid(app);
  if (format == "dot") return dot(app);
  throw fw::Error("diagram takes the format mermaid (the default) or dot, not '" + format + "'");
}

}  // namespace fw::console

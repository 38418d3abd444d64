#include "lang/inspect.hpp"

#include <algorithm>

#include "base/text.hpp"

namespace fw::lang {

using model::RecordPtr;

namespace {
// Ruby prints an array that contains itself as [[...]].
std::string inspect_seen(const Object& o, std::vector<const void*>& open);
}  // namespace

std::string inspect(const Object& o) {
  std::vector<const void*> open;
  return inspect_seen(o, open);
}

namespace {
std::string inspect_seen(const Object& o, std::vector<const void*>& open) {
  auto seen = [&](const void* p) { return std::find(open.begin(), open.end(), p) != open.end(); };
  if (auto s = o.get<Symbol>()) return ":" + s->name;
  if (auto r = o.get<Regex>()) return "/" + r->source + "/" + r->flags;
  if (auto a = o.get<std::shared_ptr<Array>>()) {
    if (seen(a->get())) return "[...]";
    open.push_back(a->get());
    std::vector<std::string> parts;
    for (const auto& x : **a) parts.push_back(inspect_seen(x, open));
    open.pop_back();
    return "[" + join(parts, ", ") + "]";
  }
  if (auto h = o.get<std::shared_ptr<Hash>>()) {
    if (seen(h->get())) return "{...}";
    open.push_back(h->get());
    std::vector<std::string> parts;
    for (const auto& [k, v] : **h)
      parts.push_back(k.is<Symbol>() ? k.get<Symbol>()->name + ": " + inspect_seen(v, open)
                                     : inspect_seen(k, open) + " => " + inspect_seen(v, open));
    open.pop_back();
    return "{" + join(parts, ", ") + "}";
  }
  if (auto r = o.get<RecordPtr>()) {
    const auto& m = (*r)->model();
    std::vector<std::string> parts;
    for (size_t i = 0; i < m.columns.size(); ++i) parts.push_back(m.columns[i].name + ": " + inspect_value((*r)->at(i)));
    return "#<" + m.name + " " + join(parts, ", ") + ">";
  }
  if (auto m = o.get<ModelRef>()) return m->model->name;
  if (o.is<RelationPtr>()) return "#<ActiveRecord::Relation>";
  if (auto e = o.get<ErrorsRef>()) return "#<ActiveModel::Errors [" + join(e->record->errors().full_messages(), ", ") + "]>";
  if (auto p = o.get<std::shared_ptr<Proc>>()) return (*p)->lambda ? "#<Proc (lambda)>" : "#<Proc>";
  if (auto r = o.get<std::shared_ptr<Range>>())
    return ((*r)->first.is_nil() ? "" : inspect_seen((*r)->first, open)) + ((*r)->exclusive ? "..." : "..") +
           ((*r)->last.is_nil() ? "" : inspect_seen((*r)->last, open));
  Value v;
  o.to_value(v);
  return inspect_value(v);
}
}  // namespace

}  // namespace fw::lang

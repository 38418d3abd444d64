// What matches a pattern (a Regexp, or a String matched as it is): String's
// split, sub, gsub, =~, match, match? and scan (their rows are in
// string.cpp's table), and Regexp's and MatchData's methods and tables.
#include <cstring>
#include <optional>
#include <regex>
#include <sstream>

#include "base/regex.hpp"

#include "base/text.hpp"
#include "lang/methods/string_support.hpp"

namespace fw::lang {

namespace string_methods {

namespace {

// Ruby's named groups, (?<name>...), which std::regex lacks: the pattern
// with them as plain groups (and its unnamed groups not capturing, as Ruby
// takes them once a group has a name), their names in `names`.
std::string unnamed_groups(const std::string& source, std::vector<std::string>* names) {
  auto named_at = [&](size_t i) {
    return source.compare(i, 3, "(?<") == 0 && i + 3 < source.size() && source[i + 3] != '=' && source[i + 3] != '!';
  };
  std::string out;
  bool in_class = false, any = false;
  for (size_t i = 0; i < source.size() && !any; ++i) any = named_at(i);
  if (!any) return source;
  for (size_t i = 0; i < source.size(); ++i) {
    char ch = source[i];
    if (ch == '\\' && i + 1 < source.size()) {
      out += source.substr(i++, 2);
    } else if (in_class || ch == '[') {
      in_class = !(in_class && ch == ']');
      out += ch;
    } else if (named_at(i)) {
      size_t close = source.find('>', i);
      if (close == std::string::npos) return source;
      if (names) names->push_back(source.substr(i + 3, close - i - 3));
      out += '(';
      i = close;
    } else {
      out += ch == '(' && source.compare(i, 2, "(?") != 0 ? "(?:" : std::string(1, ch);
    }
  }
  return out;
}

std::regex to_regex(const Regex& r, std::vector<std::string>* names = nullptr) {
  auto flags = std::regex::ECMAScript | std::regex::multiline;
  if (r.flags.find('i') != std::string::npos) flags |= std::regex::icase;
  try {
    return make_regex(ecmascript_pattern(unnamed_groups(r.source, names)), flags);
  } catch (const std::regex_error& e) {
    throw RuntimeError("invalid regular expression /" + r.source + "/: " + e.what());
  }
}

// A pattern argument: a string (matched as it is) or a regex.
std::regex pattern_arg(const Object& o) {
  if (auto r = o.get<Regex>()) return to_regex(*r);
  const std::string& s = string_arg(o);
  std::string escaped;
  for (char ch : s) {
    if (std::strchr("\\^$.|?*+()[]{}", ch)) escaped += '\\';
    escaped += ch;
  }
  return make_regex(escaped);
}

// The first match of `pattern` (a Regexp, or a String matched as it is) in
// `s`, as a MatchData, or nil; $~ is set to it (and $1, ... read it).
// `at` is set to the character where it starts.
Object search(Call& c, const std::string& s, const Object& pattern, std::int64_t* at = nullptr) {
  std::vector<std::string> names;
  auto r = pattern.get<Regex>();
  std::regex re = r ? to_regex(*r, &names) : pattern_arg(pattern);
  std::smatch m;
  Object found;
  if (std::regex_search(s, m, re)) {
    MatchData data{{}, std::move(names), m.prefix().str(), m.suffix().str()};
    for (size_t g = 0; g < m.size(); ++g) data.groups.push_back(m[g].matched ? std::optional(m.str(g)) : std::nullopt);
    found = Object(std::move(data));
    if (at) *at = static_cast<std::int64_t>(CharOffsets(s).char_at_byte(static_cast<size_t>(m.position(0))));
  }
  c.in.set_last_match(found);
  return found;
}

}  // namespace

Object first_match(const std::string& s, const Regex& r) {
  std::smatch m;
  return std::regex_search(s, m, to_regex(r)) ? Object(m.str(0)) : Object();
}

Object split(Call& c) {
  const auto& s = str(c);
  std::vector<std::string> parts;
  bool on_space = c.args.empty() || (c.args[0].is<std::string>() && *c.args[0].get<std::string>() == " ");
  if (on_space) {
    std::istringstream words(s);
    for (std::string w; words >> w;) parts.push_back(w);
  } else if (c.args[0].is<std::string>() && string_arg(c.args[0]).empty()) {
    parts = characters(s);
  } else {
    std::regex re = pattern_arg(c.args[0]);
    std::sregex_token_iterator it(s.begin(), s.end(), re, -1), end;
    for (; it != end; ++it) parts.push_back(*it);
    while (!parts.empty() && parts.back().empty()) parts.pop_back();  // Ruby drops trailing empty fields
  }
  return strings(parts);
}

// sub and gsub: a string or regex pattern; a replacement string (with \1
// for groups) or a block given each match.
Object substitute(Call& c) {
  const auto& s = str(c);
  std::regex re = pattern_arg(c.args[0]);
  bool all = c.name == "gsub";
  if (c.args.size() < 2 && !c.block) throw wrong_arguments(c.args.size(), "2");
  std::string out;
  auto begin = s.cbegin();
  std::smatch m;
  auto flags = std::regex_constants::match_default;
  while (std::regex_search(begin, s.cend(), m, re, flags)) {
    out.append(begin, m[0].first);
    if (c.block) {
      out += to_s(yield_block(c, {Object(m.str(0))}));
    } else {
      std::string replacement = string_arg(c.args[1]);
      std::string expanded;
      for (size_t i = 0; i < replacement.size(); ++i) {
        if (replacement[i] == '\\' && i + 1 < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i + 1]))) {
          expanded += m.str(static_cast<size_t>(replacement[++i] - '0'));
        } else {
          expanded += replacement[i];
        }
      }
      out += expanded;
    }
    if (m[0].length() == 0) {  // an empty match moves on by one character
      if (m[0].second == s.cend()) {
        begin = s.cend();
        break;
      }
      out += *m[0].second;
      begin = m[0].second + 1;
    } else {
      begin = m[0].second;
    }
    flags |= std::regex_constants::match_prev_avail;
    if (!all) break;
  }
  out.append(begin, s.cend());
  return Object(out);
}

Object match_at(Call& c) {  // =~: the character index of the first match, or nil
  if (c.args[0].is<std::string>()) throw type_error("type mismatch: String given");
  if (!c.args[0].is<Regex>()) return Object();  // Ruby asks the argument (5 =~ "a"): nil
  std::int64_t at = 0;
  return search(c, str(c), c.args[0], &at).is_nil() ? Object() : Object(at);
}

Object string_match(Call& c) {
  if (!c.args[0].is<Regex>() && !c.args[0].is<std::string>())
    throw type_error("wrong argument type " + class_name(c.args[0]) + " (expected Regexp)");
  return search(c, str(c), c.args[0]);
}

Object is_match(Call& c) { return Object(std::regex_search(str(c), pattern_arg(c.args[0]))); }

Object scan(Call& c) {
  const auto& s = str(c);
  std::regex re = pattern_arg(c.args[0]);
  Array out;
  for (std::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) {
    const auto& m = *it;
    if (m.size() == 1) {
      out.push_back(Object(m.str(0)));
      continue;
    }
    Array groups;
    for (size_t g = 1; g < m.size(); ++g) groups.push_back(m[g].matched ? Object(m.str(g)) : Object());
    out.push_back(Object::array(std::move(groups)));
  }
  return Object::array(std::move(out));
}

}  // namespace string_methods

using namespace string_methods;

namespace {

const Regex& re(Call& c) { return *c.self.get<Regex>(); }

// The string argument of a regex method; nil matches nothing.
std::optional<std::string> subject(const Object& o) {
  if (o.is_nil()) return std::nullopt;
  if (auto s = o.get<Symbol>()) return s->name();
  return string_arg(o);
}

Object regexp_match(Call& c) {
  auto s = subject(c.args[0]);
  if (!s) {
    if (c.name != "match?") c.in.set_last_match(Object());
    return c.name == "match?" || c.name == "===" ? Object(false) : Object();
  }
  if (c.name == "match?") return Object(std::regex_search(*s, to_regex(re(c))));
  std::int64_t at = 0;
  Object found = search(c, *s, c.self, &at);  // $~, $1: =~, match and === (case/when) set them; match? does not
  if (c.name == "===") return Object(!found.is_nil());
  if (c.name == "=~") return found.is_nil() ? Object() : Object(at);
  return found;
}

// ---- MatchData ----

const MatchData& match_data(Call& c) { return *c.self.get<MatchData>(); }
Object group_value(const std::optional<std::string>& g) { return g ? Object(*g) : Object(); }

Object match_to_a(Call& c) {
  Array out;
  const auto& groups = match_data(c).groups;
  for (size_t i = c.name == "captures" ? 1 : 0; i < groups.size(); ++i) out.push_back(group_value(groups[i]));
  return Object::array(std::move(out));
}

// m[0], m[1], m[-1], m[:name], m["name"]
Object match_at_index(Call& c) {
  const auto& m = match_data(c);
  const Object& key = c.args[0];
  if (key.is<std::string>() || key.is<Symbol>()) {
    std::string name = key.is<Symbol>() ? key.get<Symbol>()->name() : *key.get<std::string>();
    auto it = std::find(m.names.begin(), m.names.end(), name);
    if (it == m.names.end()) throw RubyError("IndexError", "undefined group name reference: " + name);
    return group_value(m.groups[static_cast<size_t>(it - m.names.begin()) + 1]);
  }
  auto i = int_arg(key, "[]");
  auto size = static_cast<std::int64_t>(m.groups.size());
  if (i < 0) i += size;
  return i < 0 || i >= size ? Object() : group_value(m.groups[static_cast<size_t>(i)]);
}

Object match_named_captures(Call& c) {
  const auto& m = match_data(c);
  Hash out;
  for (size_t i = 0; i < m.names.size(); ++i) out.set(Object(m.names[i]), group_value(m.groups[i + 1]));
  return Object::hash(std::move(out));
}

Object match_names(Call& c) { return strings(match_data(c).names); }
Object match_pre(Call& c) { return Object(c.name == "pre_match" ? match_data(c).pre : match_data(c).post); }
Object match_to_s(Call& c) { return group_value(match_data(c).groups[0]); }
Object match_size(Call& c) { return Object(static_cast<std::int64_t>(match_data(c).groups.size())); }

Object regexp_source(Call& c) { return Object(re(c).source); }

}  // namespace

const std::vector<Method>& methods::regexp() {
  static const std::vector<Method> table = {
      {"match?", "", 1, 1, Returns::Boolean, "whether it matches the string", regexp_match},
      {"=~", "", 1, 1, Returns::Integer, "where it first matches the string, or nil", regexp_match},
      {"===", "", 1, 1, Returns::Boolean, "whether it matches (as case/when asks)", regexp_match},
      {"match", "", 1, 1, Returns::Any, "the first match in the string (a MatchData), or nil; sets $~", regexp_match},
      {"source", "", 0, 0, Returns::String, "the pattern's text", regexp_source},
  };
  return table;
}

const std::vector<Method>& methods::match_data() {
  static const std::vector<Method> table = {
      {"[]", "", 1, 1, Returns::String, "the match (0), a group by number or by name, or nil", match_at_index},
      {"captures", "", 0, 0, Returns::Array, "the groups' texts", match_to_a},
      {"to_a", "", 0, 0, Returns::Array, "the match and the groups' texts", match_to_a, kReads},
      {"named_captures", "", 0, 0, Returns::Hash, "the named groups' texts by name", match_named_captures},
      {"names", "", 0, 0, Returns::Array, "the groups' names", match_names},
      {"pre_match", "", 0, 0, Returns::String, "the text before the match", match_pre},
      {"post_match", "", 0, 0, Returns::String, "the text after the match", match_pre},
      {"to_s", "", 0, 0, Returns::String, "the text matched", match_to_s, kReads},
      {"size", "length", 0, 0, Returns::Integer, "the number of groups, the match included", match_size, kReads},
  };
  return table;
}
}  // namespace fw::lang

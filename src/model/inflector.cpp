#include "model/inflector.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <regex.h>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace fw::model::inflector {

namespace {

// POSIX extended expressions: ActiveSupport's patterns are all of that kind,
// and glibc compiles them many times faster than std::regex. ($N in a
// replacement is the Nth group.) A rule is compiled at its first real test:
// the endings a rule can match (see endings) rule out most rules for a word,
// and compiling every rule was a sixth of start-up.
class Rule {
 public:
  Rule(const char* pattern, const char* replacement)
      : pattern_(pattern), replacement_(replacement), endings_(endings(pattern_)) {}
  ~Rule() {
    if (compiled_ok_) regfree(&regex_);
  }
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  // The word with the rule applied, or nothing when the rule does not match it.
  std::optional<std::string> apply(const std::string& word) const {
    if (!may_match(word)) return std::nullopt;
    regmatch_t groups[10];
    if (regexec(&compiled(), word.c_str(), 10, groups, 0) != 0) return std::nullopt;
    std::string out = word.substr(0, static_cast<size_t>(groups[0].rm_so));
    for (size_t i = 0; i < replacement_.size(); ++i) {
      char c = replacement_[i];
      if (c == '$' && i + 1 < replacement_.size() && std::isdigit(static_cast<unsigned char>(replacement_[i + 1]))) {
        const regmatch_t& g = groups[replacement_[++i] - '0'];
        if (g.rm_so >= 0) out.append(word, static_cast<size_t>(g.rm_so), static_cast<size_t>(g.rm_eo - g.rm_so));
      } else {
        out += c;
      }
    }
    return out + word.substr(static_cast<size_t>(groups[0].rm_eo));
  }

  // What a word matched by `pattern` must end with, lowercase: one of these
  // texts; none when nothing is known. Only an end-anchored pattern's tail of
  // letters, [letter classes] and (alternatives) is read, from the end, up to
  // the first thing that is not one of those; anything else means nothing is
  // known, which only costs the regex test.
  static std::vector<std::string> endings(std::string_view pattern) {
    if (pattern.empty() || pattern.back() != '$') return {};
    auto tail = read_tail(pattern.substr(0, pattern.size() - 1));
    if (tail.texts.size() == 1 && tail.texts.front().empty()) return {};
    return tail.texts;
  }

 private:
  struct Tail {
    std::vector<std::string> texts;  // the possible endings
    bool whole = true;               // the texts are all the pattern can match
  };

  static Tail read_tail(std::string_view p) {
    Tail tail{{""}, true};
    while (!p.empty()) {
      Tail atom;
      size_t start = 0;
      char last = p.back();
      if (std::isalpha(static_cast<unsigned char>(last)) && !(p.size() >= 2 && p[p.size() - 2] == '\\')) {
        atom.texts = {std::string(1, static_cast<char>(std::tolower(last)))};
        start = p.size() - 1;
      } else if (last == ']') {
        start = p.rfind('[');
        if (start == std::string_view::npos || p[start + 1] == '^') break;
        for (char c : p.substr(start + 1, p.size() - start - 2)) {
          if (!std::isalpha(static_cast<unsigned char>(c))) return {tail.texts, false};  // a range or an escape
          atom.texts.emplace_back(1, static_cast<char>(std::tolower(c)));
        }
      } else if (last == ')') {
        int depth = 0;
        start = p.size();
        while (start-- > 0) {
          if (p[start] == ')') ++depth;
          if (p[start] == '(' && --depth == 0) break;
        }
        if (start >= p.size()) break;
        std::string_view inner = p.substr(start + 1, p.size() - start - 2);
        size_t from = 0;
        depth = 0;
        for (size_t i = 0; i <= inner.size(); ++i) {
          if (i < inner.size() && inner[i] == '(') ++depth;
          if (i < inner.size() && inner[i] == ')') --depth;
          if (i < inner.size() && (inner[i] != '|' || depth != 0)) continue;
          Tail alternative = read_tail(inner.substr(from, i - from));
          if (alternative.texts.size() == 1 && alternative.texts.front().empty()) return {tail.texts, false};
          atom.whole = atom.whole && alternative.whole;
          atom.texts.insert(atom.texts.end(), alternative.texts.begin(), alternative.texts.end());
          from = i + 1;
        }
      } else {
        break;  // an anchor, a repetition, a wildcard: nothing more is read
      }
      std::vector<std::string> longer;
      for (const auto& a : atom.texts)
        for (const auto& t : tail.texts) longer.push_back(a + t);
      if (longer.size() > 64) break;
      tail.texts = std::move(longer);
      p = p.substr(0, start);
      if (!atom.whole) return {tail.texts, false};
    }
    tail.whole = p.empty();
    return tail;
  }

  bool may_match(const std::string& word) const {
    if (endings_.empty()) return true;
    for (const auto& e : endings_) {
      if (e.size() > word.size()) continue;
      bool same = true;
      for (size_t i = 0; same && i < e.size(); ++i)
        same = std::tolower(static_cast<unsigned char>(word[word.size() - e.size() + i])) == e[i];
      if (same) return true;
    }
    return false;
  }

  const regex_t& compiled() const {
    std::call_once(compiled_once_, [this] {
      if (regcomp(&regex_, pattern_, REG_EXTENDED | REG_ICASE) != 0)
        throw std::logic_error(std::string("inflection rule does not compile: ") + pattern_);
      compiled_ok_ = true;
    });
    return regex_;
  }

  const char* pattern_;
  std::string replacement_;
  std::vector<std::string> endings_;
  mutable std::once_flag compiled_once_;
  mutable regex_t regex_{};
  mutable bool compiled_ok_ = false;
};

std::deque<Rule> rules_of(std::initializer_list<std::pair<const char*, const char*>> table) {
  std::deque<Rule> rules;
  for (const auto& [pattern, replacement] : table) rules.emplace_back(pattern, replacement);
  return rules;
}

// ActiveSupport's English rules, most specific last (they are tried last first).
const std::deque<Rule>& plural_rules() {
  static const std::deque<Rule> rules = rules_of({
      {"$", "s"}, {"s$", "s"}, {"^(ax|test)is$", "$1es"}, {"(octop|vir)us$", "$1i"},
      {"(octop|vir)i$", "$1i"}, {"(alias|status)$", "$1es"}, {"(bu)s$", "$1ses"},
      {"(buffal|tomat)o$", "$1oes"}, {"([ti])um$", "$1a"}, {"([ti])a$", "$1a"}, {"sis$", "ses"},
      {"(([^f])fe|([lr])f)$", "$2$3ves"}, {"(hive)$", "$1s"}, {"([^aeiouy]|qu)y$", "$1ies"},
      {"(x|ch|ss|sh)$", "$1es"}, {"(matr|vert|ind)(ix|ex)$", "$1ices"}, {"^(m|l)ouse$", "$1ice"},
      {"^(m|l)ice$", "$1ice"}, {"^(ox)$", "$1en"}, {"^(oxen)$", "$1"}, {"(quiz)$", "$1zes"}});
  return rules;
}

const std::deque<Rule>& singular_rules() {
  static const std::deque<Rule> rules = rules_of({
      {"s$", ""}, {"(ss)$", "$1"}, {"(n)ews$", "$1ews"}, {"([ti])a$", "$1um"},
      {"((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", "$1sis"},
      {"(^analy)(sis|ses)$", "$1sis"}, {"([^f])ves$", "$1fe"}, {"(hive)s$", "$1"},
      {"(tive)s$", "$1"}, {"([lr])ves$", "$1f"}, {"([^aeiouy]|qu)ies$", "$1y"},
      {"(s)eries$", "$1eries"}, {"(m)ovies$", "$1ovie"}, {"(x|ch|ss|sh)es$", "$1"},
      {"^(m|l)ice$", "$1ouse"}, {"(bus)(es)?$", "$1"}, {"(o)es$", "$1"}, {"(shoe)s$", "$1"},
      {"(cris|test)(is|es)$", "$1is"}, {"^(a)x[ie]s$", "$1xis"}, {"(octop|vir)(us|i)$", "$1us"},
      {"(alias|status)(es)?$", "$1"}, {"^(ox)en", "$1"}, {"(vert|ind)ices$", "$1ex"},
      {"(matr)ices$", "$1ix"}, {"(quiz)zes$", "$1"}, {"(database)s$", "$1"}});
  return rules;
}

const std::vector<std::pair<std::string, std::string>>& irregulars() {
  static const std::vector<std::pair<std::string, std::string>> words = {
      {"person", "people"}, {"man", "men"}, {"child", "children"}, {"sex", "sexes"}, {"move", "moves"},
      {"zombie", "zombies"}};
  return words;
}

const std::vector<std::string>& uncountables() {
  static const std::vector<std::string> words = {"equipment", "information", "rice", "money", "species",
                                                 "series", "fish", "sheep", "jeans", "police"};
  return words;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool ends_with_word(const std::string& word, const std::string& suffix) {
  return word.size() >= suffix.size() && lower(word.substr(word.size() - suffix.size())) == suffix;
}

// Applies the irregulars, uncountables and rules to the last word of a
// snake_case name, as ActiveSupport does.
std::string inflect(const std::string& word, bool plural) {
  if (word.empty()) return word;
  std::string low = lower(word);
  for (const auto& u : uncountables())
    if (ends_with_word(low, u)) return word;
  for (const auto& [one, many] : irregulars()) {
    const std::string& from = plural ? one : many;
    const std::string& to = plural ? many : one;
    const std::string& other = plural ? many : one;
    if (ends_with_word(low, other)) return word;  // already in the wanted form
    if (ends_with_word(low, from))
      return word.substr(0, word.size() - from.size()) + word[word.size() - from.size()] + to.substr(1);
  }
  const auto& rules = plural ? plural_rules() : singular_rules();
  for (auto it = rules.rbegin(); it != rules.rend(); ++it)
    if (auto inflected = it->apply(word)) return *inflected;
  return word;
}

}  // namespace

std::string pluralize(const std::string& word) { return inflect(word, true); }
std::string singularize(const std::string& word) { return inflect(word, false); }

std::string camelize(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') { upper = true; continue; }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string underscore(const std::string& camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    unsigned char c = camel[i];
    if (std::isupper(c)) {
      bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(camel[i - 1])) ||
                                   std::isdigit(static_cast<unsigned char>(camel[i - 1])));
      bool acronym_end = i > 0 && std::isupper(static_cast<unsigned char>(camel[i - 1])) && i + 1 < camel.size() &&
                         std::islower(static_cast<unsigned char>(camel[i + 1]));
      if (after_lower || acronym_end) out += '_';
      out += static_cast<char>(std::tolower(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string tableize(const std::string& class_name) { return pluralize(underscore(class_name)); }
std::string classify(const std::string& name) { return camelize(singularize(name)); }

std::string humanize(const std::string& attribute) {
  std::string s = attribute;
  if (s.size() > 3 && s.compare(s.size() - 3, 3, "_id") == 0) s.resize(s.size() - 3);
  std::replace(s.begin(), s.end(), '_', ' ');
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string foreign_key(const std::string& class_name) { return underscore(class_name) + "_id"; }

}  // namespace fw::model::inflector

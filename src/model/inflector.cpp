#include "model/inflector.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <regex.h>
#include <stdexcept>
#include <utility>
#include <vector>

namespace fw::model::inflector {

namespace {

// POSIX extended expressions: ActiveSupport's patterns are all of that kind,
// and glibc compiles them many times faster than std::regex, which showed in
// every start-up. ($N in a replacement is the Nth group.)
struct Rule {
  std::shared_ptr<regex_t> pattern;
  std::string replacement;
};

Rule rule(const char* pattern, const char* replacement) {
  std::shared_ptr<regex_t> re(new regex_t, [](regex_t* r) {
    regfree(r);
    delete r;
  });
  if (regcomp(re.get(), pattern, REG_EXTENDED | REG_ICASE) != 0) {
    re.reset();  // nothing to free
    throw std::logic_error(std::string("inflection rule does not compile: ") + pattern);
  }
  return {re, replacement};
}

// The word with the rule applied, or nothing when the rule does not match it.
std::optional<std::string> apply(const Rule& r, const std::string& word) {
  regmatch_t groups[10];
  if (regexec(r.pattern.get(), word.c_str(), 10, groups, 0) != 0) return std::nullopt;
  std::string out = word.substr(0, static_cast<size_t>(groups[0].rm_so));
  for (size_t i = 0; i < r.replacement.size(); ++i) {
    char c = r.replacement[i];
    if (c == '$' && i + 1 < r.replacement.size() && std::isdigit(static_cast<unsigned char>(r.replacement[i + 1]))) {
      const regmatch_t& g = groups[r.replacement[++i] - '0'];
      if (g.rm_so >= 0) out.append(word, static_cast<size_t>(g.rm_so), static_cast<size_t>(g.rm_eo - g.rm_so));
    } else {
      out += c;
    }
  }
  return out + word.substr(static_cast<size_t>(groups[0].rm_eo));
}

// ActiveSupport's English rules, most specific last (they are tried last first).
const std::vector<Rule>& plural_rules() {
  static const std::vector<Rule> rules = {
      rule("$", "s"), rule("s$", "s"), rule("^(ax|test)is$", "$1es"), rule("(octop|vir)us$", "$1i"),
      rule("(octop|vir)i$", "$1i"), rule("(alias|status)$", "$1es"), rule("(bu)s$", "$1ses"),
      rule("(buffal|tomat)o$", "$1oes"), rule("([ti])um$", "$1a"), rule("([ti])a$", "$1a"), rule("sis$", "ses"),
      rule("(([^f])fe|([lr])f)$", "$2$3ves"), rule("(hive)$", "$1s"), rule("([^aeiouy]|qu)y$", "$1ies"),
      rule("(x|ch|ss|sh)$", "$1es"), rule("(matr|vert|ind)(ix|ex)$", "$1ices"), rule("^(m|l)ouse$", "$1ice"),
      rule("^(m|l)ice$", "$1ice"), rule("^(ox)$", "$1en"), rule("^(oxen)$", "$1"), rule("(quiz)$", "$1zes")};
  return rules;
}

const std::vector<Rule>& singular_rules() {
  static const std::vector<Rule> rules = {
      rule("s$", ""), rule("(ss)$", "$1"), rule("(n)ews$", "$1ews"), rule("([ti])a$", "$1um"),
      rule("((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", "$1sis"),
      rule("(^analy)(sis|ses)$", "$1sis"), rule("([^f])ves$", "$1fe"), rule("(hive)s$", "$1"),
      rule("(tive)s$", "$1"), rule("([lr])ves$", "$1f"), rule("([^aeiouy]|qu)ies$", "$1y"),
      rule("(s)eries$", "$1eries"), rule("(m)ovies$", "$1ovie"), rule("(x|ch|ss|sh)es$", "$1"),
      rule("^(m|l)ice$", "$1ouse"), rule("(bus)(es)?$", "$1"), rule("(o)es$", "$1"), rule("(shoe)s$", "$1"),
      rule("(cris|test)(is|es)$", "$1is"), rule("^(a)x[ie]s$", "$1xis"), rule("(octop|vir)(us|i)$", "$1us"),
      rule("(alias|status)(es)?$", "$1"), rule("^(ox)en", "$1"), rule("(vert|ind)ices$", "$1ex"),
      rule("(matr)ices$", "$1ix"), rule("(quiz)zes$", "$1"), rule("(database)s$", "$1")};
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
    if (auto inflected = apply(*it, word)) return *inflected;
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

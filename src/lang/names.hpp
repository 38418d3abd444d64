#pragma once
// Variable names, interned: one string per distinct name for the whole
// program, so that a scope finds a variable by comparing addresses, not text.
#include <string>
#include <string_view>
#include <vector>

namespace fw::lang {

using Name = const std::string*;

// The one string for `name` (made on first use; never freed).
Name intern(std::string_view name);

// `names` interned, kept in `cache` (filled on the first call).
inline const std::vector<Name>& intern_all(const std::vector<std::string>& names, std::vector<Name>& cache) {
  if (cache.size() != names.size()) {
    cache.clear();
    for (const auto& n : names) cache.push_back(intern(n));
  }
  return cache;
}

}  // namespace fw::lang

#include "lang/names.hpp"

#include <mutex>
#include <unordered_set>

namespace fw::lang {

Name intern(std::string_view name) {
  // A set's elements keep their address as it grows. Scripts run on more
  // than one thread in tests and fuzzers, hence the lock.
  static std::mutex lock;
  static auto* names = new std::unordered_set<std::string>();  // lives until exit: pointers to it stay valid
  std::lock_guard<std::mutex> guard(lock);
  return &*names->emplace(name).first;
}

}  // namespace fw::lang

#pragma once
// A copy of tests/fixtures/blog_lab (a Sinatra lab with Ruby models and
// migrations) in a fresh folder, which a test may change, and fwitter run
// inside it as the lab text says: "then test it out using tux".
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace fw::test {

struct Lab {
  TempDir dir;
  std::filesystem::path root = dir.path() / "blog_lab";
  Lab() {
    std::filesystem::copy(std::filesystem::path(FWITTER_SOURCE_DIR) / "tests" / "fixtures" / "blog_lab", root,
                          std::filesystem::copy_options::recursive);
  }
  std::string path(const std::string& rel) const { return (root / rel).string(); }
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << text;
  }
  // fwitter ARGS, started inside the lab's folder with no --app.
  Output run(const std::vector<std::string>& args, const std::string& input = "") const {
    return fwitter(args, input, "cd " + shell_quote(root.string()) + " &&");
  }
  // The database as config/environment.rb names it.
  std::string db() const { return path("db/development.sqlite"); }
};

}  // namespace fw::test

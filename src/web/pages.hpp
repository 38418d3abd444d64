#pragma once
// The view's pages that read the database: a model's rows a page at a time,
// a record with every association its model declares (and the SQL each ran),
// and the models' diagram drawn by Graphviz. They read through a connection
// of their own, opened read-only (storage/read_only.hpp), with the app loaded
// on it: the console's connection, its transactions and its SQL log are left
// alone, and nothing the view does can write. One page is built at a time.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/app_source.hpp"

namespace fw::storage {
class Database;
}
namespace fw::lang {
class Runtime;
}

namespace fw::web {

// A page that cannot be given: its HTTP status and why.
struct PageError {
  int status;
  std::string message;
};

class Pages {
 public:
  // Opens `db_path` again, read-only, and loads `app` on it. An in-memory
  // database cannot be opened twice: then the model pages say so. `dot`: the
  // console's diagram of the models (console/diagram.hpp), as Graphviz's DOT.
  Pages(const storage::AppSource& app, const std::string& db_path, const std::string& environment, std::string dot);
  ~Pages();
  // After reload!: the app loaded again on a new read-only connection, the diagram redrawn.
  void reload(const storage::AppSource& app, const std::string& db_path, const std::string& environment, std::string dot);
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;

  // Every model with its table and number of rows.
  nlohmann::json models();
  // A model's rows: `page` from 1, `per` rows, ordered by `sort` (a column) `dir` (asc or desc).
  nlohmann::json list(const std::string& model, int page, int per, const std::string& sort, const std::string& dir);
  // A record and its associations.
  nlohmann::json record(const std::string& model, const std::string& id);
  // The diagram as SVG (Graphviz's dot), the models in `touched` marked.
  std::string diagram_svg(const std::vector<std::string>& touched);

 private:
  lang::Runtime& runtime();
  void open(const storage::AppSource& app, const std::string& db_path, const std::string& environment);
  std::mutex lock_;
  std::string dot_;
  // The last picture drawn, and what it was drawn for: thirty pages
  // following the session ask for the same one after each statement.
  std::mutex draw_lock_;
  std::string drawn_for_, drawn_;
  std::string unavailable_;  // why the model pages cannot be built, or ""
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<lang::Runtime> runtime_;
};

}  // namespace fw::web

#pragma once
// The view's pages that read the database: a model's rows a page at a time,
// a record with every association its model declares (and the SQL each ran),
// and the models' diagram drawn by Graphviz. They read what the console sees:
// through the console's own connection and its models (its lang::Runtime),
// with the console's turn on the connection borrowed while it waits at the
// prompt (console/connection_turn.hpp), so an open begin or sandbox and an
// in-memory database show as the console has them. While they read, nothing
// can write and the console's listeners (the SQL log, the timer, the N+1
// hint, the view's own feed) hear none of their queries
// (storage::BorrowedReads); the console's output and interpreter are left as
// they were. One page is built at a time.
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fw::console {
class Session;
}
namespace fw::model {
class App;
class Store;
}

namespace fw::web {

// A page that cannot be given: its HTTP status and why. `busy`: the console
// is running a statement; the same request, asked again, is answered once it ends.
struct PageError {
  int status;
  std::string message;
  bool busy = false;
};

class Pages {
 public:
  // How long a page waits for the console to finish its statement before it
  // answers busy (503), for the browser to ask again.
  static constexpr std::chrono::milliseconds kPatience{2500};

  // `session`: the console whose connection and models the pages read. Built
  // and told of statements on the console's thread.
  explicit Pages(console::Session& session);
  ~Pages();
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  // After each statement, on the console's thread: models read again
  // (reload!, a replaced file opened again) are drawn again.
  void statement_done();

  // Each waits up to `patience` (at most kPatience) for the console's turn.
  // Every model with its table and number of rows.
  nlohmann::json models(std::chrono::milliseconds patience = kPatience);
  // A model's rows: `page` from 1, `per` rows, ordered by `sort` (a column) `dir` (asc or desc).
  nlohmann::json list(const std::string& model, int page, int per, const std::string& sort, const std::string& dir,
                      std::chrono::milliseconds patience = kPatience);
  // A record and its associations.
  nlohmann::json record(const std::string& model, const std::string& id, std::chrono::milliseconds patience = kPatience);
  // The diagram as SVG (Graphviz's dot), the models in `touched` marked.
  std::string diagram_svg(const std::vector<std::string>& touched);

 private:
  // Runs `build` with the console's turn on its connection borrowed, its
  // listeners set aside and writes refused; throws a busy PageError when the
  // turn does not come within `patience`.
  nlohmann::json borrowed(std::chrono::milliseconds patience,
                          const std::function<nlohmann::json(model::Store&, const model::App&)>& build);
  console::Session& session_;
  std::mutex lock_;  // dot_ and drawn_app_: written on the console's thread, read on the server's
  std::string dot_;
  const model::App* drawn_app_ = nullptr;  // the models dot_ was drawn for
  // The last picture drawn, and what it was drawn for: thirty pages
  // following the session ask for the same one after each statement.
  std::mutex draw_lock_;
  std::string drawn_for_, drawn_;
};

}  // namespace fw::web

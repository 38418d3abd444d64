#pragma once
// A small HTTP server for the browser view, over GNU libmicrohttpd, which is
// opened (dlopen) only when a server starts: a console that never starts the
// view neither loads it nor pays for it at start-up, as the PostgreSQL driver
// opens libpq only for a PostgreSQL address (storage/pg_driver.cpp). One
// thread per connection, so each page that follows the session holds its
// event stream open without holding up the others.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fw::web {

struct Request {
  std::string method;  // GET, HEAD, ...
  std::string path;    // "/User/1.json", without the query
  std::map<std::string, std::string> args;     // the query's arguments
  std::map<std::string, std::string> headers;  // by their names in lower case
  std::map<std::string, std::string> cookies;
  // A header's value, or "".
  std::string header(const std::string& lower_name) const;
  std::string arg(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For an endless answer (an event stream): called again and again on the
  // connection's own thread, it may wait; it puts the next bytes in `out`,
  // and returns false when the answer has ended.
  std::function<bool(std::string& out)> stream;
};

class HttpServer {
 public:
  using Handler = std::function<Response(const Request&)>;
  // Listens on `address` (an IPv4 address: 127.0.0.1, or 0.0.0.0 for every
  // network) at `port`, or at the first free one of the 20 after it (0: any
  // free port). Throws fw::Error when libmicrohttpd cannot be opened or no
  // port is free. `handler` runs on the connections' threads.
  HttpServer(const std::string& address, int port, Handler handler);
  ~HttpServer();  // waits for every connection to end
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

 private:
  struct Daemon;
  Handler handler_;
  std::unique_ptr<Daemon> daemon_;
  int port_ = 0;
};

}  // namespace fw::web

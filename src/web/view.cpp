// The view's server: each request checked (its method, its Host, the token
// of a shared view), then answered from the feed, the pages or the assets.
#include "web/view.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "base/error.hpp"
#include "web/assets.hpp"
#include "web/feed.hpp"
#include "web/http_server.hpp"
#include "web/json_values.hpp"
#include "web/pages.hpp"

namespace fw::web {

using nlohmann::json;

namespace {

bool is_number(const std::string& s) {
  return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string random_token() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n <= 0) throw fw::Error("no random bytes for the view's token");
    got += static_cast<size_t>(n);
  }
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// The first address of this machine on a network, for the learners' laptops.
std::string network_address() {
  ifaddrs* list = nullptr;
  std::string found;
  if (getifaddrs(&list) != 0) return "";
  for (ifaddrs* a = list; a && found.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN];
    auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) && std::string(text).rfind("127.", 0) != 0) found = text;
  }
  freeifaddrs(list);
  return found;
}

bool same_secret(const std::string& a, const std::string& b) {  // in a time that does not tell how much matched
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Response text(int status, const std::string& message) { return {status, "text/plain; charset=utf-8", message + "\n", {}, {}}; }

Response json_response(const json& j) { return {200, "application/json; charset=utf-8", dump(j), {}, {}}; }

class WebView final : public console::SessionView {
 public:
  WebView(console::Session& session, bool shared, int port)
      : shared_(shared),
        token_(shared ? random_token() : ""),
        pages_(session),
        recorder_(session, feed_) {
    server_ = std::make_unique<HttpServer>(shared ? "0.0.0.0" : "127.0.0.1", port,
                                           [this](const Request& r) { return secured(r); });
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) == 0) hostname_ = name;
    std::string host = shared ? network_address() : "127.0.0.1";
    if (host.empty()) host = hostname_;
    address_ = fmt::format("http://{}:{}/", host, server_->port());
    if (shared) address_ += "?token=" + token_;
    std::string prompt = session.prompt(false);
    app_name_ = prompt.substr(0, prompt.find('>'));
  }
  ~WebView() override {
    feed_.close();    // every event stream ends
    server_.reset();  // and the server waits for its connections
  }

  std::string address() const override { return address_; }
  void statement_read(const console::ReadStatement& s) override { recorder_.statement_read(s); }
  void error_read(int depth) override { recorder_.error_read(depth); }
  void statement_ended(std::chrono::microseconds took) override { recorder_.statement_ended(took); }
  void statement_failed(int depth) override { recorder_.statement_failed(depth); }
  void statement_done(size_t next, int depth) override {
    recorder_.statement_done(next, depth);
    pages_.statement_done();  // models read again (reload!, a replaced file): the diagram follows
  }
  void script_ended(int depth) override { recorder_.script_ended(depth); }

 private:
  // The Host a browser sent names this view: a page of another site that a
  // DNS name of its own points at 127.0.0.1 (DNS rebinding) is refused.
  bool host_allowed(const std::string& host) const {
    auto colon = host.rfind(':');
    if (colon == std::string::npos || host.substr(colon + 1) != std::to_string(server_->port())) return false;
    std::string name = host.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "127.0.0.1" || name == "localhost" || name == "[::1]") return true;
    if (!shared_) return false;
    in_addr ip{};
    return inet_pton(AF_INET, name.c_str(), &ip) == 1 || name == hostname_ || name == hostname_ + ".local";
  }

  Response secured(const Request& r) {
    if (r.method != "GET" && r.method != "HEAD") return text(405, "the view only reads: GET");
    if (!host_allowed(r.header("host"))) return text(403, "refused: this view answers to its own address only");
    bool by_argument = false;
    if (shared_) {
      auto cookie = r.cookies.find("fw_token");
      by_argument = same_secret(r.arg("token"), token_);
      if (!by_argument && !(cookie != r.cookies.end() && same_secret(cookie->second, token_)))
        return text(403, "refused: this shared view needs the token in the address it printed");
    }
    Response response = route(r);
    response.headers.push_back({"Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"});
    response.headers.push_back({"X-Content-Type-Options", "nosniff"});
    response.headers.push_back({"Referrer-Policy", "no-referrer"});
    response.headers.push_back({"Cache-Control", "no-store"});
    if (by_argument) response.headers.push_back({"Set-Cookie", "fw_token=" + token_ + "; Path=/; HttpOnly; SameSite=Strict"});
    return response;
  }

  Response route(const Request& r) {
    const std::string& path = r.path;
    // ?wait=MS: how long a page waits for a statement the console runs (at most Pages::kPatience).
    auto patience = r.arg("wait").empty() ? Pages::kPatience : std::chrono::milliseconds(std::atoi(r.arg("wait").c_str()));
    try {
      if (path == "/assets/app.js") return {200, "text/javascript; charset=utf-8", app_js(), {}, {}};
      if (path == "/assets/app.css") return {200, "text/css; charset=utf-8", app_css(), {}, {}};
      if (path == "/events") return events(r);
      if (path == "/session.json") return json_response(session_json());
      if (path == "/models.json") return json_response({{"models", pages_.models(patience)}});
      if (path == "/diagram.svg") return {200, "image/svg+xml", pages_.diagram_svg(feed_.touched_models()), {}, {}};
      if (path == "/diagram.json")
        return json_response({{"touched", feed_.touched_models()}, {"svg", "/diagram.svg"}});
      constexpr std::string_view kJson = ".json";
      if (path.size() > kJson.size() && path.compare(path.size() - kJson.size(), kJson.size(), kJson) == 0) {
        std::string rest = path.substr(1, path.size() - 1 - kJson.size());
        auto slash = rest.find('/');
        if (slash == std::string::npos)
          return json_response(pages_.list(rest, std::atoi(r.arg("page").c_str()),
                                           r.arg("per").empty() ? 50 : std::atoi(r.arg("per").c_str()), r.arg("sort"),
                                           r.arg("dir"), patience));
        if (rest.find('/', slash + 1) == std::string::npos)
          return json_response(pages_.record(rest.substr(0, slash), rest.substr(slash + 1), patience));
        return text(404, "no such page");
      }
      return {200, "text/html; charset=utf-8", page_html(), {}, {}};  // the page reads its .json twin
    } catch (const PageError& e) {
      json body = {{"error", e.message}};
      if (e.busy) body["busy"] = true;  // the page asks again
      Response response = json_response(body);
      response.status = e.status;
      return response;
    }
  }

  json session_json() const {
    return {{"app", app_name_}, {"items", feed_.items()}};
  }

  // The session as Server-Sent Events: every item so far (from the event
  // after Last-Event-ID on a reconnection), then each as it comes.
  Response events(const Request& r) {
    std::string last = r.header("last-event-id");
    auto from = std::make_shared<size_t>(is_number(last) ? std::stoul(last) : 0);
    Response response{200, "text/event-stream; charset=utf-8", "", {}, {}};
    SessionFeed* feed = &feed_;
    response.stream = [feed, from](std::string& out) {
      std::vector<std::string> events;
      if (!feed->next_events(*from, events, std::chrono::seconds(15))) return false;
      if (events.empty()) out = ": still here\n\n";
      for (const auto& e : events) out += fmt::format("id: {}\ndata: {}\n\n", ++*from, e);
      return true;
    };
    return response;
  }

  bool shared_;
  std::string token_;
  std::string hostname_;
  std::string address_;
  std::string app_name_;  // as the prompt names it: "fwitter", "clinic(sandbox)"
  SessionFeed feed_;
  Pages pages_;
  FeedRecorder recorder_;
  std::unique_ptr<HttpServer> server_;  // last: its threads read the members above
};

}  // namespace

std::unique_ptr<console::SessionView> start_view(console::Session& session, const std::string& args) {
  std::istringstream words(args);
  std::string first, second, more;
  words >> first >> second >> more;
  bool shared = first == "share";
  std::string port = shared ? second : first;
  if (!more.empty() || (!shared && !second.empty()) || (!port.empty() && !is_number(port)) ||
      (!port.empty() && std::atoi(port.c_str()) > 65535))
    throw fw::Error("web takes a port (web 8765), or share and a port (web share 8765)");
  return std::make_unique<WebView>(session, shared, port.empty() ? kDefaultPort : std::atoi(port.c_str()));
}

}  // namespace fw::web

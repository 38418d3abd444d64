#pragma once
// Debian's headless Chromium driven through chromedriver's WebDriver API
// (chromium and chromium-driver, which `scripts/setup --test` installs): open
// an address, run a script in the page, click an element. A test without
// them ends with FW_SKIP (browser_missing() says why).
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "child.hpp"
#include "http.hpp"
#include "process.hpp"

namespace fw::test {

inline bool runnable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// Why a browser test cannot run here, or "".
inline std::string browser_missing() {
  if (!runnable("/usr/bin/chromium")) return "no Chromium (/usr/bin/chromium; apt-get install chromium)";
  if (!runnable("/usr/bin/chromedriver")) return "no chromedriver (apt-get install chromium-driver)";
  return "";
}

class Browser {
 public:
  explicit Browser(const TempDir& dir)
      : port_(free_port()),
        driver_(dir, "chromedriver", {"--port=" + std::to_string(port_)}, {}, "/usr/bin/chromedriver") {
    bool up = wait_until([&] { return http(port_, "GET", "/status").status == 200; }, 10);
    REQUIRE_MESSAGE(up, "chromedriver did not start");
    nlohmann::json args = {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--no-first-run", "--user-data-dir=" + (dir / "chromium")};
    nlohmann::json caps = {{"capabilities",
                            {{"alwaysMatch",
                              {{"browserName", "chrome"},
                               {"goog:chromeOptions", {{"binary", "/usr/bin/chromium"}, {"args", args}}}}}}}};
    auto answer = call("POST", "/session", caps, 60);
    session_ = answer["value"]["sessionId"].get<std::string>();
  }
  ~Browser() {
    if (!session_.empty()) http(port_, "DELETE", "/session/" + session_, "", {}, 20);
  }
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  void go(const std::string& url) { call("POST", here("/url"), {{"url", url}}); }
  // Runs `script` (a function body: `return ...`) in the page; its value.
  nlohmann::json run(const std::string& script) {
    return call("POST", here("/execute/sync"), {{"script", script}, {"args", nlohmann::json::array()}})["value"];
  }
  // The text of the first element `css` finds, or "" when none.
  std::string text(const std::string& css) {
    auto v = run("const e = document.querySelector(" + nlohmann::json(css).dump() + "); return e ? e.innerText : '';");
    return v.is_string() ? v.get<std::string>() : "";
  }
  // Clicks the first element `css` finds, as a person would; false when none.
  bool click(const std::string& css) {
    auto found = call("POST", here("/element"), {{"using", "css selector"}, {"value", css}}, kTerminalSeconds, false);
    if (!found["value"].is_object() || found["value"].begin() == found["value"].end()) return false;
    std::string id = found["value"].begin().value().get<std::string>();
    call("POST", here("/element/" + id + "/click"), nlohmann::json::object());
    return true;
  }
  // Presses keys as a person at the keyboard would (WebDriver's key actions:
  // trusted events, so Enter on a focused link follows it). "\uE007" is Enter.
  void press(const std::string& keys) {
    nlohmann::json actions = nlohmann::json::array();
    for (size_t i = 0; i < keys.size();) {
      size_t n = (static_cast<unsigned char>(keys[i]) >= 0xE0) ? 3 : 1;  // a one-byte key or a 3-byte UTF-8 code point
      std::string key = keys.substr(i, n);
      actions.push_back({{"type", "keyDown"}, {"value", key}});
      actions.push_back({{"type", "keyUp"}, {"value", key}});
      i += n;
    }
    call("POST", here("/actions"), {{"actions", {{{"type", "key"}, {"id", "keyboard"}, {"actions", actions}}}}});
  }
  // Whether a JavaScript alert is open.
  bool alert_open() { return http(port_, "GET", here("/alert/text")).status == 200; }

 private:
  std::string here(const std::string& rest) const { return "/session/" + session_ + rest; }
  nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body,
                      double seconds = kTerminalSeconds * 4, bool must = true) {
    auto answer = http(port_, method, path, body.dump(), {}, seconds);
    if (must) REQUIRE_MESSAGE(answer.status == 200, method << " " << path << ": " << answer.status << " " << answer.body);
    return answer.body.empty() ? nlohmann::json() : nlohmann::json::parse(answer.body, nullptr, false);
  }

  int port_;
  Child driver_;
  std::string session_;
};

}  // namespace fw::test

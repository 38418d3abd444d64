#pragma once
// A small HTTP/1.1 client for the tests: one request on a connection of its
// own to 127.0.0.1, read to its end (the browser view's pages, chromedriver's
// WebDriver API). Not for the event stream, which never ends: see read_stream.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "wait.hpp"

namespace fw::test {

struct HttpAnswer {
  int status = 0;  // 0: no answer (nothing listening, or it broke off)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

// A socket connected to 127.0.0.1:port, or -1.
inline int connect_local(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(static_cast<uint16_t>(port));
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0) return fd;
  if (fd >= 0) close(fd);
  return -1;
}

// A port nothing listens on now (the kernel's choice).
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at);
  socklen_t size = sizeof at;
  getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size);
  close(fd);
  return ntohs(at.sin_port);
}

inline std::string lower_case(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline void send_all(int fd, const std::string& text) {
  for (size_t at = 0; at < text.size();) {
    ssize_t n = ::send(fd, text.data() + at, text.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return;
    at += static_cast<size_t>(n);
  }
}

// Splits an answer's head from its body; the body de-chunked.
inline HttpAnswer parse_answer(const std::string& raw) {
  HttpAnswer a;
  auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) return a;
  a.status = std::atoi(raw.c_str() + 9);
  size_t line = raw.find("\r\n") + 2;
  while (line < head_end) {
    size_t end = raw.find("\r\n", line);
    std::string header = raw.substr(line, end - line);
    auto colon = header.find(':');
    if (colon != std::string::npos) {
      size_t value = header.find_first_not_of(' ', colon + 1);
      a.headers[lower_case(header.substr(0, colon))] = value == std::string::npos ? "" : header.substr(value);
    }
    line = end + 2;
  }
  std::string body = raw.substr(head_end + 4);
  if (lower_case(a.headers["transfer-encoding"]) != "chunked") {
    a.body = body;
    return a;
  }
  for (size_t at = 0; at < body.size();) {
    size_t end = body.find("\r\n", at);
    if (end == std::string::npos) break;
    size_t size = std::stoul(body.substr(at, end - at), nullptr, 16);
    if (size == 0) break;
    a.body += body.substr(end + 2, size);
    at = end + 2 + size + 2;
  }
  return a;
}

// Whether `raw` holds a whole answer of a known length (else it ends when the connection does).
inline bool answer_complete(const std::string& raw) {
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  std::string head = lower_case(raw.substr(0, head_end));
  auto at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return false;
  return raw.size() - head_end - 4 >= std::stoul(head.substr(at + 17));
}

// One request; `headers` are "Name: value" lines (Host is 127.0.0.1:port unless one is given).
inline HttpAnswer http(int port, const std::string& method, const std::string& path, const std::string& body = "",
                       const std::vector<std::string>& headers = {}, double seconds = kTerminalSeconds) {
  int fd = connect_local(port);
  if (fd < 0) return {};
  std::string request = method + " " + path + " HTTP/1.1\r\nConnection: close\r\n";
  bool host = false;
  for (const auto& h : headers) {
    host = host || lower_case(h).rfind("host:", 0) == 0;
    request += h + "\r\n";
  }
  if (!host) request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (!body.empty() || method == "POST")
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  send_all(fd, request);
  std::string raw;
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience(seconds));
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
    if (answer_complete(raw)) break;
  }
  close(fd);
  return parse_answer(raw);
}

}  // namespace fw::test

// The view's HTTP server on libmicrohttpd, opened with dlopen when the first
// server starts (Debian's libmicrohttpd12; its header from libmicrohttpd-dev).
#include "web/http_server.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fmt/format.h>

#include "base/error.hpp"

namespace fw::web {

namespace {

#define FW_MHD_FUNCTIONS(X)                                                                                     \
  X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_get_daemon_info) X(MHD_create_response_from_buffer)              \
  X(MHD_create_response_from_callback) X(MHD_add_response_header) X(MHD_queue_response) X(MHD_destroy_response) \
  X(MHD_get_connection_values)

struct LibMhd {
#define FW_MHD(name) decltype(&::name) name = nullptr;
  FW_MHD_FUNCTIONS(FW_MHD)
#undef FW_MHD
};

const LibMhd& mhd() {
  static const LibMhd lib = [] {
    void* handle = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      throw fw::Error("the browser view needs GNU libmicrohttpd (libmicrohttpd.so.12), which is not installed "
                      "(apt-get install libmicrohttpd12)");
    LibMhd out;
    auto find = [&](auto& slot, const char* name) {
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(dlsym(handle, name));
      if (!slot) throw fw::Error(fmt::format("libmicrohttpd.so.12 has no {}: too old a libmicrohttpd", name));
    };
#define FW_MHD(name) find(out.name, #name);
    FW_MHD_FUNCTIONS(FW_MHD)
#undef FW_MHD
    return out;
  }();
  return lib;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

MHD_Result collect(void* cls, MHD_ValueKind kind, const char* key, const char* value) {
  auto& request = *static_cast<Request*>(cls);
  std::string v = value ? value : "";
  if (kind == MHD_HEADER_KIND) request.headers[lower(key)] = v;
  if (kind == MHD_COOKIE_KIND) request.cookies[key] = v;
  if (kind == MHD_GET_ARGUMENT_KIND) request.args[key] = v;
  return MHD_YES;
}

// An endless answer: what the stream gave and the connection has not taken yet.
struct Stream {
  std::function<bool(std::string&)> next;
  std::string pending;
  size_t at = 0;
};

ssize_t read_stream(void* cls, uint64_t, char* buf, size_t max) {
  auto& s = *static_cast<Stream*>(cls);
  while (s.at == s.pending.size()) {
    s.pending.clear();
    s.at = 0;
    if (!s.next(s.pending)) return MHD_CONTENT_READER_END_OF_STREAM;
  }
  size_t n = std::min(max, s.pending.size() - s.at);
  std::memcpy(buf, s.pending.data() + s.at, n);
  s.at += n;
  return static_cast<ssize_t>(n);
}

void free_stream(void* cls) { delete static_cast<Stream*>(cls); }

}  // namespace

std::string Request::header(const std::string& lower_name) const {
  auto found = headers.find(lower_name);
  return found == headers.end() ? "" : found->second;
}

std::string Request::arg(const std::string& name) const {
  auto found = args.find(name);
  return found == args.end() ? "" : found->second;
}

struct HttpServer::Daemon {
  MHD_Daemon* daemon = nullptr;
  ~Daemon() {
    if (daemon) mhd().MHD_stop_daemon(daemon);
  }

  static MHD_Result answer(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*,
                           const char*, size_t* upload_size, void** state) {
    if (!*state) {  // the headers: the first call; the body (none is read) comes after
      *state = connection;
      return MHD_YES;
    }
    if (*upload_size) {  // a body: ignored (nothing is ever written)
      *upload_size = 0;
      return MHD_YES;
    }
    const LibMhd& lib = mhd();
    Request request;
    request.method = method;
    request.path = url;
    lib.MHD_get_connection_values(connection, MHD_HEADER_KIND, &collect, &request);
    lib.MHD_get_connection_values(connection, MHD_COOKIE_KIND, &collect, &request);
    lib.MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collect, &request);
    Response response;
    try {
      response = static_cast<HttpServer*>(cls)->handler_(request);
    } catch (const std::exception& e) {
      response = Response{500, "text/plain; charset=utf-8", std::string("fwitter: ") + e.what() + "\n", {}, {}};
    }
    MHD_Response* r = nullptr;
    if (response.stream) {
      auto* stream = new Stream{std::move(response.stream), {}, 0};
      r = lib.MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, &read_stream, stream, &free_stream);
    } else {
      r = lib.MHD_create_response_from_buffer(response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
    }
    if (!r) return MHD_NO;
    lib.MHD_add_response_header(r, "Content-Type", response.type.c_str());
    for (const auto& [name, value] : response.headers) lib.MHD_add_response_header(r, name.c_str(), value.c_str());
    MHD_Result queued = lib.MHD_queue_response(connection, static_cast<unsigned>(response.status), r);
    lib.MHD_destroy_response(r);
    return queued;
  }
};

HttpServer::HttpServer(const std::string& address, int port, Handler handler)
    : handler_(std::move(handler)), daemon_(std::make_unique<Daemon>()) {
  const LibMhd& lib = mhd();
  sockaddr_in at{};
  at.sin_family = AF_INET;
  if (inet_pton(AF_INET, address.c_str(), &at.sin_addr) != 1) throw fw::Error("not an IPv4 address: " + address);
  // The server's threads (and the connections' threads they start) take no
  // signals: Ctrl-C, a resized terminal and the timeout's alarm stay the console thread's.
  sigset_t all, was;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &was);
  int tries = port == 0 ? 1 : 20;
  for (int i = 0; i < tries && !daemon_->daemon; ++i) {
    int p = port == 0 ? 0 : port + i;
    if (p > 65535) break;
    at.sin_port = htons(static_cast<uint16_t>(p));
    daemon_->daemon = lib.MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
                                           nullptr, nullptr, &Daemon::answer, this, MHD_OPTION_SOCK_ADDR, &at,
                                           MHD_OPTION_CONNECTION_TIMEOUT, 0u, MHD_OPTION_END);
  }
  pthread_sigmask(SIG_SETMASK, &was, nullptr);
  if (!daemon_->daemon)
    throw fw::Error(port == 0 ? "the browser view could not listen on any port"
                              : fmt::format("the browser view could not listen on {}: ports {} to {} are taken", address,
                                            port, std::min(port + tries - 1, 65535)));
  const MHD_DaemonInfo* info = lib.MHD_get_daemon_info(daemon_->daemon, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info ? info->port : port;
}

HttpServer::~HttpServer() = default;

}  // namespace fw::web

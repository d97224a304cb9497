// A small HTTP/1.1 server on Boost.Beast: keep-alive, body-size limit,
// routes with {param} segments. Used by the admin API (and reusable by the
// HTTP transport plugin, which links this static library).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/security/tls_files.hpp"

namespace nebula::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw, with query string
  std::string path;    // decoded path without query
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> params;  // {name} captures of the route
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
  std::string peer;  // "ip:port"
};

// The connection end of a server-sent event stream (text/event-stream).
class EventFeed {
 public:
  virtual ~EventFeed() = default;
  // [thread-safe] Queues one complete event ("data: …\n\n"). False once the
  // connection is gone, or the client reads so slowly that kMaxPendingEvents
  // are unsent (the connection is closed then; an EventSource reconnects):
  // the producer should forget this feed.
  virtual bool push(std::string event) = 0;
  static constexpr size_t kMaxPendingEvents = 1024;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a server-sent event stream: the server writes a 200
  // text/event-stream header, then calls this once with the feed to push
  // events through, and keeps the connection open (a comment every 15 s
  // keeps proxies from closing it) until the client goes away or the server
  // stops. status/body are ignored then.
  std::function<void(std::shared_ptr<EventFeed>)> events;
};

using Handler = std::function<Response(const Request&)>;

// Runs before routing for every request; an answer it returns is sent instead
// (e.g. 401), so unknown paths are not told apart from known ones either.
using Guard = std::function<std::optional<Response>(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                  // 0 = ephemeral
  size_t threads = 1;
  size_t body_limit = 1 << 20;        // bytes; larger bodies get 413
  unsigned idle_timeout_seconds = 60; // keep-alive idle limit (0 = none)
  unsigned stop_grace_seconds = 5;    // stop() lets in-flight answers finish this long
  security::ServerTls tls;            // enabled(): HTTPS only; client_ca: clients need a certificate
  Guard guard;                        // unset: every request is routed
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a handler; `pattern` like "/api/v1/agents/{name}/query".
  // Unknown paths get 404, a known path with another method 405.
  void route(const std::string& method, const std::string& pattern, Handler handler);

  // Binds and starts the I/O threads; throws std::runtime_error naming the
  // address when the bind fails, or the file when a TLS file is unusable.
  void start();
  // Stops accepting, closes connections, joins threads. Idempotent.
  // Must not be called from a handler (it would join its own thread).
  void stop();
  // The bound port (after start()).
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nebula::http

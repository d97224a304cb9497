// An HTTP receiver run inside the test on 127.0.0.1 (ephemeral port), plain
// or TLS, on Boost.Beast, for the sinks that POST (webhook, alertmanager,
// the shared client): it records every request and answers as the test
// scripts it. Answers can be held (read but not answered until
// released) to provoke a client's timeout without sleeping, and open
// connections can be dropped to provoke a stale kept-alive connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/security/tls_context.hpp"

namespace nebula::sink_test {

struct Received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  int connection = 0;  // which accepted connection carried it (1, 2, ...)
};

struct Reply {
  unsigned status = 200;
  std::string body = "ok";
  std::vector<std::pair<std::string, std::string>> headers{};
  bool close = false;  // answer with Connection: close
};

class HttpReceiver {
 public:
  explicit HttpReceiver(security::TlsContext tls = nullptr);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  void answer(Reply reply);  // every request from now on
  void hold_answers();
  void release_answers();
  // Closes every open connection (server side) and returns once done.
  void drop_connections();

  std::vector<Received> requests() const;
  int connections() const;

 private:
  struct Session;
  void accept();
  void served(std::shared_ptr<Session> session);

  security::TlsContext tls_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;

  mutable std::mutex mu_;
  Reply reply_;
  bool holding_ = false;
  std::vector<std::shared_ptr<Session>> held_;
  std::vector<std::weak_ptr<Session>> open_;
  std::vector<Received> requests_;
  int connections_ = 0;

  std::thread thread_;  // last: runs ioc_ until the destructor stops it
};

}  // namespace nebula::sink_test

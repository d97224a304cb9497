// Fixture for the HTTP transport tests: a mock host that records what the
// transport submits, the real plugin module, and a tiny synchronous HTTP
// client (Beast) for requests the plugin's own client would never send.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
// GCC 12 with -fsanitize reports a false -Wmaybe-uninitialized inside Beast
// 1.74's response parser (boost::optional in content_length_unchecked).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <gtest/gtest.h>

#include "transport_test_support.hpp"

namespace nebula::transport_test {

namespace bhttp = boost::beast::http;
using boost::asio::ip::tcp;

struct RawAnswer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names as sent
  std::string body;
  bool keep_alive = false;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One HTTP connection to 127.0.0.1:port for hand-made requests.
class RawHttp {
 public:
  explicit RawHttp(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }
  RawAnswer send(bhttp::verb method, const std::string& target, const std::string& body,
                 const std::vector<std::pair<std::string, std::string>>& headers = {{"Content-Type", "application/json"}},
                 bool chunked = false) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (chunked) req.chunked(true);
    else req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket_, buffer_, res);
    RawAnswer a;
    a.status = res.result_int();
    for (auto& f : res) a.headers[std::string(f.name_string())] = std::string(f.value());
    a.body = res.body();
    a.keep_alive = res.keep_alive();
    return a;
  }
  tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context ioc_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// A port nothing listens on (bound, then released).
inline uint16_t unused_port() {
  boost::asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

class HttpTransportTest : public ::testing::Test {
 protected:
  const nebula_plugin_descriptor* descriptor() const {
    return library("nebula_transport_http").find("nebula.transport.http");
  }

  // Host verdict: accepted, counting the records of the data_batch document.
  void accept_all() {
    host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                           nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      auto doc = nlohmann::json::parse(payload, nullptr, false);
      uint32_t n = 0;
      int64_t last = -1;
      if (doc.is_object() && doc.contains("data_batch"))
        for (auto& r : doc["data_batch"]) {
          ++n;
          last = std::max<int64_t>(last, r.value("seq", int64_t{-1}));
        }
      return fill_verdict(out, {NEBULA_OK, n, 0, last, 0, 200,
                                nlohmann::json{{"status", "accepted"}, {"accepted", n}}.dump()});
    });
  }

  // Host verdict: always `spec`, recording what was submitted.
  void answer_with(VerdictSpec spec) {
    host_.on_submit([this, spec](const std::string& fmt, const std::string& payload, const std::string& meta,
                                 nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      return fill_verdict(out, spec);
    });
  }

  ServerUnderTest& start_server(nlohmann::json config = nlohmann::json::object()) {
    if (!config.contains("port")) config["port"] = 0;
    server_ = std::make_unique<ServerUnderTest>(host_, descriptor(), config);
    server_->start();
    return *server_;
  }

  uint16_t port() const { return server_->port(); }
  std::string endpoint(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

  TempDir dir_;
  testing::MockHost host_{dir_.path() / "state"};
  SubmissionLog log_;
  std::unique_ptr<ServerUnderTest> server_;  // declared last: stops before the host goes
};

}  // namespace nebula::transport_test

// A tiny blocking HTTP client for the server tests. Each call runs Beast's
// async operation to completion on the client's own io_context under a
// deadline, so a server bug fails the test instead of hanging it.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nebula::http::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using WireResponse = bhttp::response<bhttp::string_body>;

class TestClient {
 public:
  static constexpr std::chrono::seconds kDeadline{10};

  explicit TestClient(uint16_t port) : stream_(io_) {
    check(run([&](auto done) {
      stream_.async_connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                            [done](beast::error_code ec) { done(ec, 0); });
    }), "connect");
  }

  // One request, one response; keep-alive unless `headers` says otherwise.
  WireResponse request(const std::string& method, const std::string& target, std::string body = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    check(run([&](auto done) { bhttp::async_write(stream_, req, done); }), "write request");
    return read_response();
  }

  void write_raw(const std::string& bytes) {
    check(run([&](auto done) { net::async_write(stream_, net::buffer(bytes), done); }), "write raw");
  }

  WireResponse read_response() {
    WireResponse res;
    check(run([&](auto done) { bhttp::async_read(stream_, buffer_, res, done); }), "read response");
    return res;
  }

  // Reads the interim "100 Continue" a server sends for `Expect: 100-continue`.
  unsigned read_interim_status() {
    bhttp::response_parser<bhttp::empty_body> parser;
    check(run([&](auto done) { bhttp::async_read_header(stream_, buffer_, parser, done); }), "read interim");
    return parser.get().result_int();
  }

  // True when the server closed the connection (EOF or reset) before the deadline.
  bool closed_by_server() {
    char byte;
    const auto ec = run([&](auto done) { stream_.async_read_some(net::buffer(&byte, 1), done); });
    return ec == net::error::eof || ec == net::error::connection_reset || ec == bhttp::error::end_of_stream;
  }

 private:
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = beast::error::timeout;
    stream_.expires_after(kDeadline);
    start([&result](beast::error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run();
    return result;
  }

  static void check(const beast::error_code& ec, const char* what) {
    if (ec) throw std::runtime_error(std::string("test client: ") + what + ": " + ec.message());
  }

  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

}  // namespace nebula::http::testing

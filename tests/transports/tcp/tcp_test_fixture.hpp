// Fixture for the TCP transport tests: a mock host that records what the
// transport submits, the real plugin module, and a raw line-oriented socket
// for speaking (and misbehaving) on the wire directly.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "transport_test_support.hpp"

namespace nebula::transport_test {

using boost::asio::ip::tcp;

// A raw connection whose reads give up after 10 s, so a bug shows as a
// failed expectation rather than a hung test.
class RawLines {
 public:
  explicit RawLines(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }
  void send(const std::string& text) { boost::asio::write(socket_, boost::asio::buffer(text)); }
  // The next line without its newline; nullopt at EOF, error or timeout.
  std::optional<std::string> read_line() {
    const auto deadline = std::chrono::steady_clock::now() + kReadTimeout;
    for (;;) {
      if (auto nl = inbox_.find('\n'); nl != std::string::npos) {
        std::string line = inbox_.substr(0, nl);
        inbox_.erase(0, nl + 1);
        return line;
      }
      if (receive(deadline) <= 0) return std::nullopt;
    }
  }
  nlohmann::json read_ack() {
    auto line = read_line();
    if (!line) throw std::runtime_error("no ack line");
    return nlohmann::json::parse(*line);
  }
  // True when the server closes the connection (EOF or reset) within the
  // timeout; anything it still sends is discarded.
  bool closed_by_server() {
    const auto deadline = std::chrono::steady_clock::now() + kReadTimeout;
    for (;;) {
      ssize_t n = receive(deadline);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  static constexpr std::chrono::seconds kReadTimeout{10};

  // Appends what arrives to inbox_: bytes read, 0 at EOF, -1 on error/timeout.
  ssize_t receive(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{socket_.native_handle(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    char buf[8192];
    ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
    if (n > 0) inbox_.append(buf, static_cast<size_t>(n));
    return n;
  }

  boost::asio::io_context ioc_;
  tcp::socket socket_;
  std::string inbox_;
};

inline std::string record_line(const std::string& node, int64_t seq) { return make_record(node, seq).dump() + "\n"; }
inline std::string commit(const nlohmann::json& id) { return nlohmann::json{{"nebula", "commit"}, {"batch", id}}.dump() + "\n"; }

inline uint16_t unused_port() {
  boost::asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

class TcpTransportTest : public ::testing::Test {
 protected:
  const nebula_plugin_descriptor* descriptor() const {
    return library("nebula_transport_tcp").find("nebula.transport.tcp");
  }

  // Counts the lines and their highest seq: what a host would accept.
  static VerdictSpec accepted_verdict(const std::string& payload) {
    VerdictSpec v;
    v.status = NEBULA_OK;
    for (auto& line : lines_of(payload)) {
      ++v.accepted;
      v.last_seq = std::max<int64_t>(v.last_seq, nlohmann::json::parse(line).value("seq", int64_t{-1}));
    }
    v.http_status = 200;
    return v;
  }

  void accept_all() {
    host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                           nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      return fill_verdict(out, accepted_verdict(payload));
    });
  }

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
  std::string endpoint() const { return "tcp://127.0.0.1:" + std::to_string(port()); }
  int connections() const { return server_->describe()["connections"].get<int>(); }

  TempDir dir_;
  testing::MockHost host_{dir_.path() / "state"};
  SubmissionLog log_;
  std::unique_ptr<ServerUnderTest> server_;  // declared last: stops before the host goes
};

}  // namespace nebula::transport_test

// An HTTP/1.1 server of the test's own on 127.0.0.1 (ephemeral port): it
// plays Alertmanager for the sink (scripted answers) and is the webhook
// receiver a real Alertmanager notifies. Every request is recorded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace alertmanager_test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::string body;
};

struct Answer {
  unsigned status = 200;
  std::string body;
};

class TestHttpServer {
 public:
  using Handler = std::function<Answer(const ReceivedRequest&)>;

  TestHttpServer() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestHttpServer() {
    ioc_.stop();
    thread_.join();
  }
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  // How the next requests are answered (default: 200 with an empty body).
  void answer_with(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }
  void answer_status(unsigned status, std::string body = {}) {
    answer_with([status, body](const ReceivedRequest&) { return Answer{status, body}; });
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  using tcp = boost::asio::ip::tcp;

  struct Session : std::enable_shared_from_this<Session> {
    explicit Session(tcp::socket s, TestHttpServer* o) : stream(std::move(s)), owner(o) {}
    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> req;
    boost::beast::http::response<boost::beast::http::string_body> res;
    TestHttpServer* owner;

    void read() {
      req = {};
      stream.expires_after(std::chrono::seconds(10));
      boost::beast::http::async_read(stream, buffer, req, [self = shared_from_this()](auto ec, size_t) {
        if (!ec) self->respond();
      });
    }
    void respond() {
      const Answer a = owner->record({std::string(req.method_string()), std::string(req.target()), req.body()});
      res = {static_cast<boost::beast::http::status>(a.status), 11};
      res.set(boost::beast::http::field::content_type, "application/json");
      res.body() = a.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      boost::beast::http::async_write(stream, res, [self = shared_from_this()](auto ec, size_t) {
        if (!ec && self->res.keep_alive()) self->read();
      });
    }
  };

  Answer record(ReceivedRequest r) {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    return handler_ ? handler_(requests_.back()) : Answer{};
  }

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      std::make_shared<Session>(std::move(socket), this)->read();
      accept();
    });
  }

  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace alertmanager_test

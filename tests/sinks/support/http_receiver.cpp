#include "http_receiver.hpp"

#include <cctype>
#include <chrono>
#include <future>

#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/security/tls_stream.hpp"

namespace nebula::sink_test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

struct HttpReceiver::Session : std::enable_shared_from_this<Session> {
  Session(HttpReceiver& owner, tcp::socket socket, int id) : owner(owner), stream(std::move(socket)), id(id) {}

  void start() {
    stream.accept_tls(owner.tls_, std::chrono::seconds(10), [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->stream.tcp().expires_never();
      self->read();
    });
  }

  void read() {
    request = {};
    bhttp::async_read(stream, buffer, request, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec) self->owner.served(self);
    });
  }

  void reply(const Reply& r) {
    response = {static_cast<bhttp::status>(r.status), 11};
    for (const auto& [name, value] : r.headers) response.set(name, value);
    response.keep_alive(!r.close);
    response.body() = r.body;
    response.prepare_payload();
    bhttp::async_write(stream, response, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;
      if (self->response.keep_alive()) self->read();
      else self->close();
    });
  }

  void close() {
    beast::error_code ignored;
    stream.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.tcp().close();
  }

  HttpReceiver& owner;
  security::Stream stream;
  int id;
  beast::flat_buffer buffer;
  bhttp::request<bhttp::string_body> request;
  bhttp::response<bhttp::string_body> response;
};

HttpReceiver::HttpReceiver(security::TlsContext tls)
    : tls_(std::move(tls)), acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { ioc_.run(); });
}

HttpReceiver::~HttpReceiver() {
  ioc_.stop();
  thread_.join();
}

std::string HttpReceiver::url(const std::string& path) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpReceiver::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(mu_);
      session = std::make_shared<Session>(*this, std::move(socket), ++connections_);
      open_.push_back(session);
    }
    session->start();
    accept();
  });
}

void HttpReceiver::served(std::shared_ptr<Session> session) {
  Received got{std::string(session->request.method_string()), std::string(session->request.target()), {},
               session->request.body(), session->id};
  for (const auto& field : session->request) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    got.headers[name] = std::string(field.value());
  }
  Reply reply;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(got));
    if (holding_) {
      held_.push_back(std::move(session));
      return;
    }
    reply = reply_;
  }
  session->reply(reply);
}

void HttpReceiver::answer(Reply reply) {
  std::lock_guard lock(mu_);
  reply_ = std::move(reply);
}

void HttpReceiver::hold_answers() {
  std::lock_guard lock(mu_);
  holding_ = true;
}

void HttpReceiver::release_answers() {
  asio::post(ioc_, [this] {
    std::vector<std::shared_ptr<Session>> held;
    Reply reply;
    {
      std::lock_guard lock(mu_);
      holding_ = false;
      held.swap(held_);
      reply = reply_;
    }
    for (auto& s : held) s->reply(reply);
  });
}

void HttpReceiver::drop_connections() {
  std::promise<void> done;
  asio::post(ioc_, [this, &done] {
    std::vector<std::weak_ptr<Session>> open;
    {
      std::lock_guard lock(mu_);
      open.swap(open_);
    }
    for (auto& weak : open)
      if (auto s = weak.lock()) s->close();
    done.set_value();
  });
  done.get_future().wait();
}

std::vector<Received> HttpReceiver::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int HttpReceiver::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

}  // namespace nebula::sink_test

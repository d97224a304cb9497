#include "http/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <stdexcept>

namespace nebula::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// Accept errors such as EMFILE repeat immediately; pause instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

tcp::endpoint resolve(net::io_context& io, const std::string& address, uint16_t port,
                      beast::error_code& ec) {
  const auto ip = net::ip::make_address(address, ec);
  if (!ec) return {ip, port};
  // Not a literal address: allow names such as "localhost".
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(address, std::to_string(port), tcp::resolver::passive, ec);
  if (ec) return {};
  return *results.begin();
}

}  // namespace

Listener::Listener(net::io_context& io, const std::string& address, uint16_t port, OnAccept on_accept)
    : io_(io), acceptor_(net::make_strand(io)), retry_timer_(acceptor_.get_executor()), on_accept_(std::move(on_accept)) {
  const auto fail = [&](const beast::error_code& ec) {
    throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
  };
  beast::error_code ec;
  const tcp::endpoint endpoint = resolve(io, address, port, ec);
  if (ec) fail(ec);
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail(ec);
  // Lets a restarted server rebind while old connections sit in TIME_WAIT;
  // on Linux it does not allow two live listeners on one port.
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail(ec);
  acceptor_.bind(endpoint, ec);
  if (ec) fail(ec);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail(ec);
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) fail(ec);
}

void Listener::start() {
  net::post(acceptor_.get_executor(), beast::bind_front_handler(&Listener::accept, shared_from_this()));
}

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->closed_ = true;
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::accept() {
  if (closed_) return;
  // Each connection gets its own strand: sessions run in parallel on the I/O threads.
  acceptor_.async_accept(net::make_strand(io_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (closed_ || ec == net::error::operation_aborted) return;
  if (ec) {
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->accept(); });
    return;
  }
  on_accept_(std::move(socket));
  accept();
}

}  // namespace nebula::http::detail

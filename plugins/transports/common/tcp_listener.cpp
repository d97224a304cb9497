#include "tcp_listener.hpp"

#include <future>
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace nebula::transport {
namespace asio = boost::asio;
using asio::ip::tcp;

TcpListener::TcpListener(Host host, std::string transport)
    : host_(std::move(host)), transport_(std::move(transport)), acceptor_(asio::make_strand(ioc_)),
      backoff_(acceptor_.get_executor()) {}

TcpListener::~TcpListener() { join(); }

void TcpListener::start(const std::string& address, uint16_t port, unsigned io_threads, OnAccept on_accept) {
  on_accept_ = std::move(on_accept);
  try {
    tcp::resolver resolver(ioc_);
    tcp::endpoint ep = resolver.resolve(address, std::to_string(port), tcp::resolver::passive).begin()->endpoint();
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    throw Error(NEBULA_IO, transport_ + " transport cannot listen on " + host_port(address, port) + ": " +
                               e.code().message());
  }
  accept();
  threads_.reserve(io_threads);
  for (unsigned i = 0; i < io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void TcpListener::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void TcpListener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: back off instead of spinning.
    host_.warn(transport_ + " transport accept failed: " + ec.message());
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && !stopping_) accept();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // answers are small and latency-bound
  on_accept_(std::move(socket));
  accept();
}

bool TcpListener::stop_accepting(std::function<void()> sweep, std::chrono::milliseconds timeout) {
  if (threads_.empty()) return false;
  auto swept = std::make_shared<std::promise<void>>();
  asio::post(acceptor_.get_executor(), [this, swept, sweep = std::move(sweep)] {
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    backoff_.cancel();
    sweep();
    swept->set_value();
  });
  return swept->get_future().wait_for(timeout) == std::future_status::ready;
}

void TcpListener::join() {
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::string host_port(const std::string& address, uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace nebula::transport

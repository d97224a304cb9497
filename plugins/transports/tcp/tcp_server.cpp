#include "tcp_server.hpp"

#include <future>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "tcp_connection.hpp"
#include "tls_config.hpp"

namespace nebula::transport::tcp {
namespace asio = boost::asio;
using asio::ip::tcp;

TcpServer::TcpServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens)
    : ctx_(std::make_shared<TcpContext>()),
      workers_(config.submit_threads),
      acceptor_(asio::make_strand(ioc_)),
      accept_backoff_(acceptor_.get_executor()) {
  ctx_->host = std::move(host);
  ctx_->config = std::move(config);
  ctx_->submit_executor = workers_.get_executor();
  ctx_->tokens = std::move(tokens);
  ctx_->limiter = std::make_shared<ConnectionLimiter>(ctx_->config.max_connections_per_client);
}

TcpServer::~TcpServer() { stop(); }

void TcpServer::start() {
  const auto& cfg = ctx_->config;
  const std::string where = cfg.address + ":" + std::to_string(cfg.port);
  ctx_->tls = server_tls_context(cfg.tls, "tcp");  // validate() checked; throws if a file changed since
  try {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(cfg.address, std::to_string(cfg.port), tcp::resolver::passive);
    tcp::endpoint ep = results.begin()->endpoint();
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    throw Error(NEBULA_IO, "tcp transport cannot listen on " + where + ": " + e.code().message());
  }
  accept();
  threads_.reserve(cfg.io_threads);
  for (unsigned i = 0; i < cfg.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void TcpServer::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void TcpServer::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: back off instead of spinning.
    ctx_->host.warn("tcp transport accept failed: " + ec.message());
    accept_backoff_.expires_after(std::chrono::milliseconds(100));
    accept_backoff_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && !stopping_) accept();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // acks are small and latency-bound
  // Registered synchronously on the acceptor's strand, where stop() sweeps.
  // Over the per-client cap, the connection only answers a retry ack and closes.
  auto slot = ctx_->limiter->acquire(client_address(socket));
  std::make_shared<TcpConnection>(std::move(socket), ctx_, std::move(slot))->start();
  accept();
}

void TcpServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (!threads_.empty()) {
    auto swept = std::make_shared<std::promise<void>>();
    asio::post(acceptor_.get_executor(), [this, swept] {
      stopping_ = true;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      accept_backoff_.cancel();
      for (auto& c : ctx_->connections.snapshot()) c->shutdown();
      swept->set_value();
    });
    const auto drain = std::chrono::milliseconds(ctx_->config.drain_timeout_ms);
    if (swept->get_future().wait_for(drain) == std::future_status::ready) ctx_->connections.wait_empty(drain);
  }
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_.join();
}

}  // namespace nebula::transport::tcp

#include "ingest_server.hpp"

#include <future>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "ingest_session.hpp"
#include "tls_config.hpp"

namespace nebula::transport::http {
namespace asio = boost::asio;
using asio::ip::tcp;

IngestServer::IngestServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens)
    : ctx_(std::make_shared<IngestContext>()),
      workers_(config.submit_threads),
      acceptor_(asio::make_strand(ioc_)),
      accept_backoff_(acceptor_.get_executor()) {
  ctx_->host = std::move(host);
  ctx_->config = std::move(config);
  ctx_->tokens = std::move(tokens);
  ctx_->submit_executor = workers_.get_executor();
  ctx_->limiter = std::make_shared<ConnectionLimiter>(ctx_->config.max_connections_per_client);
}

IngestServer::~IngestServer() { stop(); }

void IngestServer::start() {
  const auto& cfg = ctx_->config;
  const std::string where = cfg.address + ":" + std::to_string(cfg.port);
  ctx_->tls = server_tls_context(cfg.tls, "http");  // validate() checked; throws if a file changed since
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
    throw Error(NEBULA_IO, "http transport cannot listen on " + where + ": " + e.code().message());
  }
  accept();
  threads_.reserve(cfg.io_threads);
  for (unsigned i = 0; i < cfg.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void IngestServer::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void IngestServer::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: back off instead of spinning.
    ctx_->host.warn("http transport accept failed: " + ec.message());
    accept_backoff_.expires_after(std::chrono::milliseconds(100));
    accept_backoff_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && !stopping_) accept();
    });
    return;
  }
  // Registered synchronously here, on the acceptor's strand, so stop() (which
  // runs its sweep on the same strand) cannot miss a just-accepted session.
  // Over the per-client cap, the session only answers 503 and closes.
  auto slot = ctx_->limiter->acquire(client_address(socket));
  std::make_shared<IngestSession>(std::move(socket), ctx_, std::move(slot))->start();
  accept();
}

void IngestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (!threads_.empty()) {
    auto swept = std::make_shared<std::promise<void>>();
    asio::post(acceptor_.get_executor(), [this, swept] {
      stopping_ = true;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      accept_backoff_.cancel();
      for (auto& s : ctx_->sessions.snapshot()) s->shutdown();
      swept->set_value();
    });
    const auto drain = std::chrono::milliseconds(ctx_->config.drain_timeout_ms);
    if (swept->get_future().wait_for(drain) == std::future_status::ready) ctx_->sessions.wait_empty(drain);
  }
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_.join();  // in-flight submissions finish; their answers are dropped with the io_context
}

}  // namespace nebula::transport::http

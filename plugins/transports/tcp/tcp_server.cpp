#include "tcp_server.hpp"

#include "tcp_connection.hpp"
#include "tls_config.hpp"

namespace nebula::transport::tcp {

TcpServer::TcpServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens)
    : ctx_(std::make_shared<TcpContext>()), workers_(config.submit_threads), listener_(host, "tcp") {
  ctx_->host = std::move(host);
  ctx_->config = std::move(config);
  ctx_->submit_executor = workers_.get_executor();
  ctx_->tokens = std::move(tokens);
  ctx_->limiter = std::make_shared<ConnectionLimiter>(ctx_->config.max_connections_per_client);
}

TcpServer::~TcpServer() { stop(); }

void TcpServer::start() {
  const auto& cfg = ctx_->config;
  ctx_->tls = server_tls_context(cfg.tls, "tcp");  // validate() checked; throws if a file changed since
  listener_.start(cfg.address, cfg.port, cfg.io_threads, [ctx = ctx_](boost::asio::ip::tcp::socket socket) {
    // Registered synchronously on the acceptor's strand, where stop() sweeps.
    // Over the per-client cap, the connection only answers a retry ack and closes.
    auto slot = ctx->limiter->acquire(client_address(socket));
    std::make_shared<TcpConnection>(std::move(socket), ctx, std::move(slot))->start();
  });
}

void TcpServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const auto drain = std::chrono::milliseconds(ctx_->config.drain_timeout_ms);
  const bool swept = listener_.stop_accepting(
      [ctx = ctx_] {
        for (auto& c : ctx->connections.snapshot()) c->shutdown();
      },
      drain);
  if (swept) ctx_->connections.wait_empty(drain);
  listener_.join();
  workers_.join();
}

}  // namespace nebula::transport::tcp

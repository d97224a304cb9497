#include "ethstats_server.hpp"

#include "ethstats_session.hpp"
#include "session_logic.hpp"
#include "tls_config.hpp"

namespace nebula::transport::ethstats {

EthstatsServer::EthstatsServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens)
    : ctx_(std::make_shared<EthstatsContext>(host, std::move(config))),
      workers_(ctx_->config.submit_threads),
      listener_(std::move(host), "ethstats") {
  ctx_->submit_executor = workers_.get_executor();
  ctx_->tokens = std::move(tokens);
  ctx_->limiter = std::make_shared<ConnectionLimiter>(ctx_->config.max_connections_per_client);
}

EthstatsServer::~EthstatsServer() { stop(); }

void EthstatsServer::start() {
  const auto& cfg = ctx_->config;
  ctx_->tls = server_tls_context(cfg.tls, "ethstats");  // validate() checked; throws if a file changed since
  listener_.start(cfg.address, cfg.port, cfg.io_threads, [ctx = ctx_](boost::asio::ip::tcp::socket socket) {
    // Over the per-client cap the connection is answered 503 and closed.
    auto slot = ctx->limiter->acquire(client_address(socket));
    if (ctx->tls)
      std::make_shared<Session<TlsStream>>(std::move(socket), ctx, std::move(slot))->start();
    else
      std::make_shared<Session<PlainStream>>(std::move(socket), ctx, std::move(slot))->start();
  });
}

void EthstatsServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const auto drain = std::chrono::milliseconds(ctx_->config.drain_timeout_ms);
  const bool swept = listener_.stop_accepting(
      [ctx = ctx_] {
        for (auto& s : ctx->sessions.snapshot()) s->close_soon(kGoingAway, "the pool is stopping");
      },
      drain);
  if (swept) ctx_->sessions.wait_empty(drain);
  listener_.join();
  workers_.join();
}

}  // namespace nebula::transport::ethstats

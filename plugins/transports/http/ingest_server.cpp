#include "ingest_server.hpp"

#include "ingest_session.hpp"
#include "tls_config.hpp"

namespace nebula::transport::http {

IngestServer::IngestServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens)
    : ctx_(std::make_shared<IngestContext>()), workers_(config.submit_threads), listener_(host, "http") {
  ctx_->host = std::move(host);
  ctx_->config = std::move(config);
  ctx_->tokens = std::move(tokens);
  ctx_->submit_executor = workers_.get_executor();
  ctx_->limiter = std::make_shared<ConnectionLimiter>(ctx_->config.max_connections_per_client);
}

IngestServer::~IngestServer() { stop(); }

void IngestServer::start() {
  const auto& cfg = ctx_->config;
  ctx_->tls = server_tls_context(cfg.tls, "http");  // validate() checked; throws if a file changed since
  listener_.start(cfg.address, cfg.port, cfg.io_threads, [ctx = ctx_](boost::asio::ip::tcp::socket socket) {
    // Registered synchronously here, on the acceptor's strand, so stop() (which
    // runs its sweep on the same strand) cannot miss a just-accepted session.
    // Over the per-client cap, the session only answers 503 and closes.
    auto slot = ctx->limiter->acquire(client_address(socket));
    std::make_shared<IngestSession>(std::move(socket), ctx, std::move(slot))->start();
  });
}

void IngestServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  const auto drain = std::chrono::milliseconds(ctx_->config.drain_timeout_ms);
  const bool swept = listener_.stop_accepting(
      [ctx = ctx_] {
        for (auto& s : ctx->sessions.snapshot()) s->shutdown();
      },
      drain);
  if (swept) ctx_->sessions.wait_empty(drain);
  listener_.join();
  workers_.join();  // in-flight submissions finish; their answers are dropped with the io_context
}

}  // namespace nebula::transport::http

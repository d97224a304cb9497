// Registration: binds the HTTP ingest server and client to the plugin ABI.
#include <memory>
#include <mutex>

#include <nebula/plugin.hpp>

#include "http_client.hpp"
#include "http_config.hpp"
#include "ingest_server.hpp"
#include "token_store.hpp"

namespace nebula::transport::http {

class HttpTransport : public TransportServer {
 public:
  static constexpr PluginMeta meta{"nebula.transport.http", "HTTP transport", "1.0.0",
                                   "POST /api/v1/pool/ingest: JSON documents in, the pool's verdict out"};
  using Client = HttpClient;

  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { read_server_config(cfg, errors); }

  HttpTransport(Host host, const nlohmann::json& cfg) : TransportServer(std::move(host)) {
    ConfigErrors ignored;  // create() validated already
    config_ = read_server_config(cfg, ignored);
  }
  ~HttpTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mu_);
    if (server_) return;
    auto server = std::make_unique<IngestServer>(host(), config_, open_token_store(config_.tokens_file, host()));
    server->start();
    server_ = std::move(server);
    host().info("http transport listening on " + url());
  }

  void stop() override {
    std::unique_ptr<IngestServer> server;
    {
      std::lock_guard lock(mu_);
      server = std::move(server_);
    }
    if (server) server->stop();
  }

  nlohmann::json describe() const override {
    std::lock_guard lock(mu_);
    return {{"address", config_.address},
            {"port", server_ ? server_->port() : config_.port},
            {"path", config_.path},
            {"url", url()},
            {"running", server_ != nullptr},
            {"tls", config_.tls.has_value()},
            {"mutual_tls", config_.tls && !config_.tls->client_ca.empty()},
            {"max_connections_per_client", config_.max_connections_per_client},
            {"connections", server_ ? server_->connections() : 0}};
  }

 private:
  std::string url() const {  // callers hold mu_
    const bool v6 = config_.address.find(':') != std::string::npos;
    const std::string host = v6 ? "[" + config_.address + "]" : config_.address;
    return (config_.tls ? "https://" : "http://") + host + ":" + std::to_string(server_ ? server_->port() : config_.port) + config_.path;
  }

  ServerConfig config_;
  mutable std::mutex mu_;
  std::unique_ptr<IngestServer> server_;
};

}  // namespace nebula::transport::http

NEBULA_PLUGINS(nebula::transport::http::HttpTransport)

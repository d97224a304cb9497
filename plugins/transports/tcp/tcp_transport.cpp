// Registration: binds the TCP line-protocol server and client to the plugin ABI.
#include <memory>
#include <mutex>

#include <nebula/plugin.hpp>

#include "tcp_client.hpp"
#include "tcp_config.hpp"
#include "tcp_server.hpp"

namespace nebula::transport::tcp {

class TcpTransport : public TransportServer {
 public:
  static constexpr PluginMeta meta{"nebula.transport.tcp", "TCP transport", "1.0.0",
                                   "NDJSON record lines + commit line per batch, one ack line per batch"};
  using Client = TcpClient;

  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { read_server_config(cfg, errors); }

  TcpTransport(Host host, const nlohmann::json& cfg) : TransportServer(std::move(host)) {
    ConfigErrors ignored;  // create() validated already
    config_ = read_server_config(cfg, ignored);
  }
  ~TcpTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mu_);
    if (server_) return;
    auto server = std::make_unique<TcpServer>(host(), config_, open_token_store(config_.tokens_file, host()));
    server->start();
    server_ = std::move(server);
    host().info("tcp transport listening on " + url());
  }

  void stop() override {
    std::unique_ptr<TcpServer> server;
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
            {"url", url()},
            {"running", server_ != nullptr},
            {"tls", config_.tls.has_value()},
            {"mutual_tls", config_.tls && !config_.tls->client_ca.empty()},
            {"max_connections_per_client", config_.max_connections_per_client},
            {"connections", server_ ? server_->connections() : 0},
            {"batches", server_ ? server_->batches() : 0}};
  }

 private:
  std::string url() const {  // callers hold mu_
    const bool v6 = config_.address.find(':') != std::string::npos;
    const std::string host = v6 ? "[" + config_.address + "]" : config_.address;
    return (config_.tls ? "tcp+tls://" : "tcp://") + host + ":" + std::to_string(server_ ? server_->port() : config_.port);
  }

  ServerConfig config_;
  mutable std::mutex mu_;
  std::unique_ptr<TcpServer> server_;
};

}  // namespace nebula::transport::tcp

NEBULA_PLUGINS(nebula::transport::tcp::TcpTransport)

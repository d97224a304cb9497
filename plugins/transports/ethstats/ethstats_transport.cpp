// Registration: binds the ethstats server (geth's --ethstats push) to the
// plugin ABI. Server side only: nodes bring their own ethstats client.
#include <memory>
#include <mutex>

#include <nebula/plugin.hpp>

#include "ethstats_config.hpp"
#include "ethstats_server.hpp"
#include "tcp_listener.hpp"
#include "token_store.hpp"

namespace nebula::transport::ethstats {

class EthstatsTransport : public TransportServer {
 public:
  static constexpr PluginMeta meta{"nebula.transport.ethstats", "Ethstats transport", "1.0.0",
                                   "ethstats server (WebSocket): geth --ethstats name:secret@host:port feeds the pool"};

  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { read_server_config(cfg, errors); }

  EthstatsTransport(Host host, const nlohmann::json& cfg) : TransportServer(std::move(host)) {
    ConfigErrors ignored;  // create() validated already
    config_ = read_server_config(cfg, ignored);
  }
  ~EthstatsTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mu_);
    if (server_) return;
    if (config_.tokens_file.empty())
      host().warn("ethstats transport: no tokens_file, so any hello is accepted whatever its secret");
    auto server = std::make_unique<EthstatsServer>(host(), config_, open_token_store(config_.tokens_file, host()));
    server->start();
    server_ = std::move(server);
    host().info("ethstats transport listening on " + url() + " (geth: --ethstats <name>:<token>@" + hostport() + ")");
  }

  void stop() override {
    std::unique_ptr<EthstatsServer> server;
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
            {"connections", server_ ? server_->connections() : 0},
            {"nodes", server_ ? server_->nodes() : 0},
            {"records_accepted", server_ ? server_->records_accepted() : 0},
            {"node_states_evicted", server_ ? server_->node_states_evicted() : 0}};
  }

 private:
  std::string hostport() const {  // callers hold mu_
    return host_port(config_.address, server_ ? server_->port() : config_.port);
  }
  std::string url() const { return (config_.tls ? "wss://" : "ws://") + hostport() + config_.path; }

  ServerConfig config_;
  mutable std::mutex mu_;
  std::unique_ptr<EthstatsServer> server_;
};

}  // namespace nebula::transport::ethstats

NEBULA_PLUGINS(nebula::transport::ethstats::EthstatsTransport)

// Registration: binds the TCP line-protocol server and client to the plugin ABI.
#include <nebula/plugin.hpp>

#include "listener_transport.hpp"
#include "tcp_client.hpp"
#include "tcp_config.hpp"
#include "tcp_server.hpp"

namespace nebula::transport::tcp {

class TcpTransport : public ListenerTransport<TcpServer, ServerConfig, &read_server_config> {
 public:
  static constexpr PluginMeta meta{"nebula.transport.tcp", "TCP transport", "1.0.0",
                                   "NDJSON record lines + commit line per batch, one ack line per batch"};
  using Client = TcpClient;

  TcpTransport(Host host, const nlohmann::json& cfg) : ListenerTransport(std::move(host), cfg, "tcp") {}

 private:
  std::string url(uint16_t port) const override {
    return (config().tls ? "tcp+tls://" : "tcp://") + host_port(config().address, port);
  }
  void add_facts(nlohmann::json& facts, const TcpServer* running) const override {
    facts["batches"] = running ? running->batches() : 0;
  }
};

}  // namespace nebula::transport::tcp

NEBULA_PLUGINS(nebula::transport::tcp::TcpTransport)

// Registration: binds the ethstats server (geth's --ethstats push) to the
// plugin ABI. Server side only: nodes bring their own ethstats client.
#include <nebula/plugin.hpp>

#include "ethstats_config.hpp"
#include "ethstats_server.hpp"
#include "listener_transport.hpp"
#include "tcp_listener.hpp"

namespace nebula::transport::ethstats {

class EthstatsTransport : public ListenerTransport<EthstatsServer, ServerConfig, &read_server_config> {
 public:
  static constexpr PluginMeta meta{"nebula.transport.ethstats", "Ethstats transport", "1.0.0",
                                   "ethstats server (WebSocket): geth --ethstats name:secret@host:port feeds the pool"};

  EthstatsTransport(Host host, const nlohmann::json& cfg) : ListenerTransport(std::move(host), cfg, "ethstats") {}

 private:
  std::string url(uint16_t port) const override {
    return (config().tls ? "wss://" : "ws://") + host_port(config().address, port) + config().path;
  }
  void add_facts(nlohmann::json& facts, const EthstatsServer* running) const override {
    facts["path"] = config().path;
    facts["nodes"] = running ? running->nodes() : 0;
    facts["records_accepted"] = running ? running->records_accepted() : 0;
    facts["node_states_evicted"] = running ? running->node_states_evicted() : 0;
  }
  // Without tokens the hello's secret is never checked: say so where the operator looks.
  void before_start() const override {
    if (config().tokens_file.empty())
      host().warn("ethstats transport: no tokens_file, so any hello is accepted whatever its secret");
  }
  std::string listening_note(uint16_t port) const override {
    return " (geth: --ethstats <name>:<token>@" + host_port(config().address, port) + ")";
  }
};

}  // namespace nebula::transport::ethstats

NEBULA_PLUGINS(nebula::transport::ethstats::EthstatsTransport)

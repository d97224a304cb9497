// Registration: binds the HTTP ingest server and client to the plugin ABI.
#include <nebula/plugin.hpp>

#include "http_client.hpp"
#include "http_config.hpp"
#include "ingest_server.hpp"
#include "listener_transport.hpp"

namespace nebula::transport::http {

class HttpTransport : public ListenerTransport<IngestServer, ServerConfig, &read_server_config> {
 public:
  static constexpr PluginMeta meta{"nebula.transport.http", "HTTP transport", "1.0.0",
                                   "POST /api/v1/pool/ingest: JSON documents in, the pool's verdict out"};
  using Client = HttpClient;

  HttpTransport(Host host, const nlohmann::json& cfg) : ListenerTransport(std::move(host), cfg, "http") {}

 private:
  std::string url(uint16_t port) const override {
    return (config().tls ? "https://" : "http://") + host_port(config().address, port) + config().path;
  }
  void add_facts(nlohmann::json& facts, const IngestServer* /*running*/) const override {
    facts["path"] = config().path;
  }
};

}  // namespace nebula::transport::http

NEBULA_PLUGINS(nebula::transport::http::HttpTransport)

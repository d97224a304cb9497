#include "ethstats_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "tls_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::ethstats {
namespace {

std::map<std::string, std::string> read_names(const nlohmann::json& cfg, const char* key, ConfigErrors& errors) {
  std::map<std::string, std::string> out;
  if (!cfg.contains(key)) return out;
  const auto& v = cfg[key];
  if (!v.is_object()) {
    errors.add(std::string("/") + key, "must map names to chain ids");
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.value().is_string() || it.value().get<std::string>().empty())
      errors.add(std::string("/") + key + "/" + it.key(), "must be a non-empty chain id");
    else
      out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg,
                              {"address", "port", "path", "io_threads", "submit_threads", "max_frame_bytes",
                               "idle_timeout_ms", "default_retry_ms", "drain_timeout_ms", "tokens_file",
                               "max_connections_per_client", "tls", "node_type", "chain_id", "networks",
                               "node_chains", "max_nodes"},
                              errors);
  ServerConfig c;
  c.address = config::text(cfg, "address", c.address, &errors);
  if (c.address.empty()) errors.add("/address", "must not be empty");
  c.port = static_cast<uint16_t>(config::whole_number(cfg, "port", c.port, 0, 65535, &errors));
  c.path = config::text(cfg, "path", c.path, &errors);
  if (c.path.empty() || c.path[0] != '/') errors.add("/path", "must start with '/'");
  c.io_threads = static_cast<unsigned>(config::whole_number(cfg, "io_threads", c.io_threads, 1, 64, &errors));
  c.submit_threads = static_cast<unsigned>(config::whole_number(cfg, "submit_threads", c.submit_threads, 1, 64, &errors));
  c.max_frame_bytes = config::whole_number(cfg, "max_frame_bytes", c.max_frame_bytes, 1024, uint64_t{1} << 30, &errors);
  c.idle_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "idle_timeout_ms", c.idle_timeout_ms, 100, 3'600'000, &errors));
  c.default_retry_ms = static_cast<uint32_t>(config::whole_number(cfg, "default_retry_ms", c.default_retry_ms, 1, 600'000, &errors));
  c.drain_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "drain_timeout_ms", c.drain_timeout_ms, 0, 600'000, &errors));
  c.tokens_file = config::text(cfg, "tokens_file", "", &errors);
  check_tokens_file(c.tokens_file, "/tokens_file", errors);
  c.max_connections_per_client = static_cast<uint32_t>(
      config::whole_number(cfg, "max_connections_per_client", c.max_connections_per_client, 1, 1'000'000, &errors));
  c.tls = read_server_tls(cfg, errors);
  c.node_type = config::text(cfg, "node_type", c.node_type, &errors);
  if (c.node_type.empty()) errors.add("/node_type", "must not be empty");
  c.chain_id = config::text(cfg, "chain_id", "", &errors);
  c.networks = read_names(cfg, "networks", errors);
  c.node_chains = read_names(cfg, "node_chains", errors);
  c.max_nodes = static_cast<uint32_t>(config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 10'000'000, &errors));
  return c;
}

std::string chain_of(const ServerConfig& cfg, const std::string& node_id, const std::string& net) {
  if (auto it = cfg.node_chains.find(node_id); it != cfg.node_chains.end()) return it->second;
  if (auto it = cfg.networks.find(net); it != cfg.networks.end()) return it->second;
  if (!cfg.chain_id.empty()) return cfg.chain_id;
  return net.empty() ? "ethereum" : "ethereum-" + net;
}

}  // namespace nebula::transport::ethstats

#include "ethstats_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

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
  reject_unknown_listener_keys(cfg,
                               {"path", "max_frame_bytes", "default_retry_ms", "node_type", "chain_id", "networks",
                                "node_chains", "max_nodes"},
                               errors);
  ServerConfig c;
  read_listener_settings(cfg, c, errors, ServerConfig::kMinIdleTimeoutMs);
  c.path = config::text(cfg, "path", c.path, &errors);
  if (c.path.empty() || c.path[0] != '/') errors.add("/path", "must start with '/'");
  c.max_frame_bytes = config::whole_number(cfg, "max_frame_bytes", c.max_frame_bytes, 1024, uint64_t{1} << 30, &errors);
  c.default_retry_ms = config::whole_number(cfg, "default_retry_ms", c.default_retry_ms, 1, 600'000, &errors);
  c.node_type = config::text(cfg, "node_type", c.node_type, &errors);
  if (c.node_type.empty()) errors.add("/node_type", "must not be empty");
  c.chain_id = config::text(cfg, "chain_id", "", &errors);
  c.networks = read_names(cfg, "networks", errors);
  c.node_chains = read_names(cfg, "node_chains", errors);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 10'000'000, &errors);
  return c;
}

std::string chain_of(const ServerConfig& cfg, const std::string& node_id, const std::string& net) {
  if (auto it = cfg.node_chains.find(node_id); it != cfg.node_chains.end()) return it->second;
  if (auto it = cfg.networks.find(net); it != cfg.networks.end()) return it->second;
  if (!cfg.chain_id.empty()) return cfg.chain_id;
  return net.empty() ? "ethereum" : "ethereum-" + net;
}

}  // namespace nebula::transport::ethstats

// Configuration of the ethstats transport (server side only: nodes such as
// geth connect to it with --ethstats name:secret@host:port), read and
// checked in one place.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "listener_settings.hpp"

namespace nebula::transport::ethstats {

// The listener settings (geth reports every 15 s, so idle_timeout_ms of
// silence closes, and is at least kMinIdleTimeoutMs; tokens_file maps
// node_id -> token, the hello's secret is the token; tls set: wss only) plus
// the ethstats protocol's own.
struct ServerConfig : ListenerSettings {
  static constexpr uint32_t kMinIdleTimeoutMs = 100;
  ServerConfig() : ListenerSettings(7002) {}
  std::string path = "/api";               // geth dials <host>/api
  uint64_t max_frame_bytes = 4 << 20;      // a larger message: close 1009 (a 50-block history fits)
  uint32_t default_retry_ms = 1'000;       // pause after RETRY when the host gives no hint
  std::string node_type = "full";          // records' node_type ("light" for a les/ protocol)
  std::string chain_id;                    // fallback chain; "" = "ethereum-<net>"
  std::map<std::string, std::string> networks;     // hello info.net -> chain_id
  std::map<std::string, std::string> node_chains;  // node id -> chain_id (wins over networks)
  uint32_t max_nodes = 10'000;             // per-node state kept (least recent evicted)
};

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);

// Which chain a node's records belong to (docs/transports.md, "Ethstats").
std::string chain_of(const ServerConfig& cfg, const std::string& node_id, const std::string& net);

}  // namespace nebula::transport::ethstats

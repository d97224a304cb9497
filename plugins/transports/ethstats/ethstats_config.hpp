// Configuration of the ethstats transport (server side only: nodes such as
// geth connect to it with --ethstats name:secret@host:port), read and
// checked in one place.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::transport::ethstats {

struct ServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 7002;                    // 0 = ephemeral
  std::string path = "/api";               // geth dials <host>/api
  unsigned io_threads = 2;
  unsigned submit_threads = 2;             // host submissions may block; kept off the I/O threads
  uint64_t max_frame_bytes = 4 << 20;      // a larger message: close 1009 (a 50-block history fits)
  uint32_t idle_timeout_ms = 60'000;       // geth reports every 15 s; silence this long closes
  uint32_t default_retry_ms = 1'000;       // pause after RETRY when the host gives no hint
  uint32_t drain_timeout_ms = 5'000;       // stop(): wait this long for submissions in flight
  std::string tokens_file;                 // node_id -> token; the hello's secret is the token
  uint32_t max_connections_per_client = 64;
  std::optional<security::ServerTls> tls;  // set: wss only
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

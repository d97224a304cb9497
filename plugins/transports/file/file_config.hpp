// Configuration of the file transport: the spool tailer (server side, in
// the pool) and the spool writer (client side, in the node).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport::file {

struct ServerConfig {
  std::vector<std::string> paths;          // glob patterns of JSONL spool files
  uint32_t poll_interval_ms = 500;
  uint32_t max_lines_per_submit = 1000;
  uint64_t max_bytes_per_submit = 4 << 20;
  uint64_t max_line_bytes = 1 << 20;       // longer lines are set aside as rejected
  uint32_t rotated_grace_ms = 5'000;       // keep finishing a renamed/removed file this long
};

struct ClientConfig {
  bool fsync = false;  // fdatasync after each batch (durable against power loss, slower)
};

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::transport::file

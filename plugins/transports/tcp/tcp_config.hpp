// Configuration of the TCP transport, server side (pool) and client side
// (node), read and checked in one place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::transport::tcp {

struct ServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 7001;                 // 0 = ephemeral
  unsigned io_threads = 2;
  unsigned submit_threads = 2;          // host submissions may block; kept off the I/O threads
  uint64_t max_line_bytes = 64 * 1024;  // longer line: error ack, then close
  uint64_t max_batch_bytes = 16 << 20;  // an uncommitted batch may not grow past this
  uint32_t idle_timeout_ms = 60'000;    // no byte for this long: close (open batch discarded)
  uint32_t default_retry_ms = 1'000;    // pause after RETRY when the host gives no hint
  uint32_t drain_timeout_ms = 5'000;    // stop(): wait this long for in-flight batches
  std::string tokens_file;              // "" = no auth line required
  uint32_t max_connections_per_client = 64;  // per client IP; more get a retry ack and are closed
  std::optional<security::ServerTls> tls;   // set: TLS only
};

struct ClientConfig {
  uint32_t connect_timeout_ms = 5'000;
  uint32_t ack_timeout_ms = 30'000;     // batch written + its ack read
  std::string token;                    // sent in an auth line; "" = none
  std::string node_id;                  // who the token is for; "" = the batch's node_id
  std::optional<security::ClientTls> tls;  // for tcp+tls:// endpoints
};

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::transport::tcp

// Configuration of the TCP transport, server side (pool) and client side
// (node), read and checked in one place.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "client_settings.hpp"
#include "listener_settings.hpp"

namespace nebula::transport::tcp {

// The listener settings (tokens_file "" = no auth line required; over
// max_connections_per_client a connection gets a retry ack and is closed;
// idle: the open batch is discarded) plus the line protocol's own.
struct ServerConfig : ListenerSettings {
  ServerConfig() : ListenerSettings(7001) {}
  uint64_t max_line_bytes = 64 * 1024;  // longer line: error ack, then close
  uint64_t max_batch_bytes = 16 << 20;  // an uncommitted batch may not grow past this
  uint32_t default_retry_ms = 1'000;    // pause after RETRY when the host gives no hint
};

// The client settings (the token is sent in an auth line; tls is for
// tcp+tls:// endpoints) plus the line protocol's own.
struct ClientConfig : ClientSettings {
  uint32_t ack_timeout_ms = 30'000;     // batch written + its ack read
};

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::transport::tcp

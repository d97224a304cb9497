// Configuration of the HTTP transport: server side (the pool) and client
// side (the node), read and checked in one place so validate() and the
// constructors can never disagree.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "client_settings.hpp"
#include "listener_settings.hpp"

namespace nebula::transport::http {

inline constexpr const char* kDefaultIngestPath = "/api/v1/pool/ingest";

// The listener settings (idle_timeout_ms is the keep-alive idle limit;
// tokens_file "" = no bearer-token check; over max_connections_per_client a
// connection gets 503 and is closed; tls set: HTTPS only) plus HTTP's own.
struct ServerConfig : ListenerSettings {
  ServerConfig() : ListenerSettings(7000) {}
  std::string path = kDefaultIngestPath;
  uint64_t body_limit = 1 << 20;              // bytes; larger bodies get 413
  uint32_t read_timeout_ms = 30'000;          // whole body must arrive within this
};

// The client settings (the token is sent as a bearer Authorization, node_id
// as X-Nebula-Node; tls is for https:// endpoints) plus HTTP's own.
struct ClientConfig : ClientSettings {
  uint32_t read_timeout_ms = 30'000;          // request written + answer read
};

// Both record every problem as "<json-pointer>: <message>" in `errors`
// (unknown keys included) and return the values that were valid.
ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::transport::http

// Configuration of the HTTP transport: server side (the pool) and client
// side (the node), read and checked in one place so validate() and the
// constructors can never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::transport::http {

inline constexpr const char* kDefaultIngestPath = "/api/v1/pool/ingest";

struct ServerConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 7000;                       // 0 = ephemeral
  std::string path = kDefaultIngestPath;
  unsigned io_threads = 2;                    // socket I/O
  unsigned submit_threads = 2;                // host submissions (may block on fsync)
  uint64_t body_limit = 1 << 20;              // bytes; larger bodies get 413
  uint32_t idle_timeout_ms = 60'000;          // keep-alive idle limit
  uint32_t read_timeout_ms = 30'000;          // whole body must arrive within this
  uint32_t drain_timeout_ms = 5'000;          // stop(): wait this long for in-flight requests
  std::string tokens_file;                    // "" = no bearer-token check
  uint32_t max_connections_per_client = 64;   // per client IP; more get 503 and are closed
  std::optional<security::ServerTls> tls;     // set: HTTPS only
};

struct ClientConfig {
  uint32_t connect_timeout_ms = 5'000;
  uint32_t read_timeout_ms = 30'000;          // request written + answer read
  std::string token;                          // bearer token sent as Authorization
  std::string node_id;                        // X-Nebula-Node; "" = taken from the batch
  std::optional<security::ClientTls> tls;     // for https:// endpoints (verification is always on)
};

// Both record every problem as "<json-pointer>: <message>" in `errors`
// (unknown keys included) and return the values that were valid.
ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::transport::http

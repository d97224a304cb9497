// The settings the clients of the tcp and http transports (the node side)
// read the same way: how long to connect, who they are and TLS. A
// transport's ClientConfig derives from ClientSettings and reads only its own
// keys itself.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::transport {

struct ClientSettings {
  uint32_t connect_timeout_ms = 5'000;
  std::string token;                       // sent to the pool; "" = none
  std::string node_id;                     // who the token is for; "" = the batch's node_id
  std::optional<security::ClientTls> tls;  // for TLS endpoints (verification is always on)
};

// Reads the client keys of `cfg` into `settings`, keeping its values (the
// defaults) where a key is absent or wrong; every problem is recorded as
// "/<key>: <why>".
void read_client_settings(const nlohmann::json& cfg, ClientSettings& settings, ConfigErrors& errors);

// Reports keys of `cfg` that are neither client keys nor in `own_keys`.
void reject_unknown_client_keys(const nlohmann::json& cfg, std::initializer_list<const char*> own_keys,
                                ConfigErrors& errors);

}  // namespace nebula::transport

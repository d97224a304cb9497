#include "client_settings.hpp"

#include <array>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "known_keys.hpp"
#include "tls_config.hpp"

namespace nebula::transport {
namespace {

// What read_client_settings() reads, in the order unknown-key messages list them.
constexpr std::array<const char*, 4> kClientKeys = {"connect_timeout_ms", "token", "node_id", "tls"};

}  // namespace

void read_client_settings(const nlohmann::json& cfg, ClientSettings& s, ConfigErrors& errors) {
  s.connect_timeout_ms = config::whole_number(cfg, "connect_timeout_ms", s.connect_timeout_ms, 1, 600'000, &errors);
  s.token = config::text(cfg, "token", s.token, &errors);
  s.node_id = config::text(cfg, "node_id", s.node_id, &errors);
  s.tls = read_client_tls(cfg, errors);
}

void reject_unknown_client_keys(const nlohmann::json& cfg, std::initializer_list<const char*> own_keys,
                                ConfigErrors& errors) {
  reject_keys_outside(cfg, kClientKeys, own_keys, errors);
}

}  // namespace nebula::transport

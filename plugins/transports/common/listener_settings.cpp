#include "listener_settings.hpp"

#include <array>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "known_keys.hpp"
#include "tls_config.hpp"
#include "token_store.hpp"

namespace nebula::transport {
namespace {

// What read_listener_settings() reads, in the order unknown-key messages list them.
constexpr std::array<const char*, 9> kListenerKeys = {
    "address", "port", "io_threads", "submit_threads", "idle_timeout_ms", "drain_timeout_ms",
    "tokens_file", "max_connections_per_client", "tls"};

}  // namespace

void read_listener_settings(const nlohmann::json& cfg, ListenerSettings& s, ConfigErrors& errors,
                            uint32_t min_idle_timeout_ms) {
  s.address = config::text(cfg, "address", s.address, &errors);
  if (s.address.empty()) errors.add("/address", "must not be empty");
  s.port = config::whole_number(cfg, "port", s.port, 0, 65535, &errors);
  s.io_threads = config::whole_number(cfg, "io_threads", s.io_threads, 1, 64, &errors);
  s.submit_threads = config::whole_number(cfg, "submit_threads", s.submit_threads, 1, 64, &errors);
  s.idle_timeout_ms = config::whole_number(cfg, "idle_timeout_ms", s.idle_timeout_ms, min_idle_timeout_ms, 3'600'000, &errors);
  s.drain_timeout_ms = config::whole_number(cfg, "drain_timeout_ms", s.drain_timeout_ms, 0, 600'000, &errors);
  s.tokens_file = config::text(cfg, "tokens_file", s.tokens_file, &errors);
  check_tokens_file(s.tokens_file, "/tokens_file", errors);
  s.max_connections_per_client =
      config::whole_number(cfg, "max_connections_per_client", s.max_connections_per_client, 1, 1'000'000, &errors);
  s.tls = read_server_tls(cfg, errors);
}

void reject_unknown_listener_keys(const nlohmann::json& cfg, std::initializer_list<const char*> own_keys,
                                  ConfigErrors& errors) {
  reject_keys_outside(cfg, kListenerKeys, own_keys, errors);
}

}  // namespace nebula::transport

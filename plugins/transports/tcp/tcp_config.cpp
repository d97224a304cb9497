#include "tcp_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::transport::tcp {

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  reject_unknown_listener_keys(cfg, {"max_line_bytes", "max_batch_bytes", "default_retry_ms"}, errors);
  ServerConfig c;
  read_listener_settings(cfg, c, errors);
  c.max_line_bytes = config::whole_number(cfg, "max_line_bytes", c.max_line_bytes, 64, uint64_t{1} << 30, &errors);
  c.max_batch_bytes = config::whole_number(cfg, "max_batch_bytes", c.max_batch_bytes, 64, uint64_t{1} << 32, &errors);
  if (c.max_batch_bytes < c.max_line_bytes)
    errors.add("/max_batch_bytes", "must be at least max_line_bytes (" + std::to_string(c.max_line_bytes) + ")");
  c.default_retry_ms = config::whole_number(cfg, "default_retry_ms", c.default_retry_ms, 1, 600'000, &errors);
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  reject_unknown_client_keys(cfg, {"ack_timeout_ms"}, errors);
  ClientConfig c;
  read_client_settings(cfg, c, errors);
  c.ack_timeout_ms = config::whole_number(cfg, "ack_timeout_ms", c.ack_timeout_ms, 1, 3'600'000, &errors);
  return c;
}

}  // namespace nebula::transport::tcp

#include "tcp_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "tls_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::tcp {

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg,
                              {"address", "port", "io_threads", "submit_threads", "max_line_bytes", "max_batch_bytes",
                               "idle_timeout_ms", "default_retry_ms", "drain_timeout_ms", "tokens_file",
                               "max_connections_per_client", "tls"},
                              errors);
  ServerConfig c;
  c.address = config::text(cfg, "address", c.address, &errors);
  if (c.address.empty()) errors.add("/address", "must not be empty");
  c.port = static_cast<uint16_t>(config::whole_number(cfg, "port", c.port, 0, 65535, &errors));
  c.io_threads = static_cast<unsigned>(config::whole_number(cfg, "io_threads", c.io_threads, 1, 64, &errors));
  c.submit_threads = static_cast<unsigned>(config::whole_number(cfg, "submit_threads", c.submit_threads, 1, 64, &errors));
  c.max_line_bytes = config::whole_number(cfg, "max_line_bytes", c.max_line_bytes, 64, uint64_t{1} << 30, &errors);
  c.max_batch_bytes = config::whole_number(cfg, "max_batch_bytes", c.max_batch_bytes, 64, uint64_t{1} << 32, &errors);
  if (c.max_batch_bytes < c.max_line_bytes)
    errors.add("/max_batch_bytes", "must be at least max_line_bytes (" + std::to_string(c.max_line_bytes) + ")");
  c.idle_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "idle_timeout_ms", c.idle_timeout_ms, 10, 3'600'000, &errors));
  c.default_retry_ms = static_cast<uint32_t>(config::whole_number(cfg, "default_retry_ms", c.default_retry_ms, 1, 600'000, &errors));
  c.drain_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "drain_timeout_ms", c.drain_timeout_ms, 0, 600'000, &errors));
  c.tokens_file = config::text(cfg, "tokens_file", "", &errors);
  check_tokens_file(c.tokens_file, "/tokens_file", errors);
  c.max_connections_per_client = static_cast<uint32_t>(
      config::whole_number(cfg, "max_connections_per_client", c.max_connections_per_client, 1, 1'000'000, &errors));
  c.tls = read_server_tls(cfg, errors);
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"connect_timeout_ms", "ack_timeout_ms", "token", "node_id", "tls"}, errors);
  ClientConfig c;
  c.connect_timeout_ms =
      static_cast<uint32_t>(config::whole_number(cfg, "connect_timeout_ms", c.connect_timeout_ms, 1, 600'000, &errors));
  c.ack_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "ack_timeout_ms", c.ack_timeout_ms, 1, 3'600'000, &errors));
  c.token = config::text(cfg, "token", "", &errors);
  c.node_id = config::text(cfg, "node_id", "", &errors);
  c.tls = read_client_tls(cfg, errors);
  return c;
}

}  // namespace nebula::transport::tcp

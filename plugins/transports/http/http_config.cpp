#include "http_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "tls_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::http {

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg,
                              {"address", "port", "path", "io_threads", "submit_threads", "body_limit",
                               "idle_timeout_ms", "read_timeout_ms", "drain_timeout_ms", "tokens_file",
                               "max_connections_per_client", "tls"},
                              errors);
  ServerConfig c;
  c.address = config::text(cfg, "address", c.address, &errors);
  if (c.address.empty()) errors.add("/address", "must not be empty");
  c.port = static_cast<uint16_t>(config::whole_number(cfg, "port", c.port, 0, 65535, &errors));
  c.path = config::text(cfg, "path", c.path, &errors);
  if (c.path.empty() || c.path.front() != '/' || c.path.find('?') != std::string::npos)
    errors.add("/path", "must start with '/' and carry no query string");
  c.io_threads = static_cast<unsigned>(config::whole_number(cfg, "io_threads", c.io_threads, 1, 64, &errors));
  c.submit_threads = static_cast<unsigned>(config::whole_number(cfg, "submit_threads", c.submit_threads, 1, 64, &errors));
  c.body_limit = config::whole_number(cfg, "body_limit", c.body_limit, 1, uint64_t{1} << 30, &errors);
  c.idle_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "idle_timeout_ms", c.idle_timeout_ms, 10, 3'600'000, &errors));
  c.read_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "read_timeout_ms", c.read_timeout_ms, 10, 3'600'000, &errors));
  c.drain_timeout_ms =
      static_cast<uint32_t>(config::whole_number(cfg, "drain_timeout_ms", c.drain_timeout_ms, 0, 600'000, &errors));
  c.tokens_file = config::text(cfg, "tokens_file", "", &errors);
  check_tokens_file(c.tokens_file, "/tokens_file", errors);
  c.max_connections_per_client = static_cast<uint32_t>(
      config::whole_number(cfg, "max_connections_per_client", c.max_connections_per_client, 1, 1'000'000, &errors));
  c.tls = read_server_tls(cfg, errors);
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"connect_timeout_ms", "read_timeout_ms", "token", "node_id", "tls"}, errors);
  ClientConfig c;
  c.connect_timeout_ms =
      static_cast<uint32_t>(config::whole_number(cfg, "connect_timeout_ms", c.connect_timeout_ms, 1, 600'000, &errors));
  c.read_timeout_ms = static_cast<uint32_t>(config::whole_number(cfg, "read_timeout_ms", c.read_timeout_ms, 1, 3'600'000, &errors));
  c.token = config::text(cfg, "token", "", &errors);
  c.node_id = config::text(cfg, "node_id", "", &errors);
  c.tls = read_client_tls(cfg, errors);
  return c;
}

}  // namespace nebula::transport::http

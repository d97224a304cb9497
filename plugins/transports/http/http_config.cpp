#include "http_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::transport::http {

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  reject_unknown_listener_keys(cfg, {"path", "body_limit", "read_timeout_ms"}, errors);
  ServerConfig c;
  read_listener_settings(cfg, c, errors);
  c.path = config::text(cfg, "path", c.path, &errors);
  if (c.path.empty() || c.path.front() != '/' || c.path.find('?') != std::string::npos)
    errors.add("/path", "must start with '/' and carry no query string");
  c.body_limit = config::whole_number(cfg, "body_limit", c.body_limit, 1, uint64_t{1} << 30, &errors);
  c.read_timeout_ms = config::whole_number(cfg, "read_timeout_ms", c.read_timeout_ms, 10, 3'600'000, &errors);
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  reject_unknown_client_keys(cfg, {"read_timeout_ms"}, errors);
  ClientConfig c;
  read_client_settings(cfg, c, errors);
  c.read_timeout_ms = config::whole_number(cfg, "read_timeout_ms", c.read_timeout_ms, 1, 3'600'000, &errors);
  return c;
}

}  // namespace nebula::transport::http

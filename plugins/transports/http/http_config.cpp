#include "http_config.hpp"

#include <cmath>

#include <nebula/config_helpers.hpp>

namespace nebula::transport::http {
namespace {

// Like config::number, but refuses fractions: ports and byte counts are whole.
uint64_t integer(const nlohmann::json& cfg, const char* key, uint64_t def, uint64_t lo, uint64_t hi,
                 ConfigErrors& errors) {
  if (!cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>()) {
    errors.add(std::string("/") + key, "must be a whole number");
    return def;
  }
  double d = v.get<double>();
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    errors.add(std::string("/") + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                           ", got " + v.dump());
    return def;
  }
  return static_cast<uint64_t>(d);
}

}  // namespace

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg,
                              {"address", "port", "path", "io_threads", "submit_threads", "body_limit",
                               "idle_timeout_ms", "read_timeout_ms", "drain_timeout_ms", "tokens_file"},
                              errors);
  ServerConfig c;
  c.address = config::text(cfg, "address", c.address, &errors);
  if (c.address.empty()) errors.add("/address", "must not be empty");
  c.port = static_cast<uint16_t>(integer(cfg, "port", c.port, 0, 65535, errors));
  c.path = config::text(cfg, "path", c.path, &errors);
  if (c.path.empty() || c.path.front() != '/' || c.path.find('?') != std::string::npos)
    errors.add("/path", "must start with '/' and carry no query string");
  c.io_threads = static_cast<unsigned>(integer(cfg, "io_threads", c.io_threads, 1, 64, errors));
  c.submit_threads = static_cast<unsigned>(integer(cfg, "submit_threads", c.submit_threads, 1, 64, errors));
  c.body_limit = integer(cfg, "body_limit", c.body_limit, 1, uint64_t{1} << 30, errors);
  c.idle_timeout_ms = static_cast<uint32_t>(integer(cfg, "idle_timeout_ms", c.idle_timeout_ms, 10, 3'600'000, errors));
  c.read_timeout_ms = static_cast<uint32_t>(integer(cfg, "read_timeout_ms", c.read_timeout_ms, 10, 3'600'000, errors));
  c.drain_timeout_ms =
      static_cast<uint32_t>(integer(cfg, "drain_timeout_ms", c.drain_timeout_ms, 0, 600'000, errors));
  c.tokens_file = config::text(cfg, "tokens_file", "", &errors);
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"connect_timeout_ms", "read_timeout_ms", "token", "node_id"}, errors);
  ClientConfig c;
  c.connect_timeout_ms =
      static_cast<uint32_t>(integer(cfg, "connect_timeout_ms", c.connect_timeout_ms, 1, 600'000, errors));
  c.read_timeout_ms = static_cast<uint32_t>(integer(cfg, "read_timeout_ms", c.read_timeout_ms, 1, 3'600'000, errors));
  c.token = config::text(cfg, "token", "", &errors);
  c.node_id = config::text(cfg, "node_id", "", &errors);
  return c;
}

}  // namespace nebula::transport::http

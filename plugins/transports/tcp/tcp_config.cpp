#include "tcp_config.hpp"

#include <cmath>

#include <nebula/config_helpers.hpp>

namespace nebula::transport::tcp {
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
                              {"address", "port", "io_threads", "submit_threads", "max_line_bytes", "max_batch_bytes",
                               "idle_timeout_ms", "default_retry_ms", "drain_timeout_ms"},
                              errors);
  ServerConfig c;
  c.address = config::text(cfg, "address", c.address, &errors);
  if (c.address.empty()) errors.add("/address", "must not be empty");
  c.port = static_cast<uint16_t>(integer(cfg, "port", c.port, 0, 65535, errors));
  c.io_threads = static_cast<unsigned>(integer(cfg, "io_threads", c.io_threads, 1, 64, errors));
  c.submit_threads = static_cast<unsigned>(integer(cfg, "submit_threads", c.submit_threads, 1, 64, errors));
  c.max_line_bytes = integer(cfg, "max_line_bytes", c.max_line_bytes, 64, uint64_t{1} << 30, errors);
  c.max_batch_bytes = integer(cfg, "max_batch_bytes", c.max_batch_bytes, 64, uint64_t{1} << 32, errors);
  if (c.max_batch_bytes < c.max_line_bytes)
    errors.add("/max_batch_bytes", "must be at least max_line_bytes (" + std::to_string(c.max_line_bytes) + ")");
  c.idle_timeout_ms = static_cast<uint32_t>(integer(cfg, "idle_timeout_ms", c.idle_timeout_ms, 10, 3'600'000, errors));
  c.default_retry_ms = static_cast<uint32_t>(integer(cfg, "default_retry_ms", c.default_retry_ms, 1, 600'000, errors));
  c.drain_timeout_ms = static_cast<uint32_t>(integer(cfg, "drain_timeout_ms", c.drain_timeout_ms, 0, 600'000, errors));
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"connect_timeout_ms", "ack_timeout_ms"}, errors);
  ClientConfig c;
  c.connect_timeout_ms =
      static_cast<uint32_t>(integer(cfg, "connect_timeout_ms", c.connect_timeout_ms, 1, 600'000, errors));
  c.ack_timeout_ms = static_cast<uint32_t>(integer(cfg, "ack_timeout_ms", c.ack_timeout_ms, 1, 3'600'000, errors));
  return c;
}

}  // namespace nebula::transport::tcp

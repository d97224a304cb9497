#include "redis_client_config.hpp"

#include <nebula/config_helpers.hpp>

#include "config_integer.hpp"

namespace nebula::redis {

using transport::whole_number;

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(
      cfg, {"stream", "shards", "max_length", "connect_timeout_ms", "command_timeout_ms", "password"}, errors);
  ClientConfig c;
  c.stream = config::text(cfg, "stream", c.stream, &errors);
  if (c.stream.empty()) errors.add("/stream", "must not be empty");
  c.shards = static_cast<uint32_t>(whole_number(cfg, "shards", c.shards, 1, 1024, errors));
  c.max_length = whole_number(cfg, "max_length", c.max_length, 1, 1'000'000'000, errors);
  c.connect_timeout_ms =
      static_cast<uint32_t>(whole_number(cfg, "connect_timeout_ms", c.connect_timeout_ms, 1, 600'000, errors));
  c.command_timeout_ms =
      static_cast<uint32_t>(whole_number(cfg, "command_timeout_ms", c.command_timeout_ms, 1, 3'600'000, errors));
  c.password = config::text(cfg, "password", "", &errors);
  return c;
}

}  // namespace nebula::redis

#include "redis_client_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::redis {

using config::whole_number;

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(
      cfg, {"stream", "shards", "max_length", "connect_timeout_ms", "command_timeout_ms", "password"}, errors);
  StreamSettings s = read_stream_settings(cfg, errors);
  ClientConfig c;
  c.stream = std::move(s.stream);
  c.shards = s.shards;
  c.max_length = whole_number(cfg, "max_length", c.max_length, 1, 1'000'000'000, &errors);
  c.connect_timeout_ms = s.connect_timeout_ms;
  c.command_timeout_ms = s.command_timeout_ms;
  // A password here and one in the endpoint URL is rejected when the client is made.
  c.password = std::move(s.password);
  return c;
}

}  // namespace nebula::redis

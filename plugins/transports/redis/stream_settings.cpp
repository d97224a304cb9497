#include "stream_settings.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::redis {

using config::whole_number;

StreamSettings read_stream_settings(const nlohmann::json& cfg, ConfigErrors& errors) {
  StreamSettings s;
  // Any text (an origin "<key> <id>" is split at its last space).
  s.stream = config::text(cfg, "stream", s.stream, &errors);
  if (s.stream.empty()) errors.add("/stream", "must not be empty");
  s.shards = static_cast<uint32_t>(whole_number(cfg, "shards", s.shards, 1, 1024, &errors));
  s.connect_timeout_ms =
      static_cast<uint32_t>(whole_number(cfg, "connect_timeout_ms", s.connect_timeout_ms, 1, 600'000, &errors));
  s.command_timeout_ms =
      static_cast<uint32_t>(whole_number(cfg, "command_timeout_ms", s.command_timeout_ms, 1, 3'600'000, &errors));
  s.password = config::text(cfg, "password", "", &errors);
  return s;
}

}  // namespace nebula::redis

#include "redis_server_config.hpp"

#include <unistd.h>

#include <climits>
#include <stdexcept>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "shard.hpp"

namespace nebula::redis {
namespace {

// The consumer name becomes part of a key (taken:<consumer>) and of log
// lines; group names are quoted in them too: printable, no spaces.
void check_name(const std::string& value, const char* key, ConfigErrors& errors) {
  if (value.empty()) {
    errors.add(std::string("/") + key, "must not be empty");
    return;
  }
  if (value.size() > 200) errors.add(std::string("/") + key, "must be at most 200 characters");
  for (unsigned char c : value)
    if (c <= ' ' || c == 0x7f) {
      errors.add(std::string("/") + key, "must not contain spaces or control characters");
      return;
    }
}

}  // namespace

std::string ServerConfig::shard_key(size_t shard) const { return stream_key(stream, shard); }

std::string default_consumer_name() {
  char name[HOST_NAME_MAX + 1] = {0};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "nebula-pool";
  return name;
}

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(
      cfg,
      {"url", "stream", "shards", "group", "consumer", "claim_idle_ms", "max_deliveries", "read_count", "block_ms",
       "heartbeat_ms", "member_timeout_ms", "trim_interval_ms", "connect_timeout_ms", "command_timeout_ms", "password"},
      errors);
  ServerConfig c;
  try {
    c.endpoint = parse_endpoint(config::text(cfg, "url", "redis://127.0.0.1:6379", &errors));
  } catch (const std::invalid_argument& e) {
    errors.add("/url", e.what());
  }
  StreamSettings s = read_stream_settings(cfg, errors);
  // Unlike the client side (which rejects a password given both here and in
  // the url), `password` wins over one in the url.
  if (!s.password.empty()) c.endpoint.password = std::move(s.password);
  c.endpoint.connect_timeout = std::chrono::milliseconds(s.connect_timeout_ms);
  c.endpoint.command_timeout = std::chrono::milliseconds(s.command_timeout_ms);
  c.stream = std::move(s.stream);
  c.shards = s.shards;
  c.group = config::text(cfg, "group", c.group, &errors);
  check_name(c.group, "group", errors);
  c.consumer = config::text(cfg, "consumer", default_consumer_name(), &errors);
  check_name(c.consumer, "consumer", errors);

  c.claim_idle_ms = config::whole_number(cfg, "claim_idle_ms", c.claim_idle_ms, 10, 86'400'000, &errors);
  c.max_deliveries = config::whole_number(cfg, "max_deliveries", c.max_deliveries, 1, 1'000'000, &errors);
  // Bounded so one claim (XCLAIM of every listed id) stays a small Lua call.
  c.read_count = config::whole_number(cfg, "read_count", c.read_count, 1, 1'000, &errors);
  c.block_ms = config::whole_number(cfg, "block_ms", c.block_ms, 1, 60'000, &errors);
  c.heartbeat_ms = config::whole_number(cfg, "heartbeat_ms", c.heartbeat_ms, 10, 600'000, &errors);
  c.member_timeout_ms = config::whole_number(cfg, "member_timeout_ms", c.member_timeout_ms, 20, 3'600'000, &errors);
  c.trim_interval_ms = config::whole_number(cfg, "trim_interval_ms", c.trim_interval_ms, 10, 3'600'000, &errors);

  // One missed heartbeat must not make a live host look dead.
  if (c.member_timeout_ms < 2 * c.heartbeat_ms)
    errors.add("/member_timeout_ms", "must be at least twice heartbeat_ms (" + std::to_string(c.heartbeat_ms) + ")");
  return c;
}

}  // namespace nebula::redis

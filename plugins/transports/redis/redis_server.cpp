#include "redis_server.hpp"

#include <charconv>

#include "redis_scripts.hpp"

namespace nebula::redis {

RedisServer::RedisServer(Host host, ServerConfig cfg)
    : host_(std::move(host)),
      cfg_(std::move(cfg)),
      status_(host_, cfg_.endpoint.text()),
      heartbeat_(host_, cfg_, status_),
      reader_(host_, cfg_, status_),
      control_(cfg_.endpoint) {}

void RedisServer::start() {
  std::lock_guard lock(mu_);
  if (running_) return;
  {
    std::lock_guard control(control_mu_);
    control_.close();
  }
  status_.up("replay");  // replay is over, whatever confirm_replay last saw
  heartbeat_.start();
  reader_.start();
  running_ = true;
  host_.info("redis transport reading " + cfg_.stream + ":0.." + std::to_string(cfg_.shards - 1) + " on " +
             cfg_.endpoint.text() + " as consumer '" + cfg_.consumer + "' of group '" + cfg_.group + "'");
}

void RedisServer::stop() {
  std::lock_guard lock(mu_);
  if (!running_) return;
  reader_.stop();
  heartbeat_.stop();
  running_ = false;
}

nlohmann::json RedisServer::describe() const {
  const bool running = running_;
  return {{"url", cfg_.endpoint.text()},
          {"stream", cfg_.stream},
          {"shards", cfg_.shards},
          {"group", cfg_.group},
          {"consumer", cfg_.consumer},
          {"owned_shards", status_.owned()},
          {"members", status_.member_count()},
          {"connected", running && status_.connected()},
          {"running", running}};
}

bool RedisServer::is_shard_key(const std::string& key) const {
  const std::string prefix = cfg_.stream + ":";
  if (key.rfind(prefix, 0) != 0) return false;
  const char* first = key.data() + prefix.size();
  const char* last = key.data() + key.size();
  uint32_t shard = 0;
  auto [end, ec] = std::from_chars(first, last, shard);
  return first != last && ec == std::errc() && end == last && shard < cfg_.shards;
}

nebula_status RedisServer::confirm_replay(const std::string& origin) {
  const auto space = origin.rfind(' ');
  const std::string key = space == std::string::npos ? "" : origin.substr(0, space);
  if (!is_shard_key(key)) {
    // Not an entry of this configuration's streams: nothing to ask Redis;
    // keeping it can at worst process it twice, dropping it could lose it.
    host_.warn("redis: replayed origin '" + origin + "' is not an entry of " + cfg_.stream + "; kept");
    return NEBULA_OK;
  }
  const std::string id = origin.substr(space + 1);
  std::lock_guard lock(control_mu_);
  try {
    const Confirm answer = confirm(control_, cfg_, key, id);
    status_.up("replay");
    switch (answer) {
      case Confirm::kTaken:
      case Confirm::kOtherOwner:
        host_.count("replays_dropped");
        host_.info("redis: " + origin + " was claimed by another consumer; its logged copy is dropped");
        return NEBULA_NOT_FOUND;
      case Confirm::kAcked:
        host_.count("entries_acked");
        return NEBULA_OK;
      case Confirm::kSettled:
        return NEBULA_OK;
    }
    return NEBULA_OK;
  } catch (const ConnectionError& e) {
    status_.down("replay", e.what());
    return NEBULA_RETRY;
  } catch (const std::exception& e) {
    host_.error("redis: cannot confirm " + origin + ": " + e.what() + "; kept");
    return NEBULA_OK;
  }
}

}  // namespace nebula::redis

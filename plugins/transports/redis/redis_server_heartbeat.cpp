#include "redis_server_heartbeat.hpp"

#include "redis_connection.hpp"
#include "redis_scripts.hpp"
#include "redis_server_wait.hpp"

namespace nebula::redis {

Heartbeat::Heartbeat(Host host, const ServerConfig& cfg, ServerStatus& status)
    : host_(std::move(host)), cfg_(cfg), status_(status) {}

void Heartbeat::start() {
  if (!thread_.joinable()) thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Heartbeat::stop() {
  if (!thread_.joinable()) return;
  thread_ = {};  // a jthread's move-assignment requests stop and joins
  status_.forget_members();
}

void Heartbeat::run(std::stop_token stop) {
  Connection conn(cfg_.endpoint);
  Backoff backoff(kReconnectFirst, kReconnectMax);
  while (!stop.stop_requested()) {
    auto wait = std::chrono::milliseconds(cfg_.heartbeat_ms);
    try {
      status_.set_members(heartbeat(conn, cfg_));
      status_.up("membership");
      backoff.reset();
    } catch (const ConnectionError& e) {
      status_.down("membership", e.what());
      wait = backoff.next();
    } catch (const std::exception& e) {  // an error reply: never let it end the thread
      host_.warn(std::string("redis membership heartbeat failed: ") + e.what());
      wait = backoff.next();
    }
    pause_for(stop, wait);
  }
  try {
    conn.command({"ZREM", cfg_.members_key(), cfg_.consumer});
  } catch (const std::exception&) {
    // Unreachable: the others drop this host after member_timeout_ms anyway.
  }
}

}  // namespace nebula::redis

// Tells systemd how the pool is doing (Type=notify in nebula-pool.service):
// READY=1 once the pipeline has started, STOPPING=1 when it starts to drain,
// WATCHDOG=1 while it is healthy. The sd_notify(3) protocol is one datagram
// per message on the unix socket named by $NOTIFY_SOCKET, so it is written
// here instead of linking libsystemd. Without $NOTIFY_SOCKET (not started by
// systemd) every call does nothing.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace nebula::host {

class SystemdNotifier {
 public:
  // Reads $NOTIFY_SOCKET ("/path" or "@abstract") and removes it from the
  // environment, so no child process takes the pool's place in systemd's eyes.
  static SystemdNotifier from_environment();
  SystemdNotifier() = default;
  ~SystemdNotifier();
  SystemdNotifier(SystemdNotifier&& other) noexcept;
  SystemdNotifier& operator=(SystemdNotifier&&) = delete;
  SystemdNotifier(const SystemdNotifier&) = delete;

  bool active() const { return fd_ >= 0; }
  // Sends newline-separated assignments ("READY=1\nSTATUS=…"); false when
  // inactive or the datagram could not be sent (systemd gone: not fatal).
  bool send(std::string_view state) const;

 private:
  int fd_ = -1;
  sockaddr_un address_{};
  socklen_t address_size_ = 0;
};

// $WATCHDOG_USEC when the watchdog is on and meant for this process
// ($WATCHDOG_PID unset or ours); nullopt otherwise. Also removes both.
std::optional<std::chrono::microseconds> watchdog_timeout_from_environment();

// Thread tags: the pinger runs on its own thread; construction and
// destruction happen on the caller's.
// Sends WATCHDOG=1 every timeout/2, but only while `why_unhealthy()` says
// nothing ("" = healthy): a pool that stops being healthy stops pinging, and
// systemd restarts it after the timeout. Stops (and joins) on destruction.
class WatchdogPinger {
 public:
  WatchdogPinger(const SystemdNotifier& notifier, std::chrono::microseconds timeout,
                 std::function<std::string()> why_unhealthy);
  ~WatchdogPinger();
  WatchdogPinger(const WatchdogPinger&) = delete;
  WatchdogPinger& operator=(const WatchdogPinger&) = delete;

 private:
  void run(std::chrono::microseconds interval);

  const SystemdNotifier& notifier_;
  std::function<std::string()> why_unhealthy_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::string last_reason_;  // pinger thread only: log each change once
  std::thread thread_;
};

}  // namespace nebula::host

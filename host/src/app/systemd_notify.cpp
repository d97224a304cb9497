#include "app/systemd_notify.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace nebula::host {

SystemdNotifier SystemdNotifier::from_environment() {
  SystemdNotifier n;
  const char* env = std::getenv("NOTIFY_SOCKET");
  const std::string path = env ? env : "";
  ::unsetenv("NOTIFY_SOCKET");
  if (path.empty()) return n;
  if ((path[0] != '/' && path[0] != '@') || path.size() >= sizeof(n.address_.sun_path)) {
    spdlog::warn("NOTIFY_SOCKET '{}' is not a unix socket path; not notifying systemd", path);
    return n;
  }
  n.address_.sun_family = AF_UNIX;
  std::memcpy(n.address_.sun_path, path.data(), path.size());
  if (path[0] == '@') n.address_.sun_path[0] = '\0';  // Linux abstract namespace
  // An abstract name is exactly its bytes; a path is NUL-terminated.
  n.address_size_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + (path[0] == '/' ? 1 : 0));
  n.fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (n.fd_ < 0) spdlog::warn("cannot open a socket to notify systemd: {}", std::strerror(errno));
  return n;
}

SystemdNotifier::SystemdNotifier(SystemdNotifier&& other) noexcept
    : fd_(other.fd_), address_(other.address_), address_size_(other.address_size_) {
  other.fd_ = -1;
}

SystemdNotifier::~SystemdNotifier() {
  if (fd_ >= 0) ::close(fd_);
}

bool SystemdNotifier::send(std::string_view state) const {
  if (fd_ < 0) return false;
  const ssize_t sent = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address_), address_size_);
  if (sent == static_cast<ssize_t>(state.size())) return true;
  spdlog::warn("notifying systemd ({}) failed: {}", state, sent < 0 ? std::strerror(errno) : "short write");
  return false;
}

std::optional<std::chrono::microseconds> watchdog_timeout_from_environment() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  const char* pid = std::getenv("WATCHDOG_PID");
  const std::string usec_text = usec ? usec : "", pid_text = pid ? pid : "";
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  if (usec_text.empty()) return std::nullopt;
  char* end = nullptr;
  if (!pid_text.empty() && std::strtoll(pid_text.c_str(), &end, 10) != ::getpid()) return std::nullopt;
  errno = 0;
  const unsigned long long value = std::strtoull(usec_text.c_str(), &end, 10);
  if (errno || *end != '\0' || value == 0) {
    spdlog::warn("WATCHDOG_USEC '{}' is not a positive number of microseconds; no watchdog pings", usec_text);
    return std::nullopt;
  }
  return std::chrono::microseconds(value);
}

WatchdogPinger::WatchdogPinger(const SystemdNotifier& notifier, std::chrono::microseconds timeout,
                               std::function<std::string()> why_unhealthy)
    : notifier_(notifier), why_unhealthy_(std::move(why_unhealthy)), thread_([this, timeout] { run(timeout / 2); }) {}

WatchdogPinger::~WatchdogPinger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WatchdogPinger::run(std::chrono::microseconds interval) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const std::string reason = why_unhealthy_();
    if (reason.empty()) notifier_.send("WATCHDOG=1");
    if (reason != last_reason_) {
      if (reason.empty()) spdlog::info("the pool is healthy again; watchdog pings resume");
      else spdlog::error("the pool is not healthy ({}); watchdog pings stop until it is", reason);
    }
    last_reason_ = reason;
    lock.lock();
    cv_.wait_for(lock, interval, [&] { return stopping_; });
  }
}

}  // namespace nebula::host

// The systemd side of sd_notify(3) for tests: a unix datagram socket the
// test owns (its path goes into the pool's NOTIFY_SOCKET) and a thread that
// records every message with the time it arrived.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace nebula_test {

class NotifySocket {
 public:
  struct Message {
    std::chrono::steady_clock::time_point at;
    std::string text;  // "READY=1\nSTATUS=…"
  };

  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd_ < 0 || path_.string().size() >= sizeof addr.sun_path) throw std::runtime_error("notify socket");
    std::strcpy(addr.sun_path, path_.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind " + path_.string() + ": " + std::strerror(errno));
    timeval tv{0, 50'000};  // lets the reader notice stop()
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    reader_ = std::thread([this] { read_loop(); });
  }
  ~NotifySocket() {
    stop_ = true;
    reader_.join();
    ::close(fd_);
    std::filesystem::remove(path_);
  }

  const std::filesystem::path& path() const { return path_; }

  std::vector<Message> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  // Messages that contain `assignment` as one of their lines.
  std::vector<Message> with(const std::string& assignment) const {
    std::vector<Message> out;
    for (const auto& m : messages())
      if (("\n" + m.text + "\n").find("\n" + assignment + "\n") != std::string::npos) out.push_back(m);
    return out;
  }

 private:
  void read_loop() {
    char buf[4096];
    while (!stop_) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) continue;
      std::lock_guard lock(mu_);
      messages_.push_back({std::chrono::steady_clock::now(), std::string(buf, static_cast<size_t>(n))});
    }
  }

  std::filesystem::path path_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Message> messages_;
  std::thread reader_;
};

}  // namespace nebula_test

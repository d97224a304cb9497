// What the server side's threads share: whether Redis is reachable (reported
// to the host as readiness), the live members the heartbeat last saw, and the
// shards the reader owns (for describe() and the gauges).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nebula/host.hpp>

namespace nebula::redis {

class ServerStatus {
 public:
  using Clock = std::chrono::steady_clock;

  ServerStatus(Host host, std::string endpoint_text);

  // A thread (`part`: "reader", "membership", ...) lost Redis / has it again.
  // The host hears "redis <endpoint> unreachable: <why>" while any part is down.
  void down(const std::string& part, const std::string& why);
  void up(const std::string& part);
  bool connected() const;

  // The heartbeat's view of the live members, stamped when it was read.
  void set_members(std::vector<std::string> members);
  // The members if the view is younger than max_age: an older view may be
  // wrong (the others may have dropped this host and taken its shards).
  std::optional<std::vector<std::string>> fresh_members(std::chrono::milliseconds max_age) const;
  void forget_members();

  void set_owned(const std::vector<size_t>& shards);
  std::vector<size_t> owned() const;
  size_t member_count() const;

 private:
  void report_locked();

  Host host_;
  std::string endpoint_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> down_;  // part -> why
  bool reported_ready_ = true;               // instances start ready
  std::string reported_reason_;
  std::vector<std::string> members_;
  std::optional<Clock::time_point> members_at_;
  std::vector<size_t> owned_;
};

}  // namespace nebula::redis

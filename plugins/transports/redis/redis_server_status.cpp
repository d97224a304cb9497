#include "redis_server_status.hpp"

namespace nebula::redis {

ServerStatus::ServerStatus(Host host, std::string endpoint_text)
    : host_(std::move(host)), endpoint_(std::move(endpoint_text)) {}

void ServerStatus::down(const std::string& part, const std::string& why) {
  // Connection errors start with "<endpoint>: " (ConnectionError), and the
  // reason names the endpoint already: "redis <endpoint> unreachable: <why>".
  const std::string prefix = endpoint_ + ": ";
  std::lock_guard lock(mu_);
  down_[part] = why.rfind(prefix, 0) == 0 ? why.substr(prefix.size()) : why;
  report_locked();
}

void ServerStatus::up(const std::string& part) {
  std::lock_guard lock(mu_);
  down_.erase(part);
  report_locked();
}

bool ServerStatus::connected() const {
  std::lock_guard lock(mu_);
  return down_.empty();
}

// Tells the host only about a change, so a retry loop does not flood its log.
void ServerStatus::report_locked() {
  const bool ready = down_.empty();
  host_.gauge("connected", ready ? 1 : 0);
  const std::string reason = ready ? "" : "redis " + endpoint_ + " unreachable: " + down_.begin()->second;
  if (ready == reported_ready_ && reason == reported_reason_) return;
  if (ready != reported_ready_) host_.warn(ready ? "redis " + endpoint_ + " reachable again" : reason);
  reported_ready_ = ready;
  reported_reason_ = reason;
  host_.set_ready(ready, reason);
}

void ServerStatus::set_members(std::vector<std::string> members) {
  std::lock_guard lock(mu_);
  members_ = std::move(members);
  members_at_ = Clock::now();
  host_.gauge("members", static_cast<double>(members_.size()));
}

std::optional<std::vector<std::string>> ServerStatus::fresh_members(std::chrono::milliseconds max_age) const {
  std::lock_guard lock(mu_);
  if (!members_at_ || Clock::now() - *members_at_ > max_age) return std::nullopt;
  return members_;
}

void ServerStatus::forget_members() {
  std::lock_guard lock(mu_);
  members_.clear();
  members_at_.reset();
}

void ServerStatus::set_owned(const std::vector<size_t>& shards) {
  std::lock_guard lock(mu_);
  owned_ = shards;
  host_.gauge("owned_shards", static_cast<double>(owned_.size()));
}

std::vector<size_t> ServerStatus::owned() const {
  std::lock_guard lock(mu_);
  return owned_;
}

size_t ServerStatus::member_count() const {
  std::lock_guard lock(mu_);
  return members_.size();
}

}  // namespace nebula::redis

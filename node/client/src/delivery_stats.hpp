// Counters the delivery workers share, read by nebula_node_stats().
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace nebula::node {

class DeliveryStats {
 public:
  std::atomic<std::uint64_t> attempts{0};   // deliver() calls
  std::atomic<std::uint64_t> batches{0};    // batches settled
  std::atomic<std::uint64_t> retries{0};    // attempts that must be repeated
  std::atomic<std::uint64_t> failovers{0};  // switches to another endpoint

  void set_error(std::string message) {
    std::lock_guard lock(mu_);
    last_error_ = std::move(message);
  }
  void set_endpoint(const std::string& endpoint) {
    std::lock_guard lock(mu_);
    if (endpoint_ != endpoint) endpoint_ = endpoint;
  }
  std::string last_error() const {
    std::lock_guard lock(mu_);
    return last_error_;
  }
  std::string endpoint() const {
    std::lock_guard lock(mu_);
    return endpoint_;
  }

 private:
  mutable std::mutex mu_;
  std::string last_error_;
  std::string endpoint_;  // where the latest batch was accepted
};

}  // namespace nebula::node

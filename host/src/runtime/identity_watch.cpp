#include "runtime/identity_watch.hpp"

namespace nebula::host {

std::optional<std::string> IdentityWatch::observe(const std::string& node_id,
                                                  std::optional<int64_t> transaction_count) {
  if (!transaction_count) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = last_count_.find(node_id);
  if (it == last_count_.end()) {
    if (last_count_.size() >= max_) {
      ++unwatched_;
      return std::nullopt;
    }
    last_count_.emplace(node_id, *transaction_count);
    return std::nullopt;
  }
  const int64_t before = it->second;
  it->second = *transaction_count;
  if (*transaction_count >= before) return std::nullopt;
  return "transactions_seen went back from " + std::to_string(before) + " to " + std::to_string(*transaction_count) +
         " under the derived identity " + node_id +
         ": several nodes share this address, chain and type (or the node restarted); give each a node_id";
}

uint64_t IdentityWatch::unwatched() const {
  std::lock_guard lock(mu_);
  return unwatched_;
}

}  // namespace nebula::host

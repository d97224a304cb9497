#include "ethstats_context.hpp"

namespace nebula::transport::ethstats {

void SessionRegistry::add(SessionHandle* s, std::weak_ptr<SessionHandle> w) {
  std::lock_guard lock(mu_);
  live_[s] = std::move(w);
}

void SessionRegistry::remove(SessionHandle* s) {
  std::lock_guard lock(mu_);
  live_.erase(s);
  if (live_.empty()) empty_.notify_all();
}

std::vector<std::shared_ptr<SessionHandle>> SessionRegistry::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<SessionHandle>> out;
  for (const auto& [_, w] : live_)
    if (auto s = w.lock()) out.push_back(std::move(s));
  return out;
}

bool SessionRegistry::wait_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return empty_.wait_for(lock, timeout, [&] { return live_.empty(); });
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

std::shared_ptr<SessionHandle> SessionRegistry::claim_node(const std::string& node, std::weak_ptr<SessionHandle> s) {
  std::lock_guard lock(mu_);
  auto& owner = owners_[node];
  auto previous = owner.lock();
  owner = std::move(s);
  return previous;
}

void SessionRegistry::release_node(const std::string& node, const SessionHandle* s) {
  std::lock_guard lock(mu_);
  auto it = owners_.find(node);
  if (it == owners_.end()) return;
  auto current = it->second.lock();
  if (!current || current.get() == s) owners_.erase(it);
}

size_t SessionRegistry::nodes() const {
  std::lock_guard lock(mu_);
  return owners_.size();
}

}  // namespace nebula::transport::ethstats

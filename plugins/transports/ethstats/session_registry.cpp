#include "ethstats_context.hpp"

namespace nebula::transport::ethstats {

std::shared_ptr<SessionHandle> SessionRegistry::claim_node(const std::string& node, std::weak_ptr<SessionHandle> s) {
  std::lock_guard lock(owners_mu_);
  auto& owner = owners_[node];
  auto previous = owner.lock();
  owner = std::move(s);
  return previous;
}

void SessionRegistry::release_node(const std::string& node, const SessionHandle* s) {
  std::lock_guard lock(owners_mu_);
  auto it = owners_.find(node);
  if (it == owners_.end()) return;
  auto current = it->second.lock();
  if (!current || current.get() == s) owners_.erase(it);
}

size_t SessionRegistry::nodes() const {
  std::lock_guard lock(owners_mu_);
  return owners_.size();
}

}  // namespace nebula::transport::ethstats

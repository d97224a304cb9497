#include "http/session_registry.hpp"

#include <vector>

#include "http/http_session.hpp"

namespace nebula::http::detail {

bool SessionRegistry::add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock(mu_);
  if (closing_) return false;
  sessions_[session.get()] = session;
  return true;
}

void SessionRegistry::remove(const HttpSession* session) {
  std::lock_guard lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) emptied_.notify_all();
}

void SessionRegistry::close_all() {
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    for (auto& [key, weak] : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  // Outside the lock: dropping the last reference runs ~HttpSession -> remove().
  for (auto& session : open) session->shutdown();
}

bool SessionRegistry::wait_until_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return emptied_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

void SessionRegistry::reopen() {
  std::lock_guard lock(mu_);
  closing_ = false;
}

}  // namespace nebula::http::detail

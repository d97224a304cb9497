#include "connection_limiter.hpp"

namespace nebula::transport {

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
    client_ = std::move(other.client_);
  }
  return *this;
}

void ConnectionLimiter::Slot::release() {
  if (!owner_) return;
  {
    std::lock_guard lock(owner_->mu_);
    auto it = owner_->open_.find(client_);
    if (it != owner_->open_.end() && --it->second == 0) owner_->open_.erase(it);
  }
  owner_.reset();
}

ConnectionLimiter::Slot ConnectionLimiter::acquire(const std::string& client) {
  std::lock_guard lock(mu_);
  size_t& n = open_[client];
  if (n >= per_client_) return {};
  ++n;
  return Slot(shared_from_this(), client);
}

size_t ConnectionLimiter::open(const std::string& client) const {
  std::lock_guard lock(mu_);
  auto it = open_.find(client);
  return it == open_.end() ? 0 : it->second;
}

std::string client_address(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto address = socket.remote_endpoint(ec).address();
  if (ec) return {};
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

}  // namespace nebula::transport

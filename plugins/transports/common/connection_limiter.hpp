// Caps the connections one client IP address may hold open at once
// (`max_connections_per_client`), so one sender — or a connection leak in
// one — cannot take every socket and thread of a transport server.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace nebula::transport {

class ConnectionLimiter : public std::enable_shared_from_this<ConnectionLimiter> {
 public:
  // Held by a connection for its lifetime; gives the place back when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept = default;
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { release(); }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class ConnectionLimiter;
    Slot(std::shared_ptr<ConnectionLimiter> owner, std::string client)
        : owner_(std::move(owner)), client_(std::move(client)) {}
    void release();
    std::shared_ptr<ConnectionLimiter> owner_;
    std::string client_;
  };

  explicit ConnectionLimiter(size_t per_client) : per_client_(per_client) {}

  // [thread-safe] A slot for `client`, or an empty one when it already holds
  // the maximum. Create the limiter with make_shared.
  Slot acquire(const std::string& client);
  size_t open(const std::string& client) const;
  size_t limit() const { return per_client_; }

 private:
  const size_t per_client_;
  mutable std::mutex mu_;
  std::map<std::string, size_t> open_;  // only clients with at least one connection
};

// The peer's IP address as the limiter counts it ("" when unknown); an
// IPv4-mapped IPv6 address counts as the IPv4 one.
std::string client_address(const boost::asio::ip::tcp::socket& socket);

}  // namespace nebula::transport

// GET requests to the pool's admin API over one kept-alive connection
// (reconnecting when the server closes it).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "socket.hpp"

namespace nebula::bench {

class AdminClient {
 public:
  explicit AdminClient(uint16_t port) : port_(port) {}
  // The body of GET path; throws std::runtime_error on a non-200 answer.
  std::string get(const std::string& path);
  // /api/v1/pool/stats → pool.<field> (records_accepted, records_processed, ...).
  uint64_t pool_counter(const std::string& field);

 private:
  bool try_get(const std::string& path, std::string& body);

  uint16_t port_;
  std::unique_ptr<Socket> socket_;
};

}  // namespace nebula::bench

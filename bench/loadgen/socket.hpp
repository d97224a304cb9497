// Blocking TCP client socket with a line reader: all the load generator
// needs to speak the TCP transport's line protocol and plain HTTP/1.1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nebula::bench {

class Socket {
 public:
  // Connects to 127.0.0.1:port (TCP_NODELAY); throws std::runtime_error.
  explicit Socket(uint16_t port);
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  void write_all(std::string_view data);
  // Reads up to and excluding the next '\n'; false on EOF.
  bool read_line(std::string& line);
  // Reads exactly n bytes (after whatever read_line left buffered).
  bool read_exact(size_t n, std::string& out);
  void shutdown_write();

 private:
  bool fill();

  int fd_ = -1;
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace nebula::bench

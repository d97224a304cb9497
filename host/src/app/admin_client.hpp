// A small client of the admin API for the terminal tools (`top`, `tap`):
// one-shot GETs and a server-sent event stream, over plain HTTP to the
// address the operator gives (--url), with the bearer token when set.
// POSIX sockets and poll(), so a reader can wait with a timeout and still
// notice a key press or a signal between events.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace nebula::host {

struct AdminEndpoint {
  std::string host;
  uint16_t port = 7070;
  std::string token;
};

// "http://127.0.0.1:7070" (a trailing '/' is fine); nullopt and `why` otherwise.
std::optional<AdminEndpoint> parse_admin_url(const std::string& url, std::string& why);

struct AdminAnswer {
  int status = 0;      // 0 when there was no answer
  std::string body;
  std::string error;   // why there was no answer (connect refused, timeout, ...)
};

AdminAnswer admin_get(const AdminEndpoint& endpoint, const std::string& target, std::chrono::milliseconds timeout);

struct ServerEvent {
  std::string event;  // "message" when the server named none
  std::string data;
};

class EventStreamReader {
 public:
  EventStreamReader() = default;
  ~EventStreamReader();
  EventStreamReader(const EventStreamReader&) = delete;
  EventStreamReader& operator=(const EventStreamReader&) = delete;

  // Connects and reads the answer's head. On a refusal (not 200) the answer
  // is in `refused` (status and body) and false is returned.
  bool open(const AdminEndpoint& endpoint, const std::string& target, AdminAnswer& refused);

  enum class Next { Event, Timeout, Closed };
  // The next event, waiting at most `timeout`. Comments (keep-alives) are skipped.
  Next next(ServerEvent& out, std::chrono::milliseconds timeout);

 private:
  bool take_buffered(ServerEvent& out);

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace nebula::host

#include "app/admin_client.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace nebula::host {
namespace {

using Clock = std::chrono::steady_clock;

int connect_to(const AdminEndpoint& endpoint, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = "cannot resolve " + endpoint.host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = "cannot connect to " + endpoint.host + ":" + port + ": " + std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += size_t(n);
  }
  return true;
}

std::string get_request(const AdminEndpoint& endpoint, const std::string& target) {
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: " + endpoint.host + ":" + std::to_string(endpoint.port) +
                    "\r\nAccept: */*\r\nConnection: close\r\n";
  if (!endpoint.token.empty()) req += "Authorization: Bearer " + endpoint.token + "\r\n";
  return req + "\r\n";
}

// Reads what is available into `buffer`, waiting until `deadline`.
// 1 = read something, 0 = timed out, -1 = closed or failed.
int read_some(int fd, std::string& buffer, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, int(std::max<long long>(0, left)));
  if (ready == 0) return 0;
  if (ready < 0) return errno == EINTR ? 0 : -1;
  char chunk[16384];
  const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return -1;
  buffer.append(chunk, size_t(n));
  return 1;
}

int status_of(const std::string& head) {
  const size_t space = head.find(' ');
  return space == std::string::npos ? 0 : std::atoi(head.c_str() + space + 1);
}

std::optional<size_t> content_length(const std::string& head) {
  std::string lower = head;
  for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  const size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  return size_t(std::strtoull(head.c_str() + at + 17, nullptr, 10));
}

// Reads the head; false on timeout or close. `rest` keeps what follows it.
bool read_head(int fd, Clock::time_point deadline, std::string& head, std::string& rest, std::string& error) {
  std::string buffer;
  for (;;) {
    if (size_t end = buffer.find("\r\n\r\n"); end != std::string::npos) {
      head = buffer.substr(0, end);
      rest = buffer.substr(end + 4);
      return true;
    }
    const int got = read_some(fd, buffer, deadline);
    if (got == 0 && Clock::now() >= deadline) {
      error = "no answer within the timeout";
      return false;
    }
    if (got < 0) {
      error = "the connection closed before an answer";
      return false;
    }
  }
}

}  // namespace

std::optional<AdminEndpoint> parse_admin_url(const std::string& url, std::string& why) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    why = "the admin URL must start with http:// (got '" + url + "'; https is not supported by this tool yet)";
    return std::nullopt;
  }
  std::string rest = url.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) {
    why = "the admin URL is http://host:port, without a path (got '" + url + "')";
    return std::nullopt;
  }
  AdminEndpoint out;
  const size_t colon = rest.rfind(':');
  out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = rest.substr(colon + 1);
    char* end = nullptr;
    const unsigned long n = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || *end || n == 0 || n > 65535) {
      why = "bad port '" + port + "' in '" + url + "'";
      return std::nullopt;
    }
    out.port = uint16_t(n);
  }
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty()) {
    why = "no host in '" + url + "'";
    return std::nullopt;
  }
  return out;
}

AdminAnswer admin_get(const AdminEndpoint& endpoint, const std::string& target, std::chrono::milliseconds timeout) {
  AdminAnswer answer;
  const auto deadline = Clock::now() + timeout;
  const int fd = connect_to(endpoint, answer.error);
  if (fd < 0) return answer;
  std::string head, body;
  if (!send_all(fd, get_request(endpoint, target))) answer.error = "cannot send the request";
  else if (read_head(fd, deadline, head, body, answer.error)) {
    const auto length = content_length(head);
    int got = 1;
    while ((!length || body.size() < *length) && got != -1) {
      got = read_some(fd, body, deadline);
      if (got == 0 && Clock::now() >= deadline) break;
    }
    if (length && body.size() < *length) {
      answer.error = "the answer was cut short";
    } else {
      answer.status = status_of(head);
      answer.body = length ? body.substr(0, *length) : body;
    }
  }
  ::close(fd);
  return answer;
}

EventStreamReader::~EventStreamReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool EventStreamReader::open(const AdminEndpoint& endpoint, const std::string& target, AdminAnswer& refused) {
  fd_ = connect_to(endpoint, refused.error);
  if (fd_ < 0) return false;
  if (!send_all(fd_, get_request(endpoint, target))) {
    refused.error = "cannot send the request";
    return false;
  }
  std::string head;
  if (!read_head(fd_, Clock::now() + std::chrono::seconds(10), head, buffer_, refused.error)) return false;
  refused.status = status_of(head);
  if (refused.status == 200) return true;
  // An error answer: its body says why (Content-Length, then close).
  const auto length = content_length(head);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while ((!length || buffer_.size() < *length) && read_some(fd_, buffer_, deadline) > 0) {
  }
  refused.body = buffer_;
  return false;
}

bool EventStreamReader::take_buffered(ServerEvent& out) {
  for (;;) {
    const size_t end = buffer_.find("\n\n");
    if (end == std::string::npos) return false;
    const std::string block = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    ServerEvent event{"message", ""};
    bool any = false;
    size_t pos = 0;
    while (pos <= block.size()) {
      size_t eol = block.find('\n', pos);
      if (eol == std::string::npos) eol = block.size();
      const std::string line = block.substr(pos, eol - pos);
      pos = eol + 1;
      if (line.empty() || line[0] == ':') continue;  // comment: subscribed, keep-alive
      const size_t colon = line.find(':');
      const std::string field = line.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (field == "event") event.event = value, any = true;
      else if (field == "data") event.data += (event.data.empty() ? "" : "\n") + value, any = true;
    }
    if (any) {
      out = std::move(event);
      return true;
    }
  }
}

EventStreamReader::Next EventStreamReader::next(ServerEvent& out, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (take_buffered(out)) return Next::Event;
    if (fd_ < 0) return Next::Closed;
    const int got = read_some(fd_, buffer_, deadline);
    if (got < 0) return Next::Closed;
    if (got == 0 && Clock::now() >= deadline) return Next::Timeout;
  }
}

}  // namespace nebula::host

// Test transport "nebula.test.fake_pool": only its client side matters. It
// talks to the in-test FakePool (fake_pool.hpp) over TCP on 127.0.0.1:
//   request: 4-byte big-endian length + the data_batch document
//   answer:  one JSON line {"status":"ok|retry|invalid","accepted","rejected","retry_after_ms","message"}
// Endpoint: "fake://127.0.0.1:<port>". A refused or broken connection is NEBULA_IO.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <nebula/plugin.hpp>

namespace {

class FakePoolClient {
 public:
  FakePoolClient(const std::string& endpoint, const nlohmann::json& config) {
    const std::string prefix = "fake://";
    const auto colon = endpoint.rfind(':');
    if (endpoint.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size())
      throw nebula::Error(NEBULA_INVALID, "endpoint must be fake://host:port, got '" + endpoint + "'");
    host_ = endpoint.substr(prefix.size(), colon - prefix.size());
    port_ = static_cast<uint16_t>(std::stoi(endpoint.substr(colon + 1)));
    timeout_ms_ = config.value("timeout_ms", 30000);
  }
  ~FakePoolClient() { disconnect(); }

  nebula::Delivery deliver(std::string_view batch) {
    if (fd_ < 0 && !connect_pool()) return io("connect to " + host_ + ":" + std::to_string(port_) + " failed: " + std::strerror(errno));
    uint32_t len = htonl(static_cast<uint32_t>(batch.size()));
    std::string frame(reinterpret_cast<const char*>(&len), 4);
    frame.append(batch);
    if (!send_all(frame)) return io("send failed");
    std::string line;
    if (!read_line(line)) return io("no answer");
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (!doc.is_object()) return io("bad answer");
    nebula::Delivery d;
    const std::string status = doc.value("status", "");
    d.status = status == "ok" ? NEBULA_OK : status == "retry" ? NEBULA_RETRY : NEBULA_INVALID;
    d.accepted = doc.value("accepted", 0u);
    d.rejected = doc.value("rejected", 0u);
    d.retry_after_ms = doc.value("retry_after_ms", 0u);
    d.message = doc.value("message", status);
    return d;
  }

 private:
  nebula::Delivery io(std::string why) {
    disconnect();
    nebula::Delivery d;
    d.status = NEBULA_IO;
    d.message = std::move(why);
    return d;
  }
  bool connect_pool() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const int e = errno;
      disconnect();
      errno = e;
      return false;
    }
    return true;
  }
  void disconnect() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    pending_.clear();
  }
  bool send_all(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool read_line(std::string& line) {
    for (;;) {
      const auto nl = pending_.find('\n');
      if (nl != std::string::npos) {
        line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        return true;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms_) <= 0) return false;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      pending_.append(buf, static_cast<size_t>(n));
    }
  }

  std::string host_;
  uint16_t port_ = 0;
  int timeout_ms_ = 30000;
  int fd_ = -1;
  std::string pending_;
};

class FakePoolTransport : public nebula::TransportServer {
 public:
  static constexpr nebula::PluginMeta meta{"nebula.test.fake_pool", "Fake pool transport (tests)", "1.0.0",
                                           "Client side talks to the in-test FakePool over 127.0.0.1"};
  using Client = FakePoolClient;

  FakePoolTransport(nebula::Host host, const nlohmann::json&) : TransportServer(std::move(host)) {}
  void start() override {}
  void stop() override {}
};

}  // namespace

NEBULA_PLUGINS(FakePoolTransport)

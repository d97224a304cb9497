#include "fake_pool.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace nebula::node::testing {

namespace {
bool read_exact(int fd, char* buf, std::size_t len) {
  std::size_t done = 0;
  while (done < len) {
    const ssize_t n = ::recv(fd, buf + done, len - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}
}  // namespace

FakePool::FakePool() {
  if (::pipe(wake_) != 0) throw std::runtime_error("pipe");
  listen_on(0);
}

FakePool::~FakePool() {
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    gate_open_ = true;
  }
  cv_.notify_all();
  stop_listening();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string FakePool::endpoint() const { return "fake://127.0.0.1:" + std::to_string(port_); }

void FakePool::listen_on(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0)
    throw std::runtime_error("fake pool cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  acceptor_ = std::thread([this, fd] { accept_loop(fd); });
}

void FakePool::start_listening() {
  if (listen_fd_ < 0) listen_on(port_);
}

void FakePool::stop_listening() {
  if (listen_fd_ < 0) return;
  const char b = 'x';
  (void)!::write(wake_[1], &b, 1);
  acceptor_.join();
  char drain;
  (void)!::read(wake_[0], &drain, 1);
  ::close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> servers;
  {
    std::lock_guard lock(mu_);
    for (int c : connections_) ::shutdown(c, SHUT_RDWR);
    servers.swap(servers_);
  }
  cv_.notify_all();
  for (auto& t : servers) t.join();
}

void FakePool::accept_loop(int listen_fd) {
  for (;;) {
    pollfd p[2] = {{listen_fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) continue;
    if (p[1].revents) return;
    const int c = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::lock_guard lock(mu_);
    connections_.push_back(c);
    servers_.emplace_back([this, c] { serve(c); });
  }
}

void FakePool::serve(int fd) {
  for (;;) {
    std::uint32_t len_be = 0;
    if (!read_exact(fd, reinterpret_cast<char*>(&len_be), 4)) break;
    std::string body(ntohl(len_be), '\0');
    if (!read_exact(fd, body.data(), body.size())) break;
    const auto batch = nlohmann::json::parse(body);
    const Reply r = handle(batch);
    const std::string line = nlohmann::json{{"status", r.status},
                                            {"accepted", r.status == "ok" ? batch["batch_size"].get<std::uint32_t>() - r.rejected : 0},
                                            {"rejected", r.rejected},
                                            {"retry_after_ms", r.retry_after_ms},
                                            {"message", r.message}}
                                 .dump() +
                             "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) break;
  }
  std::lock_guard lock(mu_);
  std::erase(connections_, fd);
  ::close(fd);
}

Reply FakePool::handle(const nlohmann::json& batch) {
  const std::string node = batch.at("node_id").get<std::string>();
  std::unique_lock lock(mu_);
  arrivals_.push_back({batch, std::chrono::steady_clock::now()});
  max_in_hand_ = std::max(max_in_hand_, ++in_hand_[node]);
  ++held_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return gate_open_; });
  --held_;
  Handler h = handler_;
  lock.unlock();
  Reply r = h ? h(batch) : Reply::ok();
  lock.lock();
  --in_hand_[node];
  if (r.status == "ok" && !shutting_down_) {
    auto& seqs = accepted_[node];
    for (const auto& rec : batch.at("data_batch")) seqs.push_back(rec.at("seq").get<std::int64_t>());
    accepted_records_ += batch.at("data_batch").size() - r.rejected;
  }
  cv_.notify_all();
  return r;
}

void FakePool::on_batch(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

void FakePool::close_gate() {
  std::lock_guard lock(mu_);
  gate_open_ = false;
}

void FakePool::open_gate() {
  {
    std::lock_guard lock(mu_);
    gate_open_ = true;
  }
  cv_.notify_all();
}

bool FakePool::wait_held(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return held_ >= n; });
}

std::vector<Arrival> FakePool::arrivals() const {
  std::lock_guard lock(mu_);
  return arrivals_;
}

std::map<std::string, std::vector<std::int64_t>> FakePool::accepted_seqs() const {
  std::lock_guard lock(mu_);
  return accepted_;
}

std::size_t FakePool::accepted_records() const {
  std::lock_guard lock(mu_);
  return accepted_records_;
}

bool FakePool::wait_accepted(std::size_t records, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return accepted_records_ >= records; });
}

int FakePool::max_in_hand_per_node() const {
  std::lock_guard lock(mu_);
  return max_in_hand_;
}

}  // namespace nebula::node::testing

// A real redis-server for tests: its own port on 127.0.0.1, its own temporary
// directory, an append-only file fsynced on every write (so stop/kill and
// restart show what Redis really keeps), no RDB snapshots. Header-only; needs
// hiredis and a redis-server binary (NEBULA_REDIS_SERVER, else PATH).
// Used by the Redis transport tests and the scale-out tests.
//
//   nebula_test::RedisServerProcess redis;        // started, answers PING
//   redis.url()                                   // "redis://127.0.0.1:<port>"
//   redis.kill(); redis.restart();                // same port and dir: the AOF is reloaded
//
// The server dies with the thread that started it (PR_SET_PDEATHSIG), so a
// crashed test leaves no redis-server behind: create it on the test's thread.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <hiredis/hiredis.h>

#include "nebula_test/free_port.hpp"
#include "nebula_test/temp_dir.hpp"

namespace nebula_test {

class RedisServerProcess {
 public:
  // extra_args: more redis-server options, e.g. {"--requirepass", "secret"}.
  explicit RedisServerProcess(std::vector<std::string> extra_args = {}) : extra_args_(std::move(extra_args)) {
    binary_ = find_binary();
    for (int attempt = 0;; ++attempt) {  // the free port may be taken before redis binds it
      port_ = free_port();
      if (launch()) return;
      if (attempt == 4) throw std::runtime_error("redis-server did not start; log:\n" + log_text());
    }
  }
  ~RedisServerProcess() { kill(); }  // then dir_ removes the directory
  RedisServerProcess(const RedisServerProcess&) = delete;
  RedisServerProcess& operator=(const RedisServerProcess&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_.path(); }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  std::string log_text() const {
    std::ifstream in(dir_ / "redis.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // SIGTERM and wait: Redis flushes the AOF and exits cleanly.
  void stop() { end(SIGTERM); }
  // SIGKILL and wait: a crash; only what was fsynced survives (all of it here).
  void kill() { end(SIGKILL); }
  // Starts again on the same port and directory, so the AOF is reloaded.
  // Waits (bounded) for the port to come free if something still holds it.
  void restart() {
    if (running()) stop();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (launch()) return;
      while (!port_is_free(port_) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("redis-server did not restart on port " + std::to_string(port_) + "; log:\n" + log_text());
  }
  // SIGSTOP / SIGCONT: a server that accepts connections but never answers.
  void freeze() const { ::kill(pid_, SIGSTOP); }
  void thaw() const { ::kill(pid_, SIGCONT); }

  // True once the server answers PING within `timeout` with PONG, or with
  // NOAUTH when it wants a password; not while it is still LOADING the AOF.
  bool answers_ping(std::chrono::milliseconds timeout = std::chrono::milliseconds(200)) const {
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    std::unique_ptr<redisContext, void (*)(redisContext*)> c(redisConnectWithTimeout("127.0.0.1", port_, tv), redisFree);
    if (!c || c->err || redisSetTimeout(c.get(), tv) != REDIS_OK) return false;
    std::unique_ptr<redisReply, void (*)(void*)> r(static_cast<redisReply*>(redisCommand(c.get(), "PING")),
                                                   freeReplyObject);
    if (!r) return false;
    const std::string text(r->str ? r->str : "", r->str ? r->len : 0);
    return (r->type == REDIS_REPLY_STATUS && text == "PONG") ||
           (r->type == REDIS_REPLY_ERROR && text.rfind("NOAUTH", 0) == 0);
  }

 private:
  static std::string find_binary() {
    if (const char* env = std::getenv("NEBULA_REDIS_SERVER"); env && *env) return env;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string d; std::getline(dirs, d, ':');) {
      auto candidate = std::filesystem::path(d.empty() ? "." : d) / "redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    throw std::runtime_error("redis-server not found (install redis-server or set NEBULA_REDIS_SERVER)");
  }

  static bool port_is_free(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // as redis binds
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return free;
  }

  // Starts redis-server and waits for PONG; false when it exited instead
  // (typically: the port is taken).
  bool launch() {
    std::vector<std::string> args{binary_,      "--port",       std::to_string(port_), "--bind",
                                  "127.0.0.1",  "--dir",        dir_.path().string(), "--appendonly",
                                  "yes",        "--appendfsync", "always",             "--save",
                                  "",           "--daemonize",  "no",                  "--logfile",
                                  "",           "--protected-mode", "no"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = (dir_ / "redis.log").string();
    const pid_t parent = ::getpid();

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {  // only async-signal-safe calls until exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (answers_ping()) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
    throw std::runtime_error("redis-server on port " + std::to_string(port_) + " did not answer PING; log:\n" +
                             log_text());
  }

  void end(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);  // a frozen server cannot act on SIGTERM
    ::kill(pid_, sig);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
  }

  std::vector<std::string> extra_args_;
  TempDir dir_{"nebula-redis"};
  std::string binary_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace nebula_test

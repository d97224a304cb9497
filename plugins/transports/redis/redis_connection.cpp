// Connection: hiredis's blocking API with connect and socket timeouts; Script:
// the SHA1 Redis caches a Lua script under.
#include "redis_connection.hpp"

#include <cerrno>
#include <cstdio>
#include <string_view>

#include <hiredis/hiredis.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/time.h>

#include "sigpipe_guard.hpp"

namespace nebula::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string sha1_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("SHA1 of a Lua script failed (OpenSSL)");
  std::string hex(2 * len, '0');
  for (unsigned int i = 0; i < len; ++i) std::snprintf(&hex[2 * i], 3, "%02x", digest[i]);
  return hex;
}

// hiredis wants parallel arrays of pointers and lengths (binary-safe).
struct Argv {
  explicit Argv(const std::vector<std::string>& args) {
    pointers.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& a : args) {
      pointers.push_back(a.data());
      lengths.push_back(a.size());
    }
  }
  int count() const { return static_cast<int>(pointers.size()); }
  std::vector<const char*> pointers;
  std::vector<size_t> lengths;
};

}  // namespace

Script::Script(std::string lua) : text_(std::move(lua)), sha_(sha1_hex(text_)) {}

void Connection::ContextFree::operator()(redisContext* c) const { redisFree(c); }

Connection::Connection(Endpoint ep) : endpoint_(std::move(ep)) {}

Connection::~Connection() = default;

bool Connection::connected() const { return context_ && context_->err == 0; }

void Connection::close() { context_.reset(); }

void Connection::connect() {
  close();
  context_.reset(redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(endpoint_.connect_timeout)));
  if (!context_) throw ConnectionError(endpoint_.text() + ": cannot allocate a connection");
  if (context_->err) {
    const std::string why = context_->errstr;
    close();
    throw ConnectionError(endpoint_.text() + ": connect failed: " + why);
  }
  if (redisSetTimeout(context_.get(), to_timeval(endpoint_.command_timeout)) != REDIS_OK) fail("setting the timeout");
  if (!endpoint_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!endpoint_.username.empty()) auth.push_back(endpoint_.username);
    auth.push_back(endpoint_.password);
    handshake_command(auth, "AUTH");
  }
  if (endpoint_.db != 0) handshake_command({"SELECT", std::to_string(endpoint_.db)}, "SELECT");
}

// AUTH / SELECT: a Redis error here makes the connection useless, so it is a
// ConnectionError too (the message never contains the password).
void Connection::handshake_command(const std::vector<std::string>& args, const char* what) {
  send(args);
  const Reply r = receive(what);
  if (r.is_error()) {
    close();
    throw ConnectionError(endpoint_.text() + ": " + what + " failed: " + r.error());
  }
}

// An idle connection Redis has closed (restart, `timeout` setting) is
// replaced before sending: a command sent into it would fail after the
// fact, leaving the caller unsure whether it ran.
bool Connection::peer_closed() const {
  pollfd p{context_->fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

redisContext* Connection::ready_context() {
  if (!connected() || peer_closed()) connect();
  return context_.get();
}

void Connection::fail(const std::string& during) {
  std::string why = context_ ? context_->errstr : "not connected";
  const bool timed_out = context_ && context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
  if (timed_out) why = "no answer within " + std::to_string(endpoint_.command_timeout.count()) + " ms";
  close();
  throw ConnectionError(endpoint_.text() + ": " + during + ": " + why);
}

void Connection::send(const std::vector<std::string>& args) {
  Argv argv(args);
  if (redisAppendCommandArgv(context_.get(), argv.count(), argv.pointers.data(), argv.lengths.data()) != REDIS_OK)
    fail("queueing a command");
}

Reply Connection::receive(const char* during) {
  SigpipeGuard guard;  // redisGetReply flushes the queued commands first
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || !raw) fail(during);
  return Reply(static_cast<redisReply*>(raw));
}

Reply Connection::command(const std::vector<std::string>& args) {
  if (args.empty()) throw std::invalid_argument("redis command without arguments");
  ready_context();
  send(args);
  return receive(args.front().c_str());
}

std::vector<Reply> Connection::pipeline(const std::vector<std::vector<std::string>>& commands) {
  std::vector<Reply> replies;
  if (commands.empty()) return replies;
  for (const auto& c : commands)
    if (c.empty()) throw std::invalid_argument("redis pipeline holds a command without arguments");
  ready_context();
  for (const auto& c : commands) send(c);
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) replies.push_back(receive(commands[i].front().c_str()));
  return replies;
}

Reply Connection::eval(const Script& s, const std::vector<std::string>& keys, const std::vector<std::string>& args) {
  auto call = [&](const char* verb, const std::string& script) {
    std::vector<std::string> argv{verb, script, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return command(argv);
  };
  Reply r = call("EVALSHA", s.sha());
  // NOSCRIPT means it did not run, so sending it in full cannot run it twice.
  if (r.is_error() && r.str().substr(0, 8) == "NOSCRIPT") r = call("EVAL", s.text());
  return r;
}

void Connection::set_command_timeout(std::chrono::milliseconds timeout) {
  endpoint_.command_timeout = timeout;
  if (connected() && redisSetTimeout(context_.get(), to_timeval(timeout)) != REDIS_OK) fail("setting the timeout");
}

}  // namespace nebula::redis

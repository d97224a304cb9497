// A small synchronous Redis client over hiredis's blocking API, shared by the
// client side (node → Redis) and the server side (Redis → pool) of the
// nebula.transport.redis plugin. Every call has a timeout; an I/O failure
// drops the connection and throws ConnectionError, the next call reconnects.
// Redis's own error answers (WRONGTYPE, NOSCRIPT, ...) are values:
// Reply::is_error(). A Connection is not thread-safe: one per thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/backoff.hpp>

struct redisContext;
struct redisReply;

namespace nebula::redis {

struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;
  std::chrono::milliseconds connect_timeout{2000}, command_timeout{5000};
  std::string username;  // Redis 6 ACL user; "" = AUTH with the password only

  // "redis://host:port/db", never the password (safe for logs and messages).
  std::string text() const;
};

// redis://[[user]:password@]host[:port][/db] ("[::1]" for IPv6; user and
// password may be %-encoded). Throws std::invalid_argument naming the URL.
Endpoint parse_endpoint(const std::string& url);

// I/O failure, timeout, refused connection, failed AUTH/SELECT.
class ConnectionError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// A reply. Owns its redisReply* (move-only) unless it is a view of an element
// of an owning reply (at()), which must not outlive that reply.
class Reply {
 public:
  Reply() = default;
  explicit Reply(redisReply* owned);
  Reply(Reply&& other) noexcept;
  Reply& operator=(Reply&& other) noexcept;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply();

  bool is_nil() const;  // also true for an empty Reply
  bool is_error() const;
  bool is_integer() const;
  bool is_string() const;  // bulk string or status ("OK")
  bool is_array() const;

  long long integer() const;   // 0 unless is_integer()
  std::string_view str() const;  // string, status or error text; "" otherwise
  size_t size() const;           // array elements; 0 unless is_array()
  Reply at(size_t i) const;      // non-owning view; throws std::out_of_range
  std::string error() const;     // the error text, "" unless is_error()

 private:
  static Reply view(redisReply* element);

  redisReply* reply_ = nullptr;
  bool owned_ = false;
};

// A Lua script known by its SHA1, so it is sent in full only when Redis does
// not have it cached (after a restart or SCRIPT FLUSH).
class Script {
 public:
  explicit Script(std::string lua);
  const std::string& sha() const { return sha_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::string sha_;  // 40 lower-case hex digits
};

class Connection {
 public:
  explicit Connection(Endpoint ep);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // (Re)connects within connect_timeout, then AUTH and SELECT. Throws
  // ConnectionError (refused, timeout, wrong password, bad db).
  void connect();
  bool connected() const;
  void close();

  // One command, arguments binary-safe. Connects lazily. I/O failure or
  // timeout: drops the connection and throws ConnectionError.
  Reply command(const std::vector<std::string>& args);
  // Sends every command, then reads every reply (one round trip); replies in
  // command order. Same error rules as command().
  std::vector<Reply> pipeline(const std::vector<std::vector<std::string>>& commands);
  // EVALSHA; on NOSCRIPT sends the script with EVAL (which also caches it).
  Reply eval(const Script& s, const std::vector<std::string>& keys, const std::vector<std::string>& args);

  // For blocking reads (XREADGROUP BLOCK n): the socket timeout must exceed n.
  // Applies now if connected, and to later connections.
  void set_command_timeout(std::chrono::milliseconds timeout);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  redisContext* ready_context();  // connects lazily
  bool peer_closed() const;
  [[noreturn]] void fail(const std::string& during);  // drops the connection, throws
  void send(const std::vector<std::string>& args);
  Reply receive(const char* during);
  void handshake_command(const std::vector<std::string>& args, const char* what);

  struct ContextFree {
    void operator()(redisContext* c) const;
  };
  Endpoint endpoint_;
  std::unique_ptr<redisContext, ContextFree> context_;
};

// Delays between reconnection attempts (nebula::Backoff: doubling from
// the first to the cap, each drawn uniformly from [0, ceiling]).
inline constexpr std::chrono::milliseconds kReconnectFirst{100};
inline constexpr std::chrono::milliseconds kReconnectMax{5'000};

}  // namespace nebula::redis

// The set of open connections, so stop() can close every one of them and
// wait (bounded) until they are gone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

namespace nebula::http::detail {

class HttpSession;

class SessionRegistry {
 public:
  // False once close_all() ran: a connection accepted during stop is dropped.
  bool add(const std::shared_ptr<HttpSession>& session);
  // Called by a session's destructor.
  void remove(const HttpSession* session);
  // Refuses new sessions and asks every open one to close.
  void close_all();
  // True when all sessions are gone before `timeout` passed.
  bool wait_until_empty(std::chrono::milliseconds timeout);
  // Accepts sessions again (for a start() after stop()).
  void reopen();

 private:
  std::mutex mu_;
  std::condition_variable emptied_;
  bool closing_ = false;
  std::map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace nebula::http::detail

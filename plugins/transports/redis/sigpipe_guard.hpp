// hiredis writes with write(2), which raises SIGPIPE when Redis has closed the
// socket; a plugin must not kill its host process for that nor change the
// process-wide disposition. This blocks SIGPIPE in the calling thread for the
// guard's lifetime and swallows one raised meanwhile (the write then fails
// with EPIPE, which hiredis reports as an I/O error).
#pragma once

#include <csignal>
#include <ctime>

#include <pthread.h>

namespace nebula::redis {

class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    already_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeGuard() {
    if (!already_pending_) {
      const timespec no_wait{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &no_wait) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool already_pending_ = false;
};

}  // namespace nebula::redis

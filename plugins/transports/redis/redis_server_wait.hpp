// Interruptible waits for the server side's threads: stop() must not sit out
// a back-off or a host's retry_after.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace nebula::redis {

// Sleeps for `d` or until stop is requested; false when stopped.
inline bool pause_for(std::stop_token stop, std::chrono::milliseconds d) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace nebula::redis

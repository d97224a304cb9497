// Whether a running pool deserves its systemd watchdog ping: started, not
// draining, and its dispatcher going round (it does at least every
// batch_max_wait, idle or busy). Components that report themselves not ready
// (a sink whose database is down) are /readyz's business, not a reason to
// restart the process.
#pragma once

#include <chrono>
#include <string>

#include "runtime/runtime.hpp"

namespace nebula::host {

// "" when healthy, else why not. `max_silence`: how long the dispatcher may
// be silent before the pool counts as stuck.
inline std::string why_unhealthy(const Runtime* runtime, std::chrono::steady_clock::duration max_silence) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  if (!runtime || !runtime->started()) return "the pipeline is not running";
  if (runtime->draining()) return "draining";
  const auto silence = runtime->dispatcher_silence();
  if (silence > max_silence)
    return "the dispatcher has not gone round its loop for " + std::to_string(duration_cast<milliseconds>(silence).count()) +
           " ms: a processor stage is stuck";
  return {};
}

}  // namespace nebula::host

// Makes the calling thread a training thread: named for `top -H`, and at the
// CPU priority `training.priority` asks for, so training only gets the CPU
// that ingest and the processors leave over. Linux keeps name, policy and
// nice per thread and copies them into every thread this one creates later:
// libtorch's OpenMP team and pthreadpool workers are started lazily by the
// thread that first runs an op, so calling this before the first libtorch
// call covers them too.
#pragma once

#include <string>

#include "config/pipeline_config.hpp"

namespace nebula::host {

struct TrainingThreadState {
  std::string priority;  // what the thread now runs at: "SCHED_IDLE", "nice 19" or "normal"
  std::string error;     // why the requested priority could not be set; "" when it was
};

TrainingThreadState become_training_thread(const std::string& agent_id, TrainingSettings::Priority priority);

// For the drain at shutdown or reload: the calling training thread goes back
// to the process's own policy and nice. What is left to learn and the last
// checkpoint are bounded work the host waits for, and nothing is ingested any
// more; at SCHED_IDLE on a busy machine they got no CPU at all and outran
// shutdown.timeout_ms (the watchdog's exit 3, the checkpoint lost). Leaving
// SCHED_IDLE or nice 19 needs CAP_SYS_NICE or RLIMIT_NICE >= 20 (systemd:
// LimitNICE=+0); refused, the thread stays where it was and `error` says why.
TrainingThreadState leave_training_priority();

}  // namespace nebula::host

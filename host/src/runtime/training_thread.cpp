#include "runtime/training_thread.hpp"

#include <cerrno>
#include <cstring>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace nebula::host {
namespace {

constexpr int kLowNice = 19;

#ifdef __linux__
// On Linux setpriority(PRIO_PROCESS, tid) changes that one thread (POSIX would
// mean the whole process).
std::string set_nice(int nice) {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0) return {};
  return "setpriority(nice " + std::to_string(nice) + "): " + std::strerror(errno);
}

std::string set_policy(int policy) {
  sched_param param{};
  if (int rc = pthread_setschedparam(pthread_self(), policy, &param); rc != 0)
    return std::string(policy == SCHED_IDLE ? "SCHED_IDLE" : "SCHED_OTHER") + ": " + std::strerror(rc);
  return {};
}
#endif

}  // namespace

TrainingThreadState become_training_thread(const std::string& agent_id, TrainingSettings::Priority priority) {
  using Priority = TrainingSettings::Priority;
#ifdef __linux__
  // The kernel refuses names over 15 characters rather than cutting them.
  pthread_setname_np(pthread_self(), ("train:" + agent_id).substr(0, 15).c_str());
  const std::string nice_label = "nice " + std::to_string(kLowNice);
  if (priority == Priority::Normal) return {"normal", ""};
  if (priority == Priority::Idle) {
    std::string idle_error = set_policy(SCHED_IDLE);
    if (idle_error.empty()) return {"SCHED_IDLE", ""};
    // Refused (e.g. by a seccomp profile): nice 19 still leaves ingest most of the CPU.
    std::string nice_error = set_nice(kLowNice);
    if (nice_error.empty()) return {nice_label, idle_error};
    return {"normal", idle_error + "; " + nice_error};
  }
  std::string nice_error = set_nice(kLowNice);
  return {nice_error.empty() ? nice_label : "normal", nice_error};
#else
  (void)agent_id;
  return {"normal", priority == Priority::Normal ? "" : "training.priority is applied on Linux only"};
#endif
}

TrainingThreadState leave_training_priority() {
#ifdef __linux__
  // Other threads of the process keep the policy and nice it started with;
  // the thread-group leader's are those.
  errno = 0;
  const int process_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(getpid()));
  if (process_nice == -1 && errno != 0) return {"unchanged", std::string("getpriority: ") + std::strerror(errno)};
  if (sched_getscheduler(0) == SCHED_IDLE) {
    if (std::string error = set_policy(SCHED_OTHER); !error.empty()) return {"SCHED_IDLE", error};
  }
  if (std::string error = set_nice(process_nice); !error.empty())
    return {"nice " + std::to_string(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))), error};
  return {"normal", ""};
#else
  return {"normal", ""};
#endif
}

}  // namespace nebula::host

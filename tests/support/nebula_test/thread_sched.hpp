// Name, scheduling policy and nice value of a process's threads, read from
// /proc/<pid>/task/<tid>/ (Linux keeps all three per thread).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nebula_test/temp_dir.hpp"

namespace nebula_test {

struct ThreadSched {
  int tid = 0;
  std::string name;  // comm: at most 15 characters
  int policy = -1;   // SCHED_OTHER, SCHED_IDLE, …; -1 when the thread is gone
  int nice = 0;
};

inline ThreadSched thread_sched(int pid, int tid) {
  ThreadSched t;
  t.tid = tid;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid);
  const std::string stat = read_file(dir + "/stat");
  const size_t comm_end = stat.rfind(')');  // the name may hold spaces and ')'
  if (comm_end == std::string::npos) return t;
  std::istringstream rest(stat.substr(comm_end + 1));
  std::vector<std::string> fields;  // fields[0] is field 3 of proc(5), the state
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() < 39) return t;
  t.nice = std::stoi(fields[19 - 3]);
  t.policy = std::stoi(fields[41 - 3]);
  std::ifstream comm(dir + "/comm");
  std::getline(comm, t.name);
  return t;
}

inline std::vector<ThreadSched> threads_of(int pid) {
  std::vector<ThreadSched> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    ThreadSched t = thread_sched(pid, std::stoi(entry.path().filename().string()));
    if (t.policy >= 0) out.push_back(t);
  }
  return out;
}

inline std::string describe(const ThreadSched& t) {
  return std::to_string(t.tid) + " '" + t.name + "' policy " + std::to_string(t.policy) + " nice " +
         std::to_string(t.nice);
}

}  // namespace nebula_test

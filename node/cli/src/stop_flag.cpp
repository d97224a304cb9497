#include "stop_flag.hpp"

#include <atomic>
#include <csignal>
#include <thread>

namespace nebula::node::cli {

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop.store(true); }  // lock-free atomic: async-signal-safe
}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

bool stop_requested() { return g_stop.load(); }

bool sleep_unless_stopped(std::chrono::steady_clock::duration d) {
  using namespace std::chrono_literals;
  const auto until = std::chrono::steady_clock::now() + d;
  while (!g_stop.load()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, 50ms));
  }
  return false;
}

}  // namespace nebula::node::cli

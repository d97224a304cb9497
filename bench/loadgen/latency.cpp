#include "latency.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "admin_client.hpp"
#include "socket.hpp"

namespace nebula::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string probe_line(uint64_t k) {
  using namespace std::chrono;
  const double now = duration<double>(system_clock::now().time_since_epoch()).count();
  return R"({"timestamp":)" + std::to_string(now) + R"(,"node_id":"bench-probe","node_type":"mainnet",)" +
         R"("chain_id":"bench-probe-)" + std::to_string(k) + R"(","seq":)" + std::to_string(k) +
         R"(,"blockchain":{"current_height":)" + std::to_string(k) + "}}\n" + R"({"nebula":"commit","batch":)" +
         std::to_string(k) + "}\n";
}

}  // namespace

LatencyResult run_latency(const std::vector<RecordLine>& lines, const LatencyOptions& o) {
  LatencyResult result;
  std::exception_ptr load_error;
  std::atomic<bool> load_done{false};
  std::thread load([&] {
    try {
      result.load = run_tcp_load(lines, o.load);
    } catch (...) {
      load_error = std::current_exception();
    }
    load_done = true;
  });

  // Probes go out on schedule from their own thread, whether or not earlier
  // ones are visible yet, so a stall is sampled by every probe it delays.
  std::mutex mu;
  std::map<uint64_t, Clock::time_point> pending;  // accepted, not yet visible
  std::atomic<bool> probing_done{false};
  std::exception_ptr probe_error;
  std::thread prober([&] {
    try {
      Socket probe(o.load.port);
      std::string ack;
      const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.probe_hz));
      auto next = Clock::now() + std::chrono::milliseconds(500);  // let the load reach its pace first
      for (uint64_t k = 0; !load_done; ++k) {
        std::this_thread::sleep_until(next);
        next = std::max(next + period, Clock::now());  // a slow ack must not make the next probes burst
        const auto sent = Clock::now();
        probe.write_all(probe_line(k));
        if (!probe.read_line(ack)) throw std::runtime_error("the pool closed the probe connection");
        if (ack.find(R"("status":"accepted")") == std::string::npos) continue;  // refused or retry: no sample
        std::lock_guard lock(mu);
        result.ack_ms.push_back(ms_since(sent));
        pending.emplace(k, sent);
      }
    } catch (...) {
      probe_error = std::current_exception();
    }
    probing_done = true;
  });

  // Polls the newest insights while probes are pending; a probe is visible
  // once its chain appears (limit 10: several dispatcher cycles' worth).
  AdminClient admin(o.admin_port);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (pending.empty() && probing_done) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (std::lock_guard lock(mu); pending.empty()) continue;
    const std::string body = admin.get("/api/v1/pool/insights?topic=blockchain&limit=10");
    std::lock_guard lock(mu);
    for (auto it = pending.begin(); it != pending.end();) {
      if (body.find("\"bench-probe-" + std::to_string(it->first) + "\"") != std::string::npos) {
        result.visible_ms.push_back(ms_since(it->second));
        it = pending.erase(it);
      } else if (ms_since(it->second) > o.probe_timeout_s * 1000) {
        ++result.lost;
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
  }
  prober.join();
  load.join();
  if (probe_error) std::rethrow_exception(probe_error);
  if (load_error) std::rethrow_exception(load_error);
  return result;
}

}  // namespace nebula::bench

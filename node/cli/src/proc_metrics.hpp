// This machine's metrics from /proc, as pure parsers (unit-tested on sample
// texts) plus a sampler that turns counter pairs into rates.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nebula::node::collect {

// Aggregate "cpu " line of /proc/stat, in jiffies.
struct CpuTimes {
  std::uint64_t idle = 0;   // idle + iowait
  std::uint64_t total = 0;  // user nice system idle iowait irq softirq steal
};
std::optional<CpuTimes> parse_proc_stat(std::string_view text);
// Busy share of the interval between two readings, in percent; nullopt if no time passed.
std::optional<double> cpu_usage_percent(const CpuTimes& before, const CpuTimes& after);

struct MemInfo {
  std::uint64_t total_kb = 0;
  std::uint64_t available_kb = 0;  // MemAvailable, or MemFree+Buffers+Cached on old kernels
};
std::optional<MemInfo> parse_meminfo(std::string_view text);
double memory_usage_percent(const MemInfo& m);

// First number of /proc/uptime (seconds since boot).
std::optional<double> parse_uptime(std::string_view text);

// Received + transmitted bytes over every interface but loopback.
struct NetBytes {
  std::uint64_t rx = 0;
  std::uint64_t tx = 0;
};
std::optional<NetBytes> parse_net_dev(std::string_view text);
// (rx+tx) growth per second; 0 when a counter went backwards (interface reset).
double bytes_per_second(const NetBytes& before, const NetBytes& after, double seconds);

class ProcSampler {
 public:
  explicit ProcSampler(std::filesystem::path proc_root = "/proc");
  // {"performance":{cpu_usage, memory_usage, uptime}, "network":{bandwidth_usage}}.
  // Rates need a previous reading: the first call leaves them out.
  nlohmann::json sample(std::chrono::steady_clock::time_point now);

 private:
  std::filesystem::path root_;
  std::optional<CpuTimes> cpu_;
  std::optional<NetBytes> net_;
  std::chrono::steady_clock::time_point at_;
};

}  // namespace nebula::node::collect

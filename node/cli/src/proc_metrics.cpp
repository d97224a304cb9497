#include "proc_metrics.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nebula::node::collect {

namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Calls fn(line) for each line until it returns false.
template <class F>
void each_line(std::string_view text, F fn) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    if (!fn(line)) return;
    if (nl == std::string_view::npos) return;
    text.remove_prefix(nl + 1);
  }
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
  std::optional<CpuTimes> out;
  each_line(text, [&](std::string_view line) {
    const auto w = words(line);
    if (w.empty() || w[0] != "cpu") return true;
    if (w.size() < 5) return false;
    CpuTimes t;
    // user nice system idle iowait irq softirq steal; guest time is already in user.
    for (std::size_t i = 1; i < w.size() && i <= 8; ++i) {
      auto v = to_u64(w[i]);
      if (!v) return false;
      t.total += *v;
      if (i == 4 || i == 5) t.idle += *v;
    }
    out = t;
    return false;
  });
  return out;
}

std::optional<double> cpu_usage_percent(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total || after.idle < before.idle) return std::nullopt;
  const double total = static_cast<double>(after.total - before.total);
  const double idle = static_cast<double>(after.idle - before.idle);
  const double busy = 100.0 * (1.0 - idle / total);
  return busy < 0 ? 0.0 : busy > 100 ? 100.0 : busy;
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
  std::optional<std::uint64_t> total, available, free, buffers, cached;
  each_line(text, [&](std::string_view line) {
    const auto w = words(line);
    if (w.size() < 2) return true;
    const auto v = to_u64(w[1]);
    if (w[0] == "MemTotal:") total = v;
    else if (w[0] == "MemAvailable:") available = v;
    else if (w[0] == "MemFree:") free = v;
    else if (w[0] == "Buffers:") buffers = v;
    else if (w[0] == "Cached:") cached = v;
    return true;
  });
  if (!total || *total == 0) return std::nullopt;
  MemInfo m;
  m.total_kb = *total;
  if (available) m.available_kb = *available;
  else if (free) m.available_kb = *free + buffers.value_or(0) + cached.value_or(0);
  else return std::nullopt;
  return m;
}

double memory_usage_percent(const MemInfo& m) {
  if (m.total_kb == 0 || m.available_kb >= m.total_kb) return 0.0;
  return 100.0 * static_cast<double>(m.total_kb - m.available_kb) / static_cast<double>(m.total_kb);
}

std::optional<double> parse_uptime(std::string_view text) {
  const auto w = words(text.substr(0, text.find('\n')));
  if (w.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(std::string(w[0]), &used);
    if (used != w[0].size() || v < 0) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<NetBytes> parse_net_dev(std::string_view text) {
  NetBytes total;
  bool any = false;
  each_line(text, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return true;  // the two header lines
    const auto name = words(line.substr(0, colon));
    if (name.size() != 1 || name[0] == "lo") return true;
    const auto w = words(line.substr(colon + 1));
    // rx: bytes packets errs drop fifo frame compressed multicast; then tx: bytes ...
    if (w.size() < 9) return true;
    const auto rx = to_u64(w[0]), tx = to_u64(w[8]);
    if (!rx || !tx) return true;
    total.rx += *rx;
    total.tx += *tx;
    any = true;
    return true;
  });
  if (!any) return std::nullopt;
  return total;
}

double bytes_per_second(const NetBytes& before, const NetBytes& after, double seconds) {
  if (seconds <= 0 || after.rx < before.rx || after.tx < before.tx) return 0.0;
  return static_cast<double>((after.rx - before.rx) + (after.tx - before.tx)) / seconds;
}

ProcSampler::ProcSampler(std::filesystem::path proc_root) : root_(std::move(proc_root)) {}

nlohmann::json ProcSampler::sample(std::chrono::steady_clock::time_point now) {
  nlohmann::json perf = nlohmann::json::object(), network = nlohmann::json::object();
  const auto cpu = parse_proc_stat(read_file(root_ / "stat"));
  if (cpu && cpu_)
    if (auto usage = cpu_usage_percent(*cpu_, *cpu)) perf["cpu_usage"] = *usage;
  if (auto mem = parse_meminfo(read_file(root_ / "meminfo"))) perf["memory_usage"] = memory_usage_percent(*mem);
  if (auto up = parse_uptime(read_file(root_ / "uptime"))) perf["uptime"] = *up;
  const auto net = parse_net_dev(read_file(root_ / "net" / "dev"));
  if (net && net_)
    network["bandwidth_usage"] = bytes_per_second(*net_, *net, std::chrono::duration<double>(now - at_).count());
  cpu_ = cpu;
  net_ = net;
  at_ = now;

  nlohmann::json out = nlohmann::json::object();
  if (!perf.empty()) out["performance"] = perf;
  if (!network.empty()) out["network"] = network;
  return out;
}

}  // namespace nebula::node::collect

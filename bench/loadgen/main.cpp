// nebula-bench-load: the load generator of scripts/bench, a separate
// process from the pool under test. Every command prints one JSON line.
//
//   gen      --nodes N --steps S --out FILE          NDJSON workload file (file tail, syslog-ng)
//   tcp      --port P --nodes N --steps S [--connections C] [--batch B] [--rate R]
//            [--raw] [--admin PORT | --wait-lines FILE]
//            sends, then waits until the pool processed everything (--admin)
//            or FILE holds every line (--wait-lines, syslog-ng)
//   wait     --admin PORT --processed N              until pool.records_processed >= N
//   latency  --port P --admin PORT --nodes N --steps S --rate R [--probe-hz H]
// Common: --seed (7), --prefix (prepended to node ids), --timeout seconds (300).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "admin_client.hpp"
#include "latency.hpp"
#include "tcp_load.hpp"
#include "workload.hpp"

namespace {

using namespace nebula::bench;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Args {
  std::map<std::string, std::string> values;
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = values.find(k);
    if (it != values.end()) return it->second;
    if (def.empty()) throw std::invalid_argument("missing --" + k);
    return def;
  }
  double num(const std::string& k, const std::string& def = "") const { return std::stod(get(k, def)); }
  size_t count(const std::string& k, const std::string& def = "") const { return std::stoull(get(k, def)); }
  bool has(const std::string& k) const { return values.count(k) > 0; }
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + k);
    k.erase(0, 2);
    if (k == "raw") a.values[k] = "1";
    else if (i + 1 < argc) a.values[k] = argv[++i];
    else throw std::invalid_argument("--" + k + " needs a value");
  }
  return a;
}

WorkloadOptions workload(const Args& a) {
  WorkloadOptions o;
  o.nodes = a.count("nodes");
  o.steps = a.count("steps");
  o.seed = a.count("seed", "7");
  if (a.has("prefix")) o.prefix = a.get("prefix");
  return o;
}

// Polls done() every 5 ms; throws when timeout_s passes first.
template <class Done>
void poll_until(Done done, double timeout_s, const std::string& what) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  while (!done()) {
    if (Clock::now() > deadline) throw std::runtime_error("timed out waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void wait_processed(AdminClient& admin, uint64_t target, double timeout_s) {
  poll_until([&] { return admin.pool_counter("records_processed") >= target; }, timeout_s,
             "records_processed >= " + std::to_string(target));
}

// Counts the lines of a file that another process appends to.
void wait_lines(const std::string& path, uint64_t target, double timeout_s) {
  uint64_t lines = 0;
  std::ifstream in;
  std::string chunk(1 << 20, '\0');
  poll_until([&] {
    if (!in.is_open()) in.open(path, std::ios::binary);
    if (!in.is_open()) return false;
    for (;;) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      const auto n = static_cast<size_t>(in.gcount());
      lines += static_cast<uint64_t>(std::count(chunk.data(), chunk.data() + n, '\n'));
      if (n < chunk.size()) break;
    }
    in.clear();  // at EOF: keep the position, read on next time
    return lines >= target;
  }, timeout_s, std::to_string(target) + " lines in " + path);
}

json rates(uint64_t records, uint64_t bytes, double seconds) {
  return {{"records", records},
          {"bytes", bytes},
          {"seconds", seconds},
          {"records_per_s", static_cast<double>(records) / seconds},
          {"mib_per_s", static_cast<double>(bytes) / seconds / (1024.0 * 1024.0)}};
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

TcpLoadOptions load_options(const Args& a) {
  TcpLoadOptions o;
  o.port = static_cast<uint16_t>(a.count("port"));
  o.connections = a.count("connections", "8");
  o.batch = a.count("batch", "100");
  o.rate = a.num("rate", "0");
  o.raw = a.has("raw");
  return o;
}

json cmd_gen(const Args& a) {
  const auto lines = record_lines(workload(a));
  std::ofstream out(a.get("out"), std::ios::binary);
  const std::string text = ndjson(lines);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + a.get("out"));
  return {{"records", lines.size()}, {"bytes", text.size()}, {"file", a.get("out")}};
}

json cmd_tcp(const Args& a) {
  const auto lines = record_lines(workload(a));
  const double timeout = a.num("timeout", "300");
  std::unique_ptr<AdminClient> admin;
  uint64_t base = 0;
  if (a.has("admin")) {
    admin = std::make_unique<AdminClient>(static_cast<uint16_t>(a.count("admin")));
    base = admin->pool_counter("records_processed");
  }
  const auto start = Clock::now();
  const auto r = run_tcp_load(lines, load_options(a));
  if (admin) wait_processed(*admin, base + r.records, timeout);
  if (a.has("wait-lines")) wait_lines(a.get("wait-lines"), r.records, timeout);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  json out = rates(r.records, r.bytes, seconds);
  out["send_seconds"] = r.seconds;
  out["rejected"] = r.rejected;
  out["retries"] = r.retries;
  return out;
}

json cmd_wait(const Args& a) {
  AdminClient admin(static_cast<uint16_t>(a.count("admin")));
  const auto start = Clock::now();
  wait_processed(admin, a.count("processed"), a.num("timeout", "300"));
  return {{"seconds", std::chrono::duration<double>(Clock::now() - start).count()}};
}

json cmd_latency(const Args& a) {
  LatencyOptions o;
  o.load = load_options(a);
  o.admin_port = static_cast<uint16_t>(a.count("admin"));
  o.probe_hz = a.num("probe-hz", "20");
  const auto r = run_latency(record_lines(workload(a)), o);
  json out = rates(r.load.records, r.load.bytes, r.load.seconds);
  out["retries"] = r.load.retries;
  out["probes"] = r.visible_ms.size();
  out["lost"] = r.lost;
  out["visible_ms"] = {{"p50", percentile(r.visible_ms, 0.5)}, {"p99", percentile(r.visible_ms, 0.99)},
                       {"max", percentile(r.visible_ms, 1.0)}};
  out["ack_ms"] = {{"p50", percentile(r.ack_ms, 0.5)}, {"p99", percentile(r.ack_ms, 0.99)}};
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) throw std::invalid_argument("usage: nebula-bench-load gen|tcp|wait|latency [--option value]...");
    const std::string cmd = argv[1];
    const Args args = parse(argc, argv);
    json out;
    if (cmd == "gen") out = cmd_gen(args);
    else if (cmd == "tcp") out = cmd_tcp(args);
    else if (cmd == "wait") out = cmd_wait(args);
    else if (cmd == "latency") out = cmd_latency(args);
    else throw std::invalid_argument("unknown command " + cmd);
    std::cout << out.dump() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "nebula-bench-load: " << e.what() << "\n";
    return 1;
  }
}

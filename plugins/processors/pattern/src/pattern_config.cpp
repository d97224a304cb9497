#include "nebula_pattern/pattern_config.hpp"

#include <cmath>

#include "nebula/config_helpers.hpp"
#include "nebula/config_whole_number.hpp"

namespace nebula::pattern {

namespace {

using nlohmann::json;

// Reads the keys of one JSON object, recording problems under `prefix`.
class Section {
 public:
  Section(const json& cfg, std::string prefix, ConfigErrors& errors)
      : cfg_(cfg), prefix_(std::move(prefix)), errors_(errors) {}

  void known(std::initializer_list<const char*> keys) { config::reject_unknown_keys(cfg_, keys, errors_, prefix_); }

  double number(const char* key, double def, double lo, double hi) {
    return config::number(cfg_, key, def, lo, hi, &errors_, prefix_);
  }

  int integer(const char* key, int def, int lo, int hi) {
    return config::whole_number(cfg_, key, def, lo, hi, &errors_, prefix_);
  }

  std::string text(const char* key, const std::string& def) { return config::text(cfg_, key, def, &errors_, prefix_); }

  // A nested mapping; absent -> empty object, not a mapping -> error + empty.
  Section child(const char* key) {
    static const json empty = json::object();
    const std::string ptr = prefix_ + "/" + key;
    if (!cfg_.is_object() || !cfg_.contains(key)) return Section(empty, ptr, errors_);
    const json& v = cfg_.at(key);
    if (v.is_null()) return Section(empty, ptr, errors_);
    if (!v.is_object()) {
      errors_.add(ptr, "must be a mapping");
      return Section(empty, ptr, errors_);
    }
    return Section(v, ptr, errors_);
  }

  const json& raw() const { return cfg_; }
  const std::string& prefix() const { return prefix_; }
  ConfigErrors& errors() { return errors_; }

 private:
  const json& cfg_;
  std::string prefix_;
  ConfigErrors& errors_;
};

void read_block_intervals(Section& stall, StallConfig& out) {
  if (!stall.raw().contains("block_interval_s")) return;
  const json& v = stall.raw().at("block_interval_s");
  const std::string ptr = stall.prefix() + "/block_interval_s";
  if (!v.is_object()) {
    stall.errors().add(ptr, "must be a mapping of chain_id or node_type to seconds");
    return;
  }
  out.block_interval_s.clear();
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > 86400) {
      stall.errors().add(ptr + "/" + it.key(), "must be a number of seconds in (0, 86400]");
      continue;
    }
    out.block_interval_s[it.key()] = it->get<double>();
  }
}

}  // namespace

PatternConfig PatternConfig::parse(const json& cfg, ConfigErrors* errors) {
  ConfigErrors local;
  Section root(cfg, "", errors ? *errors : local);
  PatternConfig c;
  root.known({"topic", "max_nodes", "stale_after_s", "max_listed", "sustain_samples", "clear_samples", "baseline",
              "stall", "eclipse", "partition", "tx_flood", "hashrate", "resource"});
  c.topic = root.text("topic", c.topic);
  if (c.topic.empty()) root.errors().add("/topic", "must not be empty");
  c.max_nodes = root.integer("max_nodes", c.max_nodes, 1, 10'000'000);
  c.stale_after_s = root.number("stale_after_s", c.stale_after_s, 1, 7 * 86400.0);
  c.max_listed = root.integer("max_listed", c.max_listed, 1, 100'000);
  c.sustain_samples = root.integer("sustain_samples", c.sustain_samples, 1, 1000);
  c.clear_samples = root.integer("clear_samples", c.clear_samples, 1, 1000);

  Section b = root.child("baseline");
  b.known({"window", "warmup", "min_z"});
  c.baseline.window = b.integer("window", c.baseline.window, 3, 4096);
  c.baseline.warmup = b.integer("warmup", c.baseline.warmup, 1, 4096);
  c.baseline.min_z = b.number("min_z", c.baseline.min_z, 0, 100);
  if (c.baseline.warmup > c.baseline.window) b.errors().add("/baseline/warmup", "must not exceed /baseline/window");

  Section s = root.child("stall");
  s.known({"intervals", "min_lag_blocks", "block_interval_s", "default_block_interval_s"});
  c.stall.intervals = s.number("intervals", c.stall.intervals, 1, 1000);
  c.stall.min_lag_blocks = s.number("min_lag_blocks", c.stall.min_lag_blocks, 0, 1e6);
  c.stall.default_block_interval_s = s.number("default_block_interval_s", c.stall.default_block_interval_s, 0.001, 86400);
  read_block_intervals(s, c.stall);

  Section e = root.child("eclipse");
  e.known({"max_peers", "min_baseline_peers", "latency_factor"});
  c.eclipse.max_peers = e.number("max_peers", c.eclipse.max_peers, 0, 1e6);
  c.eclipse.min_baseline_peers = e.number("min_baseline_peers", c.eclipse.min_baseline_peers, 0, 1e6);
  c.eclipse.latency_factor = e.number("latency_factor", c.eclipse.latency_factor, 0, 1000);

  Section p = root.child("partition");
  p.known({"min_nodes", "window_s", "latency_factor", "peer_factor", "sustain_samples"});
  c.partition.min_nodes = p.integer("min_nodes", c.partition.min_nodes, 2, 100000);
  c.partition.window_s = p.number("window_s", c.partition.window_s, 0, 86400);
  c.partition.latency_factor = p.number("latency_factor", c.partition.latency_factor, 1, 1000);
  c.partition.peer_factor = p.number("peer_factor", c.partition.peer_factor, 0, 1);
  c.partition.sustain_samples = p.integer("sustain_samples", c.partition.sustain_samples, 1, 1000);

  Section t = root.child("tx_flood");
  t.known({"factor", "min_rate", "rate_window_s", "window_blocks"});
  c.tx_flood.factor = t.number("factor", c.tx_flood.factor, 1.01, 1e6);
  c.tx_flood.min_rate = t.number("min_rate", c.tx_flood.min_rate, 0, 1e9);
  c.tx_flood.rate_window_s = t.number("rate_window_s", c.tx_flood.rate_window_s, 0, 86400);
  c.tx_flood.window_blocks = t.number("window_blocks", c.tx_flood.window_blocks, 0, 1000);

  Section h = root.child("hashrate");
  h.known({"drop_factor", "surge_factor"});
  c.hashrate.drop_factor = h.number("drop_factor", c.hashrate.drop_factor, 0, 0.99);
  c.hashrate.surge_factor = h.number("surge_factor", c.hashrate.surge_factor, 1.01, 1e6);

  Section r = root.child("resource");
  r.known({"cpu_pct", "memory_pct", "sustain_samples"});
  c.resource.cpu_pct = r.number("cpu_pct", c.resource.cpu_pct, 1, 100);
  c.resource.memory_pct = r.number("memory_pct", c.resource.memory_pct, 1, 100);
  c.resource.sustain_samples = r.integer("sustain_samples", c.resource.sustain_samples, 1, 1000);

  if (!errors && !local.empty()) throw Error(NEBULA_INVALID, local.text());
  return c;
}

double PatternConfig::block_interval(const std::string& chain_id, const std::string& node_type) const {
  const auto& m = stall.block_interval_s;
  if (auto it = m.find(chain_id); it != m.end()) return it->second;
  if (auto it = m.find(node_type); it != m.end()) return it->second;
  for (const auto& [key, seconds] : m)
    if (!key.empty() && chain_id.find(key) != std::string::npos) return seconds;
  return stall.default_block_interval_s;
}

}  // namespace nebula::pattern

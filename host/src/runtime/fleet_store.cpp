#include "runtime/fleet_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "runtime/thread_json_parser.hpp"

namespace nebula::host {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kAnomalousScore = 0.5;  // the Analyst's own cut-off (anomalies.counts.anomalous)

// Health states, worst first: the fleet list sorts by this order.
constexpr std::array<const char*, 4> kHealthOrder = {"incident", "degraded", "silent", "healthy"};

size_t health_rank(const std::string& health) {
  for (size_t i = 0; i < kHealthOrder.size(); ++i)
    if (health == kHealthOrder[i]) return i;
  return kHealthOrder.size();
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

FleetStore::FleetStore(Metrics& metrics) : metrics_(metrics) {
  metrics_.describe("nebula_console_nodes_tracked", Metrics::Type::Gauge,
                    "Nodes the console's fleet store holds (chain, type, health, last hour of metrics)");
  metrics_.describe("nebula_console_nodes_capacity", Metrics::Type::Gauge,
                    "Nodes the console's fleet store can hold; more are counted as untracked");
  metrics_.describe("nebula_console_nodes_untracked_total", Metrics::Type::Counter,
                    "Records of nodes the console's fleet store had no room for (it holds at most "
                    "nebula_console_nodes_capacity nodes)");
  metrics_.set("nebula_console_nodes_capacity", {}, static_cast<double>(kMaxNodes));
  metrics_.set("nebula_console_nodes_tracked", {}, 0);
  metrics_.add("nebula_console_nodes_untracked_total", {}, 0);
}

void FleetStore::observe(const std::vector<const Record*>& records) {
  if (records.empty()) return;
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  for (const Record* r : records) observe_one(*r, now);
}

void FleetStore::observe_one(const Record& r, SteadyClock::time_point now) {
  if (r.node_id.empty()) return;
  auto it = nodes_.find(r.node_id);
  if (it == nodes_.end()) {
    if (nodes_.size() >= kMaxNodes) {
      ++untracked_;
      metrics_.add("nebula_console_nodes_untracked_total", {});
      uint64_t held = 0;
      if (untracked_log_.allow(held))
        spdlog::warn("console: fleet store full ({} nodes); node '{}' is not shown ({} records untracked so far)",
                     kMaxNodes, r.node_id, untracked_);
      return;
    }
    it = nodes_.emplace(r.node_id, Node{}).first;
    it->second.latest.fill(kNaN);
  }
  Node& n = it->second;
  if (!r.chain_id.empty()) n.chain_id = r.chain_id;
  if (!r.node_type.empty()) n.node_type = r.node_type;
  n.last_seen = now;
  if (r.timestamp < n.last_record - 3600) return;  // older than the node's hour: nothing to draw it in
  n.last_record = std::max(n.last_record, r.timestamp);

  std::array<float, kMetricCount> v;
  v.fill(kNaN);
  if (r.current_height) {
    n.height = *r.current_height;
    int64_t& top = chain_height_[n.chain_id];
    top = std::max(top, *r.current_height);
    v[HeightLag] = static_cast<float>(top - *r.current_height);
  }
  if (r.peer_count) v[Peers] = static_cast<float>(*r.peer_count);
  if (r.latency_ms) v[Latency] = static_cast<float>(*r.latency_ms);
  if (r.cpu_usage) v[Cpu] = static_cast<float>(*r.cpu_usage);
  if (r.memory_usage) v[Memory] = static_cast<float>(*r.memory_usage);
  if (r.transaction_count) {
    // A counter: the rate is its rise over time; a fall is a node restart.
    if (n.tx_count && r.timestamp > n.tx_count_at && *r.transaction_count >= *n.tx_count)
      v[TxRate] = static_cast<float>(static_cast<double>(*r.transaction_count - *n.tx_count) / (r.timestamp - n.tx_count_at));
    if (r.timestamp >= n.tx_count_at) {
      n.tx_count = r.transaction_count;
      n.tx_count_at = r.timestamp;
    }
  }

  const auto minute = static_cast<int32_t>(std::floor(r.timestamp / 60.0));
  Bucket& b = n.minutes[static_cast<size_t>(minute) % kMinutes];
  if (b.minute != minute) {
    if (b.minute > minute) return;  // the slot holds a newer minute: this one is out of the hour
    b = Bucket{};
    b.minute = minute;
  }
  for (size_t m = 0; m < kMetricCount; ++m) {
    if (std::isnan(v[m])) continue;
    n.latest[m] = v[m];
    if (b.count[m] == UINT16_MAX) continue;
    ++b.count[m];
    b.mean[m] += (v[m] - b.mean[m]) / b.count[m];
  }
}

// Read with simdjson on the emitting thread, only the fields shown: with tens
// of incidents open, a nlohmann DOM of every `patterns` insight was 30 % of
// the pattern processor's time (perf, issue 15).
void FleetStore::on_insight(const OwnedInsight& insight) {
  const bool patterns = insight.topic == "patterns", health = insight.topic == "health";
  if (!patterns && !health && insight.topic != "anomalies") return;
  simdjson::dom::element doc;
  if (parse_on_this_thread(insight.json).get(doc) || !doc.is_object()) return;
  std::lock_guard lock(mu_);
  const bool understood = patterns ? on_patterns(doc) : health ? on_health(doc) : on_anomalies(doc);
  // Producers are schema-checked in their own tests; a surprise is logged, not fatal.
  if (!understood)
    spdlog::warn("console: {} insight from {} not understood in part; that part is skipped", insight.topic,
                 insight.source);
}

namespace {

// The member's string; "" when it is missing. `ok` turns false when it is there but not a string.
std::string_view string_member(simdjson::dom::element object, std::string_view key, bool& ok) {
  simdjson::dom::element value;
  if (object[key].get(value)) return {};
  std::string_view s;
  if (value.get(s)) ok = false;
  return s;
}

// fn(node, item) for each item of doc["nodes"] whose node_id is tracked.
template <class Nodes, class Fn>
bool each_listed_node(simdjson::dom::element doc, Nodes& nodes, Fn fn) {
  simdjson::dom::array items;
  if (doc["nodes"].get(items)) return true;
  bool ok = true;
  for (simdjson::dom::element item : items) {
    if (!item.is_object()) {
      ok = false;
      continue;
    }
    if (auto it = nodes.find(std::string(string_member(item, "node_id", ok))); it != nodes.end()) fn(it->second, item);
  }
  return ok;
}

}  // namespace

// `active` is the recognizer's complete current view: it replaces the last one.
bool FleetStore::on_patterns(simdjson::dom::element doc) {
  simdjson::dom::array active;
  if (doc["active"].get(active)) return true;
  in_incident_.clear();
  incidents_open_ = active.size();
  bool ok = true;
  for (simdjson::dom::element inc : active) {
    if (!inc.is_object()) {
      ok = false;
      continue;
    }
    const std::string id(string_member(inc, "id", ok));
    std::string_view node_id;
    if (!inc["node_id"].get(node_id)) in_incident_[std::string(node_id)].insert(id);
    simdjson::dom::array nodes;
    if (!inc["nodes"].get(nodes))
      for (simdjson::dom::element node : nodes)
        if (std::string_view member; !node.get(member)) in_incident_[std::string(member)].insert(id);
  }
  return ok;
}

bool FleetStore::on_health(simdjson::dom::element doc) {
  return each_listed_node(doc, nodes_, [](auto& node, simdjson::dom::element item) {
    std::string_view band;
    if (!item["band"].get(band)) node.health_band = band;
  });
}

bool FleetStore::on_anomalies(simdjson::dom::element doc) {
  return each_listed_node(doc, nodes_, [](auto& node, simdjson::dom::element item) {
    double score = 0;
    if (!item["score"].get(score)) node.analyst_score = score;
  });
}

void FleetStore::sample_pool(const PoolSample& sample) {
  std::lock_guard lock(mu_);
  pool_.push_back(sample);
  while (pool_.size() > kPoolSamples) pool_.pop_front();
}

void FleetStore::sample_agent(const std::string& agent, const nlohmann::json& stats, double now) {
  if (!stats.is_object()) return;
  nlohmann::json values = nlohmann::json::object();
  for (const char* key : {"steps", "train_loss", "val_loss", "version", "samples_seen", "examples", "examples_skipped"})
    values[key] = stats.contains(key) && stats[key].is_number() ? stats[key] : nlohmann::json(nullptr);
  std::lock_guard lock(mu_);
  auto& points = agents_[agent];
  points.push_back({now, std::move(values)});
  while (points.size() > kPoolSamples) points.pop_front();
}

void FleetStore::sweep() {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  std::erase_if(nodes_, [&](const auto& entry) { return now - entry.second.last_seen > kForgetAfter; });
  metrics_.set("nebula_console_nodes_tracked", {}, static_cast<double>(nodes_.size()));
}

size_t FleetStore::nodes() const {
  std::lock_guard lock(mu_);
  return nodes_.size();
}

std::string FleetStore::health_of(const std::string& id, const Node& n, SteadyClock::time_point now) const {
  if (in_incident_.count(id)) return "incident";
  if (now - n.last_seen > kSilentAfter) return "silent";
  if (n.health_band == "degraded" || n.health_band == "unhealthy" || n.analyst_score >= kAnomalousScore)
    return "degraded";
  return "healthy";
}

nlohmann::json FleetStore::node_summary(const std::string& id, const Node& n, SteadyClock::time_point now) const {
  nlohmann::json out{{"node_id", id},
                     {"chain_id", n.chain_id},
                     {"node_type", n.node_type},
                     {"health", health_of(id, n, now)},
                     {"last_record", n.last_record},
                     {"seen_s_ago", std::chrono::duration<double>(now - n.last_seen).count()},
                     {"height", n.height ? nlohmann::json(*n.height) : nlohmann::json(nullptr)},
                     {"analyst_score", number_or_null(n.analyst_score)},
                     {"resonant_band", n.health_band.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.health_band)}};
  for (size_t m = 0; m < kMetricCount; ++m) out[kMetricNames[m]] = number_or_null(n.latest[m]);
  if (auto it = in_incident_.find(id); it != in_incident_.end()) out["incidents"] = it->second;
  return out;
}

nlohmann::json FleetStore::fleet_json(const FleetQuery& q) const {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  // Counts per chain and type over every node; the page over the filtered ones.
  std::map<std::pair<std::string, std::string>, std::map<std::string, size_t>> groups;
  struct Row {
    size_t rank;
    const std::string* id;
    const Node* node;
  };
  std::vector<Row> rows;
  for (const auto& [id, n] : nodes_) {
    const std::string health = health_of(id, n, now);
    ++groups[{n.chain_id, n.node_type}][health];
    if ((!q.chain_id.empty() && n.chain_id != q.chain_id) || (!q.node_type.empty() && n.node_type != q.node_type) ||
        (!q.health.empty() && health != q.health) || (!q.search.empty() && id.find(q.search) == std::string::npos))
      continue;
    rows.push_back({health_rank(health), &id, &n});
  }
  const size_t end = std::min(rows.size(), q.offset + q.limit);
  const auto worst_first = [](const Row& a, const Row& b) { return a.rank != b.rank ? a.rank < b.rank : *a.id < *b.id; };
  if (q.offset < end) std::partial_sort(rows.begin(), rows.begin() + static_cast<long>(end), rows.end(), worst_first);
  nlohmann::json page = nlohmann::json::array();
  for (size_t i = q.offset; i < end; ++i) page.push_back(node_summary(*rows[i].id, *rows[i].node, now));

  nlohmann::json group_list = nlohmann::json::array();
  for (const auto& [key, counts] : groups) {
    nlohmann::json g{{"chain_id", key.first}, {"node_type", key.second}, {"total", 0}};
    size_t total = 0;
    for (const char* h : kHealthOrder) {
      const auto it = counts.find(h);
      const size_t c = it == counts.end() ? 0 : it->second;
      g[h] = c;
      total += c;
    }
    g["total"] = total;
    group_list.push_back(std::move(g));
  }
  return {{"generated_at", wall_seconds()},
          {"nodes_tracked", nodes_.size()},
          {"nodes_capacity", kMaxNodes},
          {"records_untracked", untracked_},
          {"incidents_open", incidents_open_},
          {"groups", group_list},
          {"matching", rows.size()},
          {"offset", q.offset},
          {"limit", q.limit},
          {"nodes", page}};
}

std::optional<nlohmann::json> FleetStore::node_json(const std::string& node_id) const {
  const auto now = SteadyClock::now();
  std::lock_guard lock(mu_);
  const auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return std::nullopt;
  const Node& n = it->second;
  // The node's last hour of record time, oldest minute first; a minute with
  // no record of a metric is null (a gap, not a zero).
  const auto newest = static_cast<int32_t>(std::floor(n.last_record / 60.0));
  nlohmann::json times = nlohmann::json::array();
  std::array<nlohmann::json, kMetricCount> columns;
  for (auto& c : columns) c = nlohmann::json::array();
  for (int32_t minute = newest - static_cast<int32_t>(kMinutes) + 1; minute <= newest; ++minute) {
    const Bucket& b = n.minutes[static_cast<size_t>(minute) % kMinutes];
    if (b.minute != minute) continue;
    times.push_back(static_cast<double>(minute) * 60.0);
    for (size_t m = 0; m < kMetricCount; ++m)
      columns[m].push_back(b.count[m] ? nlohmann::json(b.mean[m]) : nlohmann::json(nullptr));
  }
  nlohmann::json series{{"time", times}, {"resolution_s", 60}};
  for (size_t m = 0; m < kMetricCount; ++m) series[kMetricNames[m]] = std::move(columns[m]);
  return nlohmann::json{{"node", node_summary(node_id, n, now)}, {"series", series}};
}

nlohmann::json FleetStore::history_json() const {
  std::lock_guard lock(mu_);
  // Rates between consecutive samples; queue and log sizes as sampled.
  nlohmann::json pool = {{"time", nlohmann::json::array()},
                         {"ingest_rate", nlohmann::json::array()},
                         {"processed_rate", nlohmann::json::array()},
                         {"rejected_rate", nlohmann::json::array()},
                         {"insight_rate", nlohmann::json::array()},
                         {"queue_depth", nlohmann::json::array()},
                         {"wal_bytes", nlohmann::json::array()}};
  const auto rate = [](uint64_t now, uint64_t before, double dt) {
    return dt > 0 && now >= before ? nlohmann::json(static_cast<double>(now - before) / dt) : nlohmann::json(nullptr);
  };
  for (size_t i = 1; i < pool_.size(); ++i) {
    const PoolSample& a = pool_[i - 1];
    const PoolSample& b = pool_[i];
    const double dt = b.time - a.time;
    pool["time"].push_back(b.time);
    pool["ingest_rate"].push_back(rate(b.records_accepted, a.records_accepted, dt));
    pool["processed_rate"].push_back(rate(b.records_processed, a.records_processed, dt));
    pool["rejected_rate"].push_back(rate(b.records_rejected, a.records_rejected, dt));
    pool["insight_rate"].push_back(rate(b.insights, a.insights, dt));
    pool["queue_depth"].push_back(b.queue_depth);
    pool["wal_bytes"].push_back(b.wal_bytes);
  }
  nlohmann::json agents = nlohmann::json::object();
  for (const auto& [name, points] : agents_) {
    nlohmann::json cols = {{"time", nlohmann::json::array()}};
    for (const auto& p : points) {
      cols["time"].push_back(p.time);
      for (const auto& [key, value] : p.values.items()) cols[key].push_back(value);
    }
    agents[name] = std::move(cols);
  }
  return {{"sample_period_s", kSamplePeriod.count()}, {"pool", pool}, {"agents", agents}};
}

}  // namespace nebula::host

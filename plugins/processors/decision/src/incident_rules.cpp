#include "nebula_decision/incident_rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reason_text.hpp"

namespace nebula::decision {

namespace {

using nlohmann::json;

double value_of(const IncidentView& inc, const char* metric, const char* field) {
  const json* e = inc.metric(metric);
  if (!e || !e->contains(field) || !(*e)[field].is_number()) return std::nan("");
  return (*e)[field].get<double>();
}

// Built key by key: a nlohmann initializer list makes a temporary array per
// pair, and these run per candidate per cycle (a quarter of a decision's
// instructions went to initializer lists, callgrind #15).
json incident_ref(const IncidentView& inc) {
  json ref = json::object();
  ref["id"] = inc.id;
  ref["kind"] = inc.kind;
  ref["severity"] = inc.severity;
  ref["start"] = inc.start;
  return ref;
}

Recommendation make(Action action, const std::string& target, const IncidentView& inc, double score,
                    std::string reason) {
  Recommendation r;
  r.action = action;
  r.target = target;
  r.chain_target = target == inc.chain_id && inc.chain_wide();
  r.chain_id = inc.chain_id;
  r.score = std::clamp(score, 0.0, 1.0);
  r.reason = std::move(reason);
  r.since = inc.start;
  r.evidence["incidents"] = json::array();
  r.evidence["incidents"].push_back(incident_ref(inc));
  r.evidence["sources"] = json::array();
  r.evidence["sources"].push_back("patterns");
  r.metrics = inc.evidence;
  return r;
}

std::string where(const IncidentView& inc) { return inc.chain_id.empty() ? "" : " (" + inc.chain_id + ")"; }

// A stall on a node that is also cut off (eclipse, partition) is most
// likely the network's doing: adding peers comes first, resync second.
Recommendation for_stall(const IncidentView& inc, const IncidentView* cut_off) {
  const double height = value_of(inc, "blockchain.current_height", "value");
  const double tip = value_of(inc, "blockchain.current_height", "baseline");
  const double silent = value_of(inc, "seconds_without_progress", "value");
  const double interval = value_of(inc, "seconds_without_progress", "baseline");
  std::string reason = "Node " + inc.node_id + where(inc) + " has been stuck at height " + num(height, 0) +
                       " for " + num(silent, 0) + " s";
  if (std::isfinite(interval) && interval > 0) reason += " (~" + num(silent / interval, 0) + " expected blocks)";
  reason += " while the chain tip reached " + num(tip, 0);
  if (std::isfinite(tip) && std::isfinite(height)) reason += " (" + num(tip - height, 0) + " blocks ahead)";
  reason += "; resync it from a healthy peer.";
  double score = 0.55 + 0.35 * inc.severity;
  if (cut_off) {
    reason += " It is also in an open " + cut_off->kind + ", which likely explains the stall: add peers first.";
    score *= 0.7;
  }
  return make(Action::Resync, inc.node_id, inc, score, std::move(reason));
}

Recommendation for_eclipse(const IncidentView& inc) {
  const double peers = value_of(inc, "network.peer_count", "value");
  const double usual = value_of(inc, "network.peer_count", "baseline");
  const double lat = value_of(inc, "network.average_latency", "value");
  const double usual_lat = value_of(inc, "network.average_latency", "baseline");
  std::string reason = "Node " + inc.node_id + where(inc) + " is down to " + num(peers, 0) + " peers (usually " +
                       num(usual, 0) + ")";
  if (std::isfinite(lat)) reason += " with latency " + num(lat, 0) + " ms (usually " + num(usual_lat, 0) + " ms)";
  reason += ": it may be eclipsed; connect it to additional trusted peers.";
  return make(Action::AddPeers, inc.node_id, inc, 0.55 + 0.35 * inc.severity, std::move(reason));
}

std::vector<Recommendation> for_partition(const IncidentView& inc) {
  std::string members;
  for (std::size_t i = 0; i < inc.nodes.size(); ++i) members += (i ? ", " : "") + inc.nodes[i];
  const double lat = value_of(inc, "network.average_latency", "value");
  const double usual_lat = value_of(inc, "network.average_latency", "baseline");
  const double peers = value_of(inc, "network.peer_count", "value");
  const double usual_peers = value_of(inc, "network.peer_count", "baseline");
  std::string reason = std::to_string(inc.nodes.size()) + " nodes of chain " + inc.chain_id + " (" + members +
                       ") lost peers (" + num(peers, 1) + " vs usually " + num(usual_peers, 1) +
                       ") and saw latency rise (" + num(lat, 0) + " ms vs " + num(usual_lat, 0) +
                       " ms) together: likely a network partition; investigate connectivity between them.";
  std::vector<Recommendation> out;
  out.push_back(make(Action::Investigate, inc.chain_id, inc, 0.6 + 0.35 * inc.severity, std::move(reason)));
  out.back().chain_target = true;
  out.back().evidence["nodes"] = inc.nodes;
  for (const auto& node : inc.nodes)
    out.push_back(make(Action::AddPeers, node, inc, 0.4 + 0.3 * inc.severity,
                       "Node " + node + " is on the cut-off side of a partition of " + inc.chain_id +
                           "; add peers outside its group."));
  return out;
}

Recommendation for_tx_flood(const IncidentView& inc) {
  const double rate = value_of(inc, "transaction_rate", "value");
  const double usual = value_of(inc, "transaction_rate", "baseline");
  std::string reason = "Node " + inc.node_id + where(inc) + " sees " + num(rate, 1) + " tx/s, " +
                       (usual > 0 ? num(rate / usual, 1) + "x" : "far above") + " its usual " + num(usual, 1) +
                       " tx/s: possible spam or a flooding peer; investigate its transaction sources.";
  return make(Action::Investigate, inc.node_id, inc, 0.45 + 0.35 * inc.severity, std::move(reason));
}

Recommendation for_hashrate(const IncidentView& inc, bool surge) {
  const double v = value_of(inc, "blockchain.mining_hash_rate", "value");
  const double usual = value_of(inc, "blockchain.mining_hash_rate", "baseline");
  std::string reason = "Node " + inc.node_id + where(inc) + " mining hash rate " + (surge ? "jumped" : "fell") +
                       " to " + num(v, 1) + " (usually " + num(usual, 1) + ", " +
                       (usual > 0 ? num(v / usual, 2) + "x" : "?") + "); " +
                       (surge ? "verify the added hash power is legitimate (majority-hash risk)."
                              : "check the miner's hardware and pool connection.");
  return make(Action::Investigate, inc.node_id, inc, (surge ? 0.45 : 0.4) + 0.35 * inc.severity, std::move(reason));
}

Recommendation for_resources(const IncidentView& inc) {
  const double cpu = value_of(inc, "performance.cpu_usage", "value");
  const double mem = value_of(inc, "performance.memory_usage", "value");
  std::string reason = "Node " + inc.node_id + where(inc) + " is saturated (cpu " + num(cpu, 0) + " %, memory " +
                       num(mem, 0) + " %); give it more CPU/memory or move load off it.";
  return make(Action::ScaleResources, inc.node_id, inc, 0.5 + 0.4 * inc.severity, std::move(reason));
}

Recommendation for_unknown(const IncidentView& inc) {
  const std::string target = !inc.node_id.empty() ? inc.node_id : !inc.chain_id.empty() ? inc.chain_id : inc.nodes.front();
  Recommendation r = make(Action::Investigate, target, inc, 0.3 + 0.3 * inc.severity,
                          "A '" + inc.kind + "' incident is open on " + target + " (severity " +
                              num(inc.severity, 2) + "); investigate.");
  r.chain_target = inc.chain_wide();
  return r;
}

bool security_kind(const std::string& kind) {
  return kind == "eclipse" || kind == "tx_flood" || kind == "hashrate_surge";
}

std::string kind_counts(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [kind, n] : counts) out += (out.empty() ? "" : ", ") + kind + " x" + std::to_string(n);
  return out;
}

// Quarantine: only for a node that misbehaves again and again, or badly once.
void add_quarantines(const IncidentRefs& active, const IncidentHistory& history,
                     const DecisionConfig& config, double now, std::vector<Recommendation>& out) {
  std::map<std::string, std::vector<const IncidentView*>> by_node;
  for (const IncidentView& inc : active)
    if (!inc.chain_wide() && counts_towards_quarantine(inc.kind)) by_node[inc.node_id].push_back(&inc);

  for (const auto& [node, incs] : by_node) {
    const auto recent = history.recent(node, now, config.repeat_window_s, counts_towards_quarantine);
    int total = 0;
    for (const auto& [k, n] : recent) total += n;
    const IncidentView* severe = nullptr;
    for (const auto* inc : incs)
      if (security_kind(inc->kind) && inc->severity >= config.quarantine_severity &&
          (!severe || inc->severity > severe->severity))
        severe = inc;
    const bool repeated = total >= config.quarantine_after;
    if (!repeated && !severe) continue;

    const IncidentView& lead = severe ? *severe : *incs.front();
    std::string reason;
    if (repeated)
      reason = "Node " + node + " had " + std::to_string(total) + " incidents in the last " +
               num(config.repeat_window_s / 3600, 1) + " h (" + kind_counts(recent) + ") and is affected again";
    if (severe)
      reason += std::string(repeated ? "; " : "Node " + node + " shows ") + "a severe " + severe->kind +
                " (severity " + num(severe->severity, 2) + ")";
    reason += ": quarantine it (stop trusting its data and peers) until an operator has checked it.";
    const double over = repeated ? std::min(1.0, double(total - config.quarantine_after + 1) / config.quarantine_after)
                                 : 0.0;
    Recommendation r = make(Action::Quarantine, node, lead, 0.75 + 0.2 * std::max(over, severe ? severe->severity : 0),
                            std::move(reason));
    r.evidence["incidents"] = json::array();
    for (const auto* inc : incs) {
      r.evidence["incidents"].push_back(incident_ref(*inc));
      r.since = std::min(r.since, inc->start);
    }
    r.evidence["recent_incidents"] = recent;
    r.evidence["window_s"] = config.repeat_window_s;
    out.push_back(std::move(r));
  }
}

}  // namespace

bool counts_towards_quarantine(const std::string& kind) {
  return kind == "stall" || kind == "eclipse" || kind == "tx_flood" || kind == "hashrate_drop" ||
         kind == "hashrate_surge";
}

std::vector<Recommendation> recommend_for_incidents(const IncidentRefs& active,
                                                    const IncidentHistory& history, const DecisionConfig& config,
                                                    double now) {
  std::map<std::string, const IncidentView*> cut_off;  // node -> its eclipse or partition
  for (const IncidentView& inc : active) {
    if (inc.kind == "eclipse" && !inc.node_id.empty()) cut_off[inc.node_id] = &inc;
    if (inc.kind == "partition")
      for (const auto& n : inc.nodes) cut_off[n] = &inc;
  }
  std::vector<Recommendation> out;
  for (const IncidentView& inc : active) {
    if (inc.kind == "stall" && !inc.node_id.empty()) {
      auto it = cut_off.find(inc.node_id);
      out.push_back(for_stall(inc, it == cut_off.end() ? nullptr : it->second));
    }
    else if (inc.kind == "eclipse" && !inc.node_id.empty()) out.push_back(for_eclipse(inc));
    else if (inc.kind == "partition" && !inc.chain_id.empty()) {
      for (auto& r : for_partition(inc)) out.push_back(std::move(r));
    } else if (inc.kind == "tx_flood" && !inc.node_id.empty()) out.push_back(for_tx_flood(inc));
    else if (inc.kind == "hashrate_drop" && !inc.node_id.empty()) out.push_back(for_hashrate(inc, false));
    else if (inc.kind == "hashrate_surge" && !inc.node_id.empty()) out.push_back(for_hashrate(inc, true));
    else if (inc.kind == "resource_exhaustion" && !inc.node_id.empty()) out.push_back(for_resources(inc));
    else out.push_back(for_unknown(inc));
  }
  add_quarantines(active, history, config, now, out);
  return out;
}

}  // namespace nebula::decision

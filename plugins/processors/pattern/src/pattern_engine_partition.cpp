// The chain-level half of partition detection: group nodes whose own
// "degraded" episodes began together, and keep each group's incident current.
#include <algorithm>
#include <map>
#include <string>

#include "nebula_pattern/pattern_engine.hpp"
#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

namespace {

// When did this node's current degradation begin? false if it is not degraded.
bool degraded_since(const NodeState& node, double* since) {
  const Episode& deg = node.episodes[index(Kind::Partition)];
  if (!deg.active()) return false;
  *since = deg.first_anomalous();
  return true;
}

}  // namespace

void PatternEngine::update_partition(ChainState& chain, BatchReport& report) {
  const double window = config_.partition.window_s;
  // A run that joins, forms or ends a partition leaves it stale: the next
  // run may find more to do (a loose node now within a new one's window).
  chain.partitions_stale = false;
  // Degraded nodes that no open partition explains yet, in id order.
  std::vector<std::pair<double, std::string>> loose;
  for (const auto& [id, member] : chain.degraded)
    if (double since; degraded_since(*member, &since) && !chain.partition_of(id))
      loose.emplace_back(since, id);

  // Late joiners: a node whose degradation began within the window of an
  // open partition's start belongs to it.
  std::vector<std::pair<double, std::string>> unclaimed;
  for (auto& [since, id] : loose) {
    Incident* home = nullptr;
    for (auto& p : chain.partitions)
      if (since >= p.start - window && since <= p.start + window) home = &p;
    if (!home) {
      unclaimed.emplace_back(since, id);
      continue;
    }
    home->nodes.insert(std::upper_bound(home->nodes.begin(), home->nodes.end(), id), id);
    chain.partitions_stale = true;
  }

  // New partitions from what is left.
  std::size_t first_new = chain.partitions.size();
  while (unclaimed.size() >= static_cast<std::size_t>(config_.partition.min_nodes)) {
    auto members = partition_.find_cluster(unclaimed);
    if (members.empty()) break;
    Incident inc;
    inc.kind = Kind::Partition;
    inc.chain_id = chain.chain_id();
    inc.nodes = std::move(members);
    for (const auto& [since, id] : unclaimed)
      if (std::binary_search(inc.nodes.begin(), inc.nodes.end(), id) && !(inc.start <= since)) inc.start = since;
    inc.id = incident_id(Kind::Partition, chain.chain_id(), inc.start);
    std::erase_if(unclaimed, [&](const auto& u) { return std::binary_search(inc.nodes.begin(), inc.nodes.end(), u.second); });
    chain.partitions.push_back(std::move(inc));
    chain.partitions_stale = true;
  }

  for (std::size_t i = 0; i < chain.partitions.size();) {
    if (refresh_partition(chain.partitions[i], i >= first_new, report)) {
      ++i;
    } else {
      chain.partitions.erase(chain.partitions.begin() + static_cast<std::ptrdiff_t>(i));
      if (i < first_new) --first_new;
      chain.partitions_stale = true;
    }
  }
}

// Updates evidence and severity; reports it started (when just formed) or
// ended (when no member is degraded any more). Returns false once ended.
bool PatternEngine::refresh_partition(Incident& inc, bool formed, BatchReport& report) {
  for (const auto& id : inc.nodes) supersede_eclipse(member(id), clock_, report);

  // Evidence: how many members are still degraded, and their mean peers and
  // latency against their own baselines.
  double peers = 0, usual_peers = 0, lat = 0, usual_lat = 0, cleared = kMissing;
  int n_peers = 0, n_lat = 0, still = 0;
  for (const auto& id : inc.nodes) {
    const NodeState& n = member(id);
    const Episode& deg = n.episodes[index(Kind::Partition)];
    if (!deg.idle()) {
      ++still;
      if (!(inc.last_seen >= n.last_ts)) inc.last_seen = n.last_ts;
    } else if (present(deg.clear_start()) && !(cleared >= deg.clear_start())) {
      cleared = deg.clear_start();
    }
    if (present(n.network.last_peers) && present(n.network.peers.median())) {
      peers += n.network.last_peers;
      usual_peers += n.network.peers.median();
      ++n_peers;
    }
    if (present(n.network.last_latency) && present(n.network.latency.median())) {
      lat += n.network.last_latency;
      usual_lat += n.network.latency.median();
      ++n_lat;
    }
  }
  if (still > 0) {
    const double share = static_cast<double>(inc.nodes.size()) / config_.partition.min_nodes;
    double sev = severity_above(share, 1.0, 3.0);
    if (n_lat > 0 && usual_lat > 0)
      sev = std::max(sev, severity_above(lat / usual_lat, config_.partition.latency_factor,
                                         3 * config_.partition.latency_factor));
    inc.severity = std::max(inc.severity, sev);
    inc.evidence.clear();
    inc.evidence.push_back(
        make_evidence("degraded_nodes", static_cast<double>(still), static_cast<double>(config_.partition.min_nodes)));
    if (n_peers) inc.evidence.push_back(make_evidence("network.peer_count", peers / n_peers, usual_peers / n_peers));
    if (n_lat) inc.evidence.push_back(make_evidence("network.average_latency", lat / n_lat, usual_lat / n_lat));
  }
  if (formed) report.started.push_back(inc);
  if (still > 0) return true;
  inc.end = present(cleared) ? cleared : clock_;
  inc.end_reason = "recovered";
  report.ended.push_back(std::move(inc));
  return false;
}

void PatternEngine::supersede_eclipse(NodeState& node, double ts, BatchReport& report) {
  Episode& ep = node.episodes[index(Kind::Eclipse)];
  auto& inc = node.incidents[index(Kind::Eclipse)];
  if (inc) {
    inc->end = ts;
    inc->end_reason = "superseded";
    report.ended.push_back(std::move(*inc));
    inc.reset();
    closed(node, Kind::Eclipse);
  }
  ep.reset();
}

}  // namespace nebula::pattern

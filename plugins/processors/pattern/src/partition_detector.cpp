#include "nebula_pattern/partition_detector.hpp"

#include <algorithm>

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

Verdict PartitionDetector::degraded(const Sample& s, const NetworkState& net) const {
  if (!present(s.peers) || !net.peers.ready()) return Verdict::unknown();
  const double usual_peers = net.peers.median();
  if (!(usual_peers > 0)) return Verdict::unknown();
  // Peer counts are small integers: a node that usually has 12 peers moves
  // by 2-3 on its own, so the relative drop carries the weight and the noise
  // guard on peers is half the usual one.
  const bool peers_down = s.peers <= config_.peer_factor * usual_peers && net.peers.z(s.peers, 0.05) >= min_z_ / 2;

  bool latency_up = true;  // nodes without latency are judged on peers alone
  double latency_ratio = kMissing;
  if (present(s.latency_ms)) {
    if (!net.latency.ready()) return Verdict::unknown();
    latency_ratio = s.latency_ms / net.latency.median();
    latency_up = latency_ratio >= config_.latency_factor && net.latency.z(s.latency_ms, 0.05) >= min_z_;
  }
  if (!peers_down || !latency_up) return Verdict::normal();

  Verdict v = Verdict::normal();
  v.anomalous = true;
  const double peer_sev = severity_below(s.peers / usual_peers, config_.peer_factor, 0);
  v.severity = present(latency_ratio)
                   ? (peer_sev + severity_above(latency_ratio, config_.latency_factor, 3 * config_.latency_factor)) / 2
                   : peer_sev;
  v.evidence.push_back(make_evidence("network.peer_count", s.peers, usual_peers));
  if (present(s.latency_ms))
    v.evidence.push_back(make_evidence("network.average_latency", s.latency_ms, net.latency.median()));
  return v;
}

std::vector<std::string> PartitionDetector::find_cluster(std::vector<std::pair<double, std::string>> degraded) const {
  std::sort(degraded.begin(), degraded.end());
  const std::size_t need = static_cast<std::size_t>(config_.min_nodes);
  for (std::size_t i = 0, j = 0; i < degraded.size(); ++i) {
    j = std::max(j, i);
    while (j + 1 < degraded.size() && degraded[j + 1].first - degraded[i].first <= config_.window_s) ++j;
    if (j - i + 1 >= need) {
      std::vector<std::string> out;
      for (std::size_t k = i; k <= j; ++k) out.push_back(degraded[k].second);
      std::sort(out.begin(), out.end());
      return out;
    }
  }
  return {};
}

}  // namespace nebula::pattern

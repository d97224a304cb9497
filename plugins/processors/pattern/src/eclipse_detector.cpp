#include "nebula_pattern/eclipse_detector.hpp"

#include <algorithm>

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

Verdict EclipseDetector::observe(const Sample& s, const NetworkState& net) const {
  if (!present(s.peers) || !net.peers.ready()) return Verdict::unknown();
  const double usual_peers = net.peers.median();
  // A node that normally runs with few peers cannot "collapse" to few peers.
  if (usual_peers < config_.min_baseline_peers) return Verdict::unknown();
  if (s.peers > config_.max_peers) return Verdict::normal();

  // Latency must rise too when the node reports it; basic nodes do not.
  double latency_sev = kMissing;
  if (config_.latency_factor > 0 && present(s.latency_ms)) {
    if (!net.latency.ready()) return Verdict::unknown();
    const double usual = net.latency.median();
    const bool up = s.latency_ms >= config_.latency_factor * usual && net.latency.z(s.latency_ms, 0.05) >= min_z_;
    if (!up) return Verdict::normal();
    latency_sev = severity_above(s.latency_ms / usual, config_.latency_factor, 3 * config_.latency_factor);
  }

  Verdict v = Verdict::normal();
  v.anomalous = true;
  const double peer_sev = severity_below(s.peers, config_.max_peers, 0);
  v.severity = present(latency_sev) ? (peer_sev + latency_sev) / 2 : peer_sev;
  v.evidence.push_back(make_evidence("network.peer_count", s.peers, usual_peers));
  if (present(s.latency_ms))
    v.evidence.push_back(make_evidence("network.average_latency", s.latency_ms, net.latency.median()));
  return v;
}

}  // namespace nebula::pattern

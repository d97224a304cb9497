#include "node_health.hpp"

#include <algorithm>

namespace nebula::network_monitor {
namespace {

// Latency baselines near 0 ms would make any jitter a "rise".
constexpr double kLatencyFloorMs = 1.0;

}  // namespace

void NodeHealth::update(double time, std::optional<double> peer_count, std::optional<double> latency_ms,
                        const HealthRule& rule) {
  bool now_isolated = isolated;
  if (peer_count)
    now_isolated = peers.warm(rule.warmup) && *peer_count <= rule.isolation_peers &&
                   peers.mean >= rule.isolation_factor * std::max(*peer_count, 1.0);
  const bool peers_fell = peer_count && *peer_count <= rule.peer_factor * peers.mean;
  const bool latency_rose = latency_ms && *latency_ms >= rule.latency_factor * std::max(latency.mean, kLatencyFloorMs);
  bool now_degraded = degraded;  // one value missing and the other still bad: no news
  if (peer_count && latency_ms)
    now_degraded = peers.warm(rule.warmup) && latency.warm(rule.warmup) && peers_fell && latency_rose;
  else if ((peer_count && !peers_fell) || (latency_ms && !latency_rose))
    now_degraded = false;

  if (now_isolated && !isolated) isolated_since = time;
  if (now_degraded && !degraded) degraded_since = time;
  isolated = now_isolated;
  degraded = now_degraded;

  if (peer_count && !isolated && !degraded) peers.update(*peer_count, rule.alpha);
  if (latency_ms && !degraded) latency.update(*latency_ms, rule.alpha);
}

}  // namespace nebula::network_monitor

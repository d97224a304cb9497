#include "chain_track.hpp"

#include <cmath>

#include <nebula/json_numbers.hpp>

namespace nebula::intelligence {

void ChainTrack::init(double expected_block_time_s, size_t window) {
  block_time_s = expected_block_time_s;
  for (RollingWindow* w : {&intervals, &tx_rates, &lag_blocks, &lag_seconds, &peers, &latency_ms, &quality, &healthy})
    *w = RollingWindow(window);
}

ChainNumbers numbers_of(const std::string& chain, const ChainTrack& t) {
  ChainNumbers n;
  n.chain = chain;
  n.block_time_s = t.block_time_s;
  n.interval_s = t.intervals.mean();
  n.interval_samples = t.intervals.size();
  n.cadence_cv = t.intervals.cv();
  n.tx_per_s = t.tx_rates.quantile(0.5);
  n.tx_cv = t.tx_rates.cv();
  n.tx_samples = t.tx_rates.size();
  n.lag_blocks = t.lag_blocks.mean();
  n.lag_seconds = t.lag_seconds.mean();
  if (t.node_seconds > 0) n.stalls_per_node_hour = static_cast<double>(t.stall_events) / (t.node_seconds / 3600.0);
  return n;
}

nlohmann::json chain_json(const ChainNumbers& n, const ChainTrack& t, size_t nodes,
                          const std::map<std::string, uint64_t>& anomalies) {
  const double tx_per_block = n.tx_per_s * (std::isfinite(n.interval_s) ? n.interval_s : n.block_time_s);
  nlohmann::json active = nlohmann::json::object();
  for (const auto& [kind, count] : anomalies) active[kind] = count;
  return {
      {"chain_id", n.chain},
      {"expected_block_time_s", n.block_time_s},
      {"nodes", nodes},
      {"samples", t.samples},
      {"throughput",
       {{"tx_per_s", number_or_null(n.tx_per_s)},
        {"tx_per_s_mean", number_or_null(t.tx_rates.mean())},
        {"tx_per_block", number_or_null(tx_per_block)},
        {"cv", number_or_null(n.tx_cv)},
        {"samples", n.tx_samples}}},
      {"cadence",
       {{"observed_interval_s", number_or_null(n.interval_s)},
        {"interval_ratio", number_or_null(n.interval_s / n.block_time_s)},
        {"cv", number_or_null(n.cadence_cv)},
        {"samples", n.interval_samples}}},
      {"lag", {{"blocks", t.lag_blocks.summary()}, {"seconds", t.lag_seconds.summary()}}},
      {"stalls",
       {{"events", t.stall_events},
        {"node_hours", t.node_seconds / 3600.0},
        {"per_node_hour", number_or_null(n.stalls_per_node_hour)}}},
      {"network",
       {{"peers_mean", number_or_null(t.peers.mean())},
        {"latency_ms_p50", number_or_null(t.latency_ms.quantile(0.5))},
        {"latency_ms_p90", number_or_null(t.latency_ms.quantile(0.9))},
        {"connection_quality_mean", number_or_null(t.quality.mean())},
        {"healthy_fraction", number_or_null(t.healthy.mean())}}},
      {"active_anomalies", active},
  };
}

}  // namespace nebula::intelligence

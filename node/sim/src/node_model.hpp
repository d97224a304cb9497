// One node's metrics: a small state vector advanced once per sample.
#pragma once

#include <cstdint>
#include <optional>

#include "chain_model.hpp"
#include "incident_book.hpp"
#include "nebula_sim/random.hpp"
#include "nebula_sim/sim_record.hpp"
#include "ou_process.hpp"

namespace nebula_sim {

// Per-step coefficients that depend only on the sample interval.
struct NodeDynamics {
  explicit NodeDynamics(double dt);

  OuProcess peer_target, peers, latency, hash, cpu, memory;
  double impair_decay;    // peers reconnecting after eclipse/partition
  double restart_decay;   // start-up cpu load fading
  double memory_release;  // memory falling back after resource exhaustion
  double forecast_gain;   // EWMA gain of the full nodes' tx-rate forecast
};

struct NodeStepContext {
  double t_prev = 0;  // previous sample time
  double t = 0;       // this sample time
  std::uint32_t index = 0;
  const ChainModel* chain = nullptr;
  const IncidentBook* book = nullptr;
  const NodeDynamics* dynamics = nullptr;
  double offered_rate = 0;   // chain's offered tx/s at t (chain floods included)
  double chain_flood = 1;    // chain-wide flood multiplier at t
  Rng* noise = nullptr;  // shared stream, consumed in node order
  double restart_probability = 0;
  std::uint64_t seed = 0;  // fleet seed, for hashed per-(incident, node) parameters
};

class NodeModel {
 public:
  // Personality (baselines, lag, initial uptime) comes from its own seed so a
  // node looks the same whatever else is in the fleet.
  NodeModel(NodeType type, const ChainModel& chain, double start_time, std::uint64_t personality_seed);

  // Advances to ctx.t and writes every metric of `out` except the identity
  // fields (timestamp, node_id, node_type, chain_id, seq), which the fleet
  // sets. Returns the restart time if the process restarted in the interval.
  std::optional<double> step(const NodeStepContext& ctx, SimRecord& out);

  std::int64_t height() const { return height_; }

 private:
  void advance_clock(const NodeStepContext& ctx);
  double follow_rate(std::uint32_t incident_id, const Incident& incident,
                     const NodeStepContext& ctx) const;

  NodeType type_;
  // Personality.
  double lag_;            // s behind the canonical tip when healthy (propagation)
  double peer_base_;      // long-run peer target
  double latency_base_;   // ms, median latency
  double hash_base_;      // MH/s
  double cpu_base_;       // %
  double mem_base_;       // %
  // State.
  double behind_ = 0;     // extra s behind the tip from stalls/eclipses/partitions
  std::int64_t height_ = 0;
  std::int64_t tx_counter_ = 0;
  double uptime_ = 0;
  double peer_target_ = 0;
  double peers_ = 0;
  double latency_noise_ = 0;  // log-space OU
  double hash_noise_ = 0;     // log-space OU
  double cpu_noise_ = 0;      // % OU
  double memory_ = 0;
  double impair_ = 0;         // 1 during eclipse/partition, then fades: peers reconnect
  double impair_latency_ = 1;
  double restart_load_ = 0;   // % cpu spent on start-up, fades
  double rate_forecast_ = 0;  // EWMA of the offered tx rate (full nodes' "AI")
};

}  // namespace nebula_sim

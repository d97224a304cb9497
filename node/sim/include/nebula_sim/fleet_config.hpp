// What to simulate: fleet composition, chain parameters, incident plan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nebula_sim/incident.hpp"

namespace nebula_sim {

// One canonical chain shared by every node that follows it.
struct ChainParams {
  std::string chain_id = "testnet";
  double block_interval = 5.0;        // mean seconds between blocks (Poisson arrivals)
  double tx_rate = 8.0;               // offered tx/s at the diurnal midline
  double diurnal_amplitude = 0.35;    // +-35 % over a UTC day, peak at 12:00 UTC
  std::int64_t block_capacity = 1000; // tx per block; the rest waits in the mempool
  std::int64_t start_height = 1'250'000;  // first block, mined 1 h before start_time
  double latency_min_ms = 25.0;       // range of per-node median latency
  double latency_max_ms = 90.0;
  double hash_rate_median = 120.0;    // MH/s, fleet median of per-node baselines
  double propagation_lag_max = 1.5;   // s, per-node lag behind the tip is U(0.05, max)
  double average_fee = 0.0002;        // coins per tx when the mempool is empty

  // TestNet: a block every ~5 s, light traffic, nearby peers.
  static ChainParams testnet();
  // MainNet: a block every ~30 s, heavier traffic, globally spread peers.
  static ChainParams mainnet();
};

inline ChainParams ChainParams::testnet() { return ChainParams{}; }

inline ChainParams ChainParams::mainnet() {
  ChainParams p;
  p.chain_id = "mainnet";
  p.block_interval = 30.0;
  p.tx_rate = 20.0;
  p.diurnal_amplitude = 0.30;
  p.block_capacity = 4000;
  p.start_height = 880'000;
  p.latency_min_ms = 70.0;
  p.latency_max_ms = 220.0;
  p.hash_rate_median = 2400.0;
  p.propagation_lag_max = 3.0;
  p.average_fee = 0.00012;
  return p;
}

struct IncidentPlan {
  // Random incidents; scripted ones below are always applied.
  bool random = true;
  // Expected incidents starting per node per simulated hour (a partition
  // counts once). 0.25 -> ~30 incidents for 60 nodes over 2 hours.
  double rate_per_node_hour = 0.25;
  double min_duration = 180.0;  // s; "several minutes" so detectors see it
  double max_duration = 600.0;
  // Quiet gap kept around every incident on a node, so a node never carries
  // two overlapping incidents and catch-up after one does not blur the next.
  double cooldown = 300.0;
  // No random incident during the first warmup seconds: detectors need a baseline.
  double warmup = 600.0;
  // Kinds drawn from, round-robin in shuffled order so every kind appears
  // once per len(kinds) incidents instead of merely "on average".
  std::vector<IncidentKind> kinds{kAllIncidentKinds.begin(), kAllIncidentKinds.end()};
  // Explicit incidents (validated: known nodes, right chain, eligible kind,
  // no overlap on a node). Random incidents are planned around them.
  std::vector<Incident> scripted;
};

struct FleetConfig {
  std::size_t testnet_nodes = 0;  // node_type "testnet", chain "testnet"
  std::size_t mainnet_nodes = 0;  // node_type "mainnet", chain "mainnet"
  std::size_t basic_nodes = 0;    // minimal field set; even index -> testnet, odd -> mainnet
  std::size_t full_nodes = 0;     // all fields + extras; even index -> testnet, odd -> mainnet
  std::size_t simple_nodes = 0;   // blockchain + network, no performance; even -> testnet, odd -> mainnet
  std::uint64_t seed = 1;
  double sample_interval = 5.0;       // simulated seconds per step()
  double start_time = 1767225600.0;   // 2026-01-01T00:00:00Z
  // Node process restarts (tx counter and uptime reset). Not incidents: they
  // are normal operations that processors must tolerate.
  double restart_rate_per_node_hour = 0.05;
  ChainParams testnet = ChainParams::testnet();
  ChainParams mainnet = ChainParams::mainnet();
  IncidentPlan incidents;
};

}  // namespace nebula_sim

// One way to build a FleetConfig: node counts, seed, pacing and the incidents
// a run scripts, given as offsets from the fleet's start. `nebula-node
// simulate`, `nebula-pool test` scenarios and the tests' fleets all build
// theirs here, so "an incident 600 s in" means the same thing everywhere.
//
//   auto cfg = nebula_sim::FleetBuilder()
//                  .nodes({.testnet = 8, .mainnet = 4})
//                  .seed(16)
//                  .random_incidents(false)
//                  .incident(nebula_sim::IncidentKind::Partition, "testnet", {"testnet-00001", ...}, 600, 3600)
//                  .build();
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nebula_sim/fleet_config.hpp"
#include "nebula_sim/incident.hpp"

namespace nebula_sim {

// How many nodes of each type (see FleetConfig for what each type reports).
struct NodeCounts {
  std::size_t testnet = 0, mainnet = 0, basic = 0, full = 0, simple = 0;
  std::size_t total() const { return testnet + mainnet + basic + full + simple; }
};

class FleetBuilder {
 public:
  FleetBuilder& nodes(const NodeCounts& counts);
  FleetBuilder& seed(std::uint64_t seed);
  FleetBuilder& sample_interval(double seconds);
  // Simulated unix time before the first step; the simulator's default otherwise.
  FleetBuilder& start_time(double unix_seconds);
  FleetBuilder& restarts_per_node_hour(double rate);
  FleetBuilder& random_incidents(bool on);
  FleetBuilder& incident_rate(double per_node_hour);

  // An incident from start_s to start_s + duration_s simulated seconds after
  // the start time (whenever that is set). Empty `nodes`: the whole chain
  // (tx_flood only); magnitude <= 0: the kind's default. The Fleet validates it.
  FleetBuilder& incident(IncidentKind kind, std::string chain_id, std::vector<std::string> nodes, double start_s,
                         double duration_s, double magnitude = 0);
  // The same with the kind's wire name ("partition", ...); throws
  // std::invalid_argument naming the known kinds for any other name.
  FleetBuilder& incident(std::string_view kind, std::string chain_id, std::vector<std::string> nodes, double start_s,
                         double duration_s, double magnitude = 0);

  FleetConfig build() const;

 private:
  // An incident whose start and end build() places after the start time.
  struct Scripted {
    Incident incident;
    double start_s = 0, duration_s = 0;
  };
  FleetConfig config_;
  std::vector<Scripted> scripted_;
};

}  // namespace nebula_sim

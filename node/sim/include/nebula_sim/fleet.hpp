// The fleet simulator: N nodes on two shared canonical chains, stepped in
// lock-step by a fixed sample interval, with labelled injected incidents.
//
//   nebula_sim::FleetConfig cfg;
//   cfg.testnet_nodes = 20; cfg.mainnet_nodes = 20; cfg.seed = 7;
//   nebula_sim::Fleet fleet(cfg);
//   for (int i = 0; i < 720; ++i)
//     for (const auto& r : fleet.step()) sink(nebula_sim::to_wire(r));
//   nebula_sim::write_incidents_jsonl(out, fleet.ground_truth());
//
// Same config (seed included) -> byte-identical records and incidents.
// Not thread-safe; const queries are fine between step() calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nebula_sim/fleet_config.hpp"
#include "nebula_sim/incident.hpp"
#include "nebula_sim/sim_record.hpp"

namespace nebula_sim {

struct NodeInfo {
  std::string id;  // "<node_type>-<index>", e.g. "testnet-00003", "basic-00010"
  NodeType type = NodeType::Testnet;
  std::string chain_id;
};

// A node process restart: tx counter and uptime reset. Deliberately not an
// incident (see FleetConfig::restart_rate_per_node_hour).
struct NodeRestart {
  std::string node_id;
  double time = 0;
};

class Fleet {
 public:
  // Throws std::invalid_argument on a bad config or scripted incident.
  explicit Fleet(FleetConfig config);
  ~Fleet();
  Fleet(Fleet&&) noexcept;
  Fleet& operator=(Fleet&&) noexcept;
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // Advances one sample interval; one record per node, in nodes() order,
  // all stamped with the new now().
  std::vector<SimRecord> step();
  // Same, reusing `out`'s storage (the fast path for big fleets).
  void step(std::vector<SimRecord>& out);

  // Time of the latest samples; start_time before the first step.
  double now() const;
  std::int64_t steps_taken() const;
  const FleetConfig& config() const;
  const std::vector<NodeInfo>& nodes() const;

  // Every incident planned so far, in planning order. Random incidents are
  // planned in 1-hour chunks at least one hour ahead of now(), so this holds
  // future incidents too.
  const std::vector<Incident>& incidents() const;
  // Incidents that have started by now(), sorted by start: the ground truth
  // for the records produced so far.
  std::vector<Incident> ground_truth() const;

  // Labelling: is node_id inside an incident at time t (start <= t < end)?
  // Answers only for planned time, i.e. up to about now() + 1 h.
  // Writes the kind to *kind when given and true is returned.
  bool in_incident(std::string_view node_id, double t, IncidentKind* kind = nullptr) const;
  // The incident itself, or nullptr (also for unknown nodes). The pointer,
  // like references into incidents(), is invalidated by the next step(),
  // which may plan (append) more incidents.
  const Incident* incident_at(std::string_view node_id, double t) const;

  const std::vector<NodeRestart>& restarts() const;

  // Canonical tip height of a chain at now(); -1 for an unknown chain.
  std::int64_t chain_height(std::string_view chain_id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nebula_sim

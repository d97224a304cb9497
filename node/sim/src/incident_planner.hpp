// Draws the random incident schedule, one simulated hour at a time.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "incident_book.hpp"
#include "nebula_sim/fleet_config.hpp"
#include "nebula_sim/random.hpp"
#include "node_roster.hpp"

namespace nebula_sim {

class IncidentPlanner {
 public:
  static constexpr double kChunk = 3600.0;  // s planned per round

  IncidentPlanner(const IncidentPlan& plan, const NodeRoster& roster, std::uint64_t seed,
                  double start_time);

  // Plans every chunk that starts before `horizon`. Chunks are planned in
  // order from one RNG stream, so the schedule depends only on the seed.
  void plan_until(double horizon, IncidentBook& book);

 private:
  void plan_chunk(double from, double to, IncidentBook& book);
  bool place_any(double start, double end, IncidentBook& book);
  bool place(IncidentKind kind, double start, double end, IncidentBook& book);
  bool place_partition(double start, double end, IncidentBook& book);
  double draw_magnitude(IncidentKind kind);
  void refill_bag();

  IncidentPlan plan_;
  const NodeRoster& roster_;
  Rng rng_;
  double start_time_;
  std::int64_t chunks_planned_ = 0;
  std::vector<IncidentKind> bag_;  // kinds not yet used in this round
  std::array<std::vector<std::uint32_t>, kAllIncidentKinds.size()> eligible_;  // by kind
};

}  // namespace nebula_sim

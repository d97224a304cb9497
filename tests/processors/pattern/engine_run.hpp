// Drives a PatternEngine over a SyntheticFleet and keeps every transition.
#pragma once

#include <functional>
#include <vector>

#include "nebula_pattern/pattern_engine.hpp"
#include "synthetic_fleet.hpp"

namespace nebula::pattern::testing {

struct EngineRun {
  explicit EngineRun(PatternConfig config = {}) : engine(std::move(config)) {}

  PatternEngine engine;
  std::vector<Incident> started;
  std::vector<Incident> ended;
  BatchReport last;

  // `steps` batches of one fleet step each.
  void run(SyntheticFleet& fleet, int steps) {
    for (int i = 0; i < steps; ++i) feed(fleet.step());
  }
  void feed(std::vector<Sample> batch) {
    last = engine.process(std::move(batch));
    started.insert(started.end(), last.started.begin(), last.started.end());
    ended.insert(ended.end(), last.ended.begin(), last.ended.end());
  }

  std::vector<Incident> started_of(Kind kind) const { return filter(started, kind); }
  std::vector<Incident> ended_of(Kind kind) const { return filter(ended, kind); }

 private:
  static std::vector<Incident> filter(const std::vector<Incident>& v, Kind kind) {
    std::vector<Incident> out;
    for (const auto& i : v)
      if (i.kind == kind) out.push_back(i);
    return out;
  }
};

// Timestamp of the sample produced by the n-th step (1-based).
inline double step_time(int n) { return SyntheticFleet::kStart + n * SyntheticFleet::kStep; }

}  // namespace nebula::pattern::testing

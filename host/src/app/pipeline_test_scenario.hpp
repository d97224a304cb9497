// A test's scenario as payloads: the fleet simulator (node/sim) stepped for
// the scenario's duration, one NDJSON payload of every node's record per step.
#pragma once

#include <memory>
#include <string>

#include "app/pipeline_test_spec.hpp"

namespace nebula_sim {
class Fleet;
}

namespace nebula::host {

class ScenarioPayloads {
 public:
  // Throws std::invalid_argument with the simulator's reason (an unknown
  // node or kind, overlapping incidents, ...).
  explicit ScenarioPayloads(const Scenario& scenario);
  ~ScenarioPayloads();

  // The next step's payload; false once the duration is fed.
  bool next(std::string& payload);
  size_t steps() const { return steps_; }

 private:
  std::unique_ptr<nebula_sim::Fleet> fleet_;
  size_t steps_ = 0;
  size_t taken_ = 0;
};

}  // namespace nebula::host

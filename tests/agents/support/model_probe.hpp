// Model-level measurements for tests: the same fixed samples scored by two
// models (e.g. a checkpoint taken after the first batch and the model after
// an hour), so a loss comparison is never confounded by changing data.
#pragma once

#include <vector>

#include "nebula_agents/shared_model.hpp"

namespace nebula::agents::testing {

// A copy of the model's held-out validation reservoir (never trained on).
inline std::vector<Sample> validation_samples(SharedModel& model) {
  return model.with_model([](EvolvingModel& m) {
    std::vector<Sample> out;
    for (const Sample* s : m.store().validation().all()) out.push_back(*s);
    return out;
  });
}

inline double loss_on(SharedModel& model, const std::vector<Sample>& samples) {
  return evaluate_samples(model, samples)["loss"].get<double>();
}

}  // namespace nebula::agents::testing

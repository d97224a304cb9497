// The Decision Optimizer's domain series on /metrics (exported as
// nebula_<name> with component="<instance id>"):
//   recommendations_active{action, priority}   gauge: the current ranked
//       list by action and priority band (nebula_decision/priority_band.hpp);
//       every action and band is shown, 0 when none.
// Labels are a fixed set (6 actions x 3 bands), never a node or chain id.
#pragma once

#include <vector>

#include <nebula/host.hpp>
#include <nebula_processors/gauge_view.hpp>

#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {

class RecommendationMetrics {
 public:
  explicit RecommendationMetrics(const Host& host);

  // After each input: the complete view of `current` (the published list).
  void publish(const Host& host, const std::vector<Recommendation>& current);

 private:
  processors::GaugeView<2> active_;
};

}  // namespace nebula::decision

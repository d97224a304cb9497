#include "nebula_decision/recommendation_metrics.hpp"

#include <string>

#include "nebula_decision/priority_band.hpp"

namespace nebula::decision {

RecommendationMetrics::RecommendationMetrics(const Host& host)
    : active_(host, "recommendations_active",
              "Recommendations the decision optimizer currently ranks, by action and priority band "
              "(high >= 0.75, medium >= 0.5, low below, by score)",
              {"action", "priority"}, kAllActions.size() * kPriorityBands.size()) {}

void RecommendationMetrics::publish(const Host& host, const std::vector<Recommendation>& current) {
  processors::GaugeView<2>::View view;
  for (Action a : kAllActions)
    for (std::string_view band : kPriorityBands) view[{std::string(action_name(a)), std::string(band)}] = 0;
  for (const Recommendation& r : current)
    view[{std::string(action_name(r.action)), std::string(priority_band(r.score))}] += 1;
  active_.publish(host, view);
}

}  // namespace nebula::decision

// A `decisions` insight (sdk/schemas/topics/decisions.schema.json) as
// alerts: one NebulaRecommendation per entry of `recommendations`, keyed by
// "action/target", resolved when it is no longer recommended.
#pragma once

#include <nlohmann/json.hpp>

#include "alert.hpp"

namespace nebula::alertmanager {

// `base` as for incident_alerts. Throws nebula::Error(NEBULA_INVALID) when
// the document has no `recommendations` array.
AlertView recommendation_alerts(const nlohmann::json& decisions, const LabelSet& base);

}  // namespace nebula::alertmanager

// A `patterns` insight (sdk/schemas/topics/patterns.schema.json) as alerts:
// one NebulaIncident per incident in `active`, keyed by the incident id.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alert.hpp"

namespace nebula::alertmanager {

// `base` holds the labels every alert of this producer carries (source,
// static labels). Throws nebula::Error(NEBULA_INVALID) when the document is
// not a patterns insight at all; a single unreadable incident is skipped and
// counted in AlertView::malformed.
AlertView incident_alerts(const nlohmann::json& patterns, const LabelSet& base);

// The node_id label of a partition: "nodes-" + 8 hex digits of a hash of its
// sorted member ids, the same for the same members in any order.
std::string partition_label(std::vector<std::string> nodes);

}  // namespace nebula::alertmanager

// The label names the sink sets itself, and the severity mappings
// (documented in docs/sinks.md).
#pragma once

#include <string>

#include "alert.hpp"

namespace nebula::alertmanager::labels {

inline constexpr const char* kAlertName = "alertname";
inline constexpr const char* kNodeId = "node_id";
inline constexpr const char* kChainId = "chain_id";
inline constexpr const char* kKind = "kind";
inline constexpr const char* kSeverity = "severity";
inline constexpr const char* kSource = "source";  // the component that published the insight
inline constexpr const char* kAction = "action";
inline constexpr const char* kTargetType = "target_type";

inline constexpr const char* kIncidentAlert = "NebulaIncident";
inline constexpr const char* kRecommendationAlert = "NebulaRecommendation";

}  // namespace nebula::alertmanager::labels

namespace nebula::alertmanager {

// True for a label the sink sets itself (static labels may not override it).
bool is_reserved_label(const std::string& name);

// An incident's severity.label: high -> critical, medium -> warning, low -> info.
// Without a label, its score with the Pattern Recognizer's own cut-offs
// (0.7 and 0.4).
Severity incident_severity(const std::string& label, double score);

// A recommendation's score (its priority, 0..1): >= 0.75 critical (the range
// of quarantine and halted chains), >= 0.5 warning, else info.
Severity recommendation_severity(double score);

}  // namespace nebula::alertmanager

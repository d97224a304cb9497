#include "alert_labels.hpp"

namespace nebula::alertmanager {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Critical: return "critical";
    case Severity::Warning: return "warning";
    case Severity::Info: break;
  }
  return "info";
}

bool is_reserved_label(const std::string& name) {
  for (const char* reserved : {labels::kAlertName, labels::kNodeId, labels::kChainId, labels::kKind, labels::kSeverity,
                               labels::kSource, labels::kAction, labels::kTargetType})
    if (name == reserved) return true;
  return false;
}

Severity incident_severity(const std::string& label, double score) {
  if (label == "high") return Severity::Critical;
  if (label == "medium") return Severity::Warning;
  if (label == "low") return Severity::Info;
  if (score >= 0.7) return Severity::Critical;
  if (score >= 0.4) return Severity::Warning;
  return Severity::Info;
}

Severity recommendation_severity(double score) {
  if (score >= 0.75) return Severity::Critical;
  if (score >= 0.5) return Severity::Warning;
  return Severity::Info;
}

}  // namespace nebula::alertmanager

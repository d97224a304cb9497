#include "nebula_agents/evidence_publisher.hpp"

namespace nebula::agents {

bool EvidencePublisher::due(double as_of) const {
  if (!last_as_of_ || settings_.interval_s <= 0) return true;
  return as_of < *last_as_of_ || as_of >= *last_as_of_ + settings_.interval_s;
}

bool EvidencePublisher::publish(const Host& host, const nlohmann::json& doc, double as_of) {
  try {
    host.emit_text(topic_, doc.dump());
  } catch (const std::exception& e) {  // RETRY (downstream full) above all; nothing may fail learn()
    host.count("publish_failed");
    if (!failure_logged_) {
      failure_logged_ = true;
      host.warn("could not publish on '" + topic_ + "' (" + e.what() +
                "); the evidence is kept for the next learn(), further failures only count publish_failed");
    }
    return false;
  }
  host.count("published");
  last_as_of_ = as_of;
  return true;
}

}  // namespace nebula::agents

// The body of POST /api/v2/alerts: a JSON array of postable alerts
// {labels, annotations, startsAt, endsAt, generatorURL}.
#pragma once

#include <string>
#include <vector>

#include "alert.hpp"

namespace nebula::alertmanager {

// RFC 3339 in UTC with milliseconds (truncated), e.g. "2026-01-01T00:00:05.250Z".
std::string rfc3339(double seconds_since_epoch);

// generator_url "" leaves generatorURL out. Invalid UTF-8 in a label or
// annotation is replaced (U+FFFD) rather than refused by Alertmanager.
std::string alerts_body(const std::vector<OutgoingAlert>& alerts, const std::string& generator_url);

}  // namespace nebula::alertmanager

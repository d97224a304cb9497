// Alertmanager's API v2 as the sink speaks it: where alerts are posted, and
// what Alertmanager says when it refuses them.
#pragma once

#include <string>
#include <string_view>

#include "http_url.hpp"

namespace nebula::alertmanager {

// The configured base URL "http[s]://host[:port][/prefix]" with
// /api/v2/alerts appended to the prefix (Alertmanager behind a path, e.g.
// --web.route-prefix). Throws nebula::Error(NEBULA_INVALID) saying what is
// wrong with `url`, a query included (the API path goes after it).
sinks::HttpUrl alerts_endpoint(std::string_view url);

// Alertmanager answers errors as a JSON string ("start time must be before
// end time") or as {"code":..,"message":..}; else the body as it is.
std::string alertmanager_message(std::string_view body);

}  // namespace nebula::alertmanager

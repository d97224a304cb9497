#include "alert_json.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

namespace nebula::alertmanager {

std::string rfc3339(double seconds_since_epoch) {
  const double whole = std::floor(seconds_since_epoch);
  const auto t = static_cast<std::time_t>(whole);
  // Truncated, never rounded up: a resolution's endsAt (now) must not lie in
  // Alertmanager's future when it arrives (a kept-alive POST can arrive within
  // 0.5 ms), or Alertmanager keeps the later endsAt it had and the alert stays open.
  const int millis = static_cast<int>(std::floor((seconds_since_epoch - whole) * 1000));
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buf[96];  // room for any int the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buf;
}

std::string alerts_body(const std::vector<OutgoingAlert>& alerts, const std::string& generator_url) {
  nlohmann::json body = nlohmann::json::array();
  for (const auto& a : alerts) {
    nlohmann::json alert{{"labels", a.labels},
                         {"annotations", a.annotations},
                         {"startsAt", rfc3339(a.starts_at)},
                         {"endsAt", rfc3339(a.ends_at)}};
    if (!generator_url.empty()) alert["generatorURL"] = generator_url;
    body.push_back(std::move(alert));
  }
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nebula::alertmanager

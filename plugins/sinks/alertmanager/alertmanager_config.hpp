// Settings of the Alertmanager sink, read from its pipeline config.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::alertmanager {

struct Config {
  std::string url;                           // base URL, e.g. http://127.0.0.1:9093 (required)
  double resend_interval_s = 60;             // how often firing alerts are sent again
  double resolve_timeout_s = 300;            // endsAt = now + this while firing (at least 3 re-sends)
  uint32_t timeout_ms = 5000;                // one POST: connect, send and answer
  std::map<std::string, std::string> labels; // static labels on every alert (e.g. cluster)
  std::string generator_url;                 // "" = none
  size_t max_alerts = 10000;                 // firing alerts tracked at once
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

// True for a Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*, not starting "__".
bool is_label_name(const std::string& name);

}  // namespace nebula::alertmanager

// Settings of the PostgreSQL history sink, read from its pipeline config.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::sinks::postgres {

struct Config {
  std::string dsn;                      // from `dsn`, or the contents of `dsn_file`
  std::string schema = "nebula";
  std::string table_prefix;             // e.g. "staging_"
  std::string host_id;                  // empty: this machine's hostname
  double retention_age_s = 7 * 86400.0;
  int64_t retention_max_rows = 10'000'000;
  double retention_check_s = 60;
  int connect_timeout_s = 5;
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
// A `dsn_file` is read here (its errors too).
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

// `host_id`, or the hostname when it is not set.
std::string effective_host_id(const Config& config);

}  // namespace nebula::sinks::postgres

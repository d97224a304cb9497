// Settings of the SQLite history sink, read from its pipeline config.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::sinks::sqlite {

struct Config {
  std::string path;                           // empty: <state_dir>/insights.sqlite
  double retention_age_s = 7 * 86400.0;       // older insights are deleted
  uint64_t retention_max_bytes = 1ull << 30;  // the oldest go first beyond this
  double retention_check_s = 60;              // how often retention runs
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

// The database file: `path` as given when absolute, else under state_dir.
std::filesystem::path database_path(const Config& config, const std::filesystem::path& state_dir);

}  // namespace nebula::sinks::sqlite

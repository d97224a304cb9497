// Settings of the file sink, read from its pipeline config.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::sink::file {

struct Config {
  std::string path;                      // required; relative = under the instance's state directory
  uint64_t max_bytes = 100ull << 20;     // rotate before a batch would take the file past this
  size_t max_files = 5;                  // rotated files kept: path.1 (newest) … path.<max_files>
  bool fsync = true;                     // fdatasync after each batch: delivered means durable
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::sink::file

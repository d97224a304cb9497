#include "file_config.hpp"

#include <cmath>

#include <nebula/config_helpers.hpp>

namespace nebula::transport::file {
namespace {

uint64_t integer(const nlohmann::json& cfg, const char* key, uint64_t def, uint64_t lo, uint64_t hi,
                 ConfigErrors& errors) {
  if (!cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>()) {
    errors.add(std::string("/") + key, "must be a whole number");
    return def;
  }
  double d = v.get<double>();
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    errors.add(std::string("/") + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                           ", got " + v.dump());
    return def;
  }
  return static_cast<uint64_t>(d);
}

}  // namespace

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg,
                              {"paths", "poll_interval_ms", "max_lines_per_submit", "max_bytes_per_submit",
                               "max_line_bytes", "rotated_grace_ms"},
                              errors);
  ServerConfig c;
  if (!cfg.contains("paths")) {
    errors.add("/paths", "required: a list of spool file patterns, e.g. [\"/var/spool/nebula/*.jsonl\"]");
  } else if (!cfg["paths"].is_array() || cfg["paths"].empty()) {
    errors.add("/paths", "must be a non-empty list of file patterns");
  } else {
    for (size_t i = 0; i < cfg["paths"].size(); ++i) {
      const auto& p = cfg["paths"][i];
      if (!p.is_string() || p.get<std::string>().empty())
        errors.add("/paths/" + std::to_string(i), "must be a non-empty string");
      else c.paths.push_back(p.get<std::string>());
    }
  }
  c.poll_interval_ms = static_cast<uint32_t>(integer(cfg, "poll_interval_ms", c.poll_interval_ms, 1, 3'600'000, errors));
  c.max_lines_per_submit =
      static_cast<uint32_t>(integer(cfg, "max_lines_per_submit", c.max_lines_per_submit, 1, 1'000'000, errors));
  c.max_line_bytes = integer(cfg, "max_line_bytes", c.max_line_bytes, 16, uint64_t{1} << 30, errors);
  c.max_bytes_per_submit = integer(cfg, "max_bytes_per_submit", c.max_bytes_per_submit, 16, uint64_t{1} << 32, errors);
  if (c.max_bytes_per_submit < c.max_line_bytes)
    errors.add("/max_bytes_per_submit", "must be at least max_line_bytes (" + std::to_string(c.max_line_bytes) + ")");
  c.rotated_grace_ms = static_cast<uint32_t>(integer(cfg, "rotated_grace_ms", c.rotated_grace_ms, 0, 86'400'000, errors));
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"fsync"}, errors);
  ClientConfig c;
  c.fsync = config::flag(cfg, "fsync", c.fsync, &errors);
  return c;
}

}  // namespace nebula::transport::file

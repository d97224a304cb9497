#include "file_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::transport::file {

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
  c.poll_interval_ms =
      static_cast<uint32_t>(config::whole_number(cfg, "poll_interval_ms", c.poll_interval_ms, 1, 3'600'000, &errors));
  c.max_lines_per_submit =
      static_cast<uint32_t>(config::whole_number(cfg, "max_lines_per_submit", c.max_lines_per_submit, 1, 1'000'000, &errors));
  c.max_line_bytes = config::whole_number(cfg, "max_line_bytes", c.max_line_bytes, 16, uint64_t{1} << 30, &errors);
  c.max_bytes_per_submit =
      config::whole_number(cfg, "max_bytes_per_submit", c.max_bytes_per_submit, 16, uint64_t{1} << 32, &errors);
  if (c.max_bytes_per_submit < c.max_line_bytes)
    errors.add("/max_bytes_per_submit", "must be at least max_line_bytes (" + std::to_string(c.max_line_bytes) + ")");
  c.rotated_grace_ms =
      static_cast<uint32_t>(config::whole_number(cfg, "rotated_grace_ms", c.rotated_grace_ms, 0, 86'400'000, &errors));
  return c;
}

ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors) {
  config::reject_unknown_keys(cfg, {"fsync"}, errors);
  ClientConfig c;
  c.fsync = config::flag(cfg, "fsync", c.fsync, &errors);
  return c;
}

}  // namespace nebula::transport::file

#include "sqlite_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::sinks::sqlite {

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg, {"path", "retention_age_s", "retention_max_bytes", "retention_check_s"}, *errors);
  c.path = config::text(cfg, "path", c.path, errors);
  if (errors && cfg.is_object() && cfg.contains("path") && cfg.at("path").is_string() && c.path.empty())
    errors->add("/path", "must not be empty (leave it out for <state_dir>/insights.sqlite)");
  c.retention_age_s = config::number(cfg, "retention_age_s", c.retention_age_s, 60, 3650 * 86400.0, errors);
  // 64 KiB: below that the database's own pages would be over the limit.
  c.retention_max_bytes =
      config::whole_number(cfg, "retention_max_bytes", c.retention_max_bytes, 65536, 1ull << 44, errors);
  c.retention_check_s = config::number(cfg, "retention_check_s", c.retention_check_s, 1, 86400, errors);
  return c;
}

std::filesystem::path database_path(const Config& config, const std::filesystem::path& state_dir) {
  if (config.path.empty()) return state_dir / "insights.sqlite";
  const std::filesystem::path p(config.path);
  return p.is_absolute() ? p : state_dir / p;
}

}  // namespace nebula::sinks::sqlite

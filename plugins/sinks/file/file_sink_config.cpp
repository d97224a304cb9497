#include "file_sink_config.hpp"

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::sink::file {

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors) {
    config::reject_unknown_keys(cfg, {"path", "max_bytes", "max_files", "fsync"}, *errors);
    if (!cfg.contains("path")) errors->add("/path", "required: the file to append to, e.g. insights.jsonl");
  }
  c.path = config::text(cfg, "path", "", errors);
  if (errors && cfg.contains("path") && cfg.at("path").is_string()) {
    if (c.path.empty()) errors->add("/path", "must not be empty");
    else if (c.path.back() == '/') errors->add("/path", "names a directory; give a file, e.g. " + c.path + "insights.jsonl");
  }
  c.max_bytes = config::whole_number(cfg, "max_bytes", c.max_bytes, 1024, 1e15, errors);
  c.max_files = config::whole_number(cfg, "max_files", c.max_files, 1, 1000, errors);
  c.fsync = config::flag(cfg, "fsync", c.fsync, errors);
  return c;
}

}  // namespace nebula::sink::file

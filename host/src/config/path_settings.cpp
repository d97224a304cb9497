// plugins.paths and state_dir: paths relative to the YAML file's directory.
#include "config/settings_parse.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {

std::string resolve_path(const std::string& path, const std::filesystem::path& base_dir) {
  std::filesystem::path resolved(path);
  if (resolved.is_relative()) resolved = base_dir / resolved;
  return resolved.lexically_normal().string();
}

void parse_plugins(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                   ParseContext& ctx) {
  if (!expect_mapping(entry, "plugins", ctx) || !entry.value.IsMap()) return;
  for (const auto& paths : read_entries(entry.value, "in plugins", {"paths"}, ctx)) {
    if (paths.value.IsNull()) continue;
    if (!paths.value.IsSequence()) {
      ctx.report(value_mark(paths), "plugins.paths must be a sequence of directories, got " +
                                        describe_value(paths.value));
      continue;
    }
    for (const auto& item : paths.value)
      if (auto dir = read_text(item, item.Mark(), "each entry of plugins.paths", ctx))
        config.plugin_paths.push_back(resolve_path(*dir, base_dir));
  }
}

void parse_state_dir(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                     ParseContext& ctx) {
  if (auto dir = read_text(entry, "state_dir", ctx)) config.state_dir = resolve_path(*dir, base_dir);
}

}  // namespace nebula::host

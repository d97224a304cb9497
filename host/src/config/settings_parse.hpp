// The top-level settings of a pipeline file, one function per key.
// Each reads `entry.value` into `config` and reports what is wrong;
// settings left unset or invalid keep their defaults.
#pragma once

#include <filesystem>

#include "config/mapping_reader.hpp"
#include "config/pipeline_config.hpp"

namespace nebula::host {

void parse_version(const MappingEntry& entry, ParseContext& ctx);
void parse_log_level(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_admin(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_pool(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_training(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_shutdown(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);

// Relative paths resolve against `base_dir` (the YAML file's directory).
void parse_plugins(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                   ParseContext& ctx);
void parse_state_dir(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                     ParseContext& ctx);

// `path` made absolute against `base_dir` and normalised.
std::string resolve_path(const std::string& path, const std::filesystem::path& base_dir);

}  // namespace nebula::host

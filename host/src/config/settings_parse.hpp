// The top-level settings of a pipeline file, one function per key.
// Each reads `entry.value` into `config` and reports what is wrong;
// settings left unset or invalid keep their defaults.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "config/mapping_reader.hpp"
#include "config/pipeline_config.hpp"

namespace nebula::host {

// One integer setting of a section: its range and where the value goes.
struct IntegerSetting {
  int64_t min;
  int64_t max;
  std::function<void(int64_t)> store;
};

// Reads a section made of integer settings plus `other` handlers; returns
// the entries that were read so callers can check settings against each other.
std::map<std::string, MappingEntry> read_section(
    const MappingEntry& section, const std::map<std::string, IntegerSetting>& integers,
    const std::map<std::string, std::function<void(const MappingEntry&)>>& other, ParseContext& ctx);

void parse_version(const MappingEntry& entry, ParseContext& ctx);
void parse_log_level(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
// admin: relative token_file and tls paths resolve against `base_dir`.
void parse_admin(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                 ParseContext& ctx);
void parse_pool(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_training(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_sinks(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_shutdown(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_wal(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_limits(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);
void parse_ingest(const MappingEntry& entry, PipelineConfig& config, ParseContext& ctx);

// Relative paths resolve against `base_dir` (the YAML file's directory).
void parse_plugins(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                   ParseContext& ctx);
void parse_state_dir(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                     ParseContext& ctx);

// `path` made absolute against `base_dir` and normalised.
std::string resolve_path(const std::string& path, const std::filesystem::path& base_dir);

}  // namespace nebula::host

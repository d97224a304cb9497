// Reading one YAML mapping of settings: which keys are allowed, and typed
// values with messages that name the setting and the accepted range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/parse_context.hpp"

namespace nebula::host {

struct MappingEntry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The entries of `map` in file order. Keys not in `allowed` (reported with
// the allowed list and a did-you-mean hint), repeated keys and non-string
// keys are reported and left out. `where` completes "unknown key 'x' ...",
// e.g. "in pool" or "at top level".
std::vector<MappingEntry> read_entries(const YAML::Node& map, const std::string& where,
                                       const std::vector<std::string>& allowed, ParseContext& ctx);

// Where to point for a value. A missing value ("key:" then a newline) has a
// mark on the following line in yaml-cpp, so null values point at their key.
YAML::Mark value_mark(const MappingEntry& entry);

// Each reader reports at the value and returns std::nullopt when the value
// is unusable; `label` is the setting's dotted name, e.g. "pool.workers".
std::optional<int64_t> read_integer(const MappingEntry& entry, const std::string& label, int64_t min,
                                    int64_t max, ParseContext& ctx);
// Any number (integer or not) in [min, max]; the message gives the range.
std::optional<double> read_number(const MappingEntry& entry, const std::string& label, double min, double max,
                                  ParseContext& ctx);
std::optional<bool> read_bool(const MappingEntry& entry, const std::string& label, ParseContext& ctx);
// Any non-empty scalar, as text (so `address: 10.0.0.1` or `id: 7` read fine).
std::optional<std::string> read_text(const YAML::Node& value, const YAML::Mark& at, const std::string& label,
                                     ParseContext& ctx);
std::optional<std::string> read_text(const MappingEntry& entry, const std::string& label, ParseContext& ctx);
std::optional<std::string> read_choice(const MappingEntry& entry, const std::string& label,
                                       const std::vector<std::string>& choices, ParseContext& ctx);

// True for a mapping; null (an empty section) counts as an empty mapping.
// Anything else is reported as "<label> must be a mapping".
bool expect_mapping(const MappingEntry& entry, const std::string& label, ParseContext& ctx);

// "a, b, c"
std::string join(const std::vector<std::string>& words);

}  // namespace nebula::host

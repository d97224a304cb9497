// Reading YAML values: every scalar is ${VAR}-expanded first, then typed
// (plain scalars by the core schema, quoted and block scalars stay strings).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "config/parse_context.hpp"

namespace nebula::host {

struct ScalarValue {
  std::string text;      // after expansion, as written otherwise
  nlohmann::json typed;  // null, bool, integer, float or string
};

// `node` must be a scalar or null. std::nullopt when expansion failed; the
// problem has then been reported at the node, so callers add nothing.
std::optional<ScalarValue> read_scalar(const YAML::Node& node, ParseContext& ctx);

// Beyond these a conversion reports one issue at the node where it stopped
// and the rest of the subtree reads as null.
inline constexpr int kMaxYamlNesting = 128;
inline constexpr size_t kMaxYamlValues = 100'000;

// Converts a whole subtree. Keys are taken as written (never expanded);
// scalars that fail to expand become null after being reported.
nlohmann::json yaml_to_json(const YAML::Node& node, ParseContext& ctx);

// "a mapping", "a sequence", "nothing", "'text'", "42", "true": for "got ..." messages.
std::string describe_value(const YAML::Node& node, const nlohmann::json* typed = nullptr);

}  // namespace nebula::host

#include "config/mapping_reader.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "config/edit_distance.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

std::vector<MappingEntry> read_entries(const YAML::Node& map, const std::string& where,
                                       const std::vector<std::string>& allowed, ParseContext& ctx) {
  std::vector<MappingEntry> entries;
  std::set<std::string> seen;
  for (const auto& pair : map) {
    if (!pair.first.IsScalar()) {
      ctx.report(pair.first.Mark(), "keys must be plain strings, got " + describe_value(pair.first));
      continue;
    }
    const std::string& key = pair.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      ctx.report(pair.first.Mark(), "unknown key '" + key + "' " + where + " (allowed: " + join(allowed) + ")" +
                                        did_you_mean(key, allowed));
      continue;
    }
    if (!seen.insert(key).second) {
      ctx.report(pair.first.Mark(), "duplicate key '" + key + "' " + where);
      continue;
    }
    entries.push_back(MappingEntry{key, pair.first, pair.second});
  }
  return entries;
}

YAML::Mark value_mark(const MappingEntry& entry) {
  return entry.value.IsNull() ? entry.key_node.Mark() : entry.value.Mark();
}

namespace {

// The scalar's typed value, or nullopt after reporting why there is none.
std::optional<ScalarValue> scalar_or_report(const YAML::Node& value, const YAML::Mark& at,
                                            const std::string& expectation, ParseContext& ctx) {
  if (value.IsMap() || value.IsSequence()) {
    ctx.report(at, expectation + ", got " + describe_value(value));
    return std::nullopt;
  }
  return read_scalar(value, ctx);
}

}  // namespace

std::optional<int64_t> read_integer(const MappingEntry& entry, const std::string& label, int64_t min,
                                    int64_t max, ParseContext& ctx) {
  const std::string expectation =
      label + " must be an integer between " + std::to_string(min) + " and " + std::to_string(max);
  auto scalar = scalar_or_report(entry.value, value_mark(entry), expectation, ctx);
  if (!scalar) return std::nullopt;
  const nlohmann::json& typed = scalar->typed;
  const bool fits_int64 = typed.is_number_integer() &&
                          (!typed.is_number_unsigned() ||
                           typed.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()));
  if (!fits_int64 || typed.get<int64_t>() < min || typed.get<int64_t>() > max) {
    ctx.report(value_mark(entry), expectation + ", got " + describe_value(entry.value, &typed));
    return std::nullopt;
  }
  return typed.get<int64_t>();
}

std::optional<double> read_number(const MappingEntry& entry, const std::string& label, double min, double max,
                                  ParseContext& ctx) {
  std::ostringstream range;
  range << label << " must be a number between " << min << " and " << max;
  const std::string expectation = range.str();
  auto scalar = scalar_or_report(entry.value, value_mark(entry), expectation, ctx);
  if (!scalar) return std::nullopt;
  const nlohmann::json& typed = scalar->typed;
  if (!typed.is_number() || !(typed.get<double>() >= min && typed.get<double>() <= max)) {
    ctx.report(value_mark(entry), expectation + ", got " + describe_value(entry.value, &typed));
    return std::nullopt;
  }
  return typed.get<double>();
}

std::optional<bool> read_bool(const MappingEntry& entry, const std::string& label, ParseContext& ctx) {
  const std::string expectation = label + " must be true or false";
  auto scalar = scalar_or_report(entry.value, value_mark(entry), expectation, ctx);
  if (!scalar) return std::nullopt;
  if (!scalar->typed.is_boolean()) {
    ctx.report(value_mark(entry), expectation + ", got " + describe_value(entry.value, &scalar->typed));
    return std::nullopt;
  }
  return scalar->typed.get<bool>();
}

std::optional<std::string> read_text(const YAML::Node& value, const YAML::Mark& at, const std::string& label,
                                     ParseContext& ctx) {
  const std::string expectation = label + " must be a non-empty string";
  auto scalar = scalar_or_report(value, at, expectation, ctx);
  if (!scalar) return std::nullopt;
  if (scalar->text.empty()) {
    ctx.report(at, expectation + ", got " + describe_value(value, &scalar->typed));
    return std::nullopt;
  }
  return scalar->text;
}

std::optional<std::string> read_text(const MappingEntry& entry, const std::string& label, ParseContext& ctx) {
  return read_text(entry.value, value_mark(entry), label, ctx);
}

std::optional<std::string> read_choice(const MappingEntry& entry, const std::string& label,
                                       const std::vector<std::string>& choices, ParseContext& ctx) {
  const std::string expectation = label + " must be one of " + join(choices);
  auto scalar = scalar_or_report(entry.value, value_mark(entry), expectation, ctx);
  if (!scalar) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), scalar->text) == choices.end()) {
    ctx.report(value_mark(entry), expectation + ", got " + describe_value(entry.value, &scalar->typed));
    return std::nullopt;
  }
  return scalar->text;
}

bool expect_mapping(const MappingEntry& entry, const std::string& label, ParseContext& ctx) {
  if (entry.value.IsMap() || entry.value.IsNull()) return true;
  ctx.report(value_mark(entry), label + " must be a mapping, got " + describe_value(entry.value));
  return false;
}

}  // namespace nebula::host

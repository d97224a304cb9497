// The metric fields of a Record as they appear on the wire: grouped under
// "blockchain" / "network" / "performance", addressable nested
// ({"network":{"peer_count":3}}) or flat ("network.peer_count":3). Shared by
// the decoder and encode_record_json so both agree on names and types.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/record.hpp"
#include "nebula/record_fields.hpp"

namespace nebula::host::wire {

enum class Group : uint8_t { None, Blockchain, Network, Performance };

enum class Kind : uint8_t {
  Count,     // non-negative integer (int64)
  Amount,    // finite, non-negative number
  Fraction,  // number in [0, 1]
};

struct MetricField {
  std::string_view dotted;  // column name, e.g. "network.peer_count"
  Group group;
  Kind kind;
  std::optional<int64_t> Record::*count;  // set when kind == Count
  std::optional<double> Record::*amount;  // set otherwise

  std::string_view leaf() const { return dotted.substr(dotted.find('.') + 1); }
};

inline constexpr std::array<MetricField, 11> metric_fields = {{
    {fields::current_height, Group::Blockchain, Kind::Count, &Record::current_height, nullptr},
    {fields::blocks_processed, Group::Blockchain, Kind::Count, &Record::blocks_processed, nullptr},
    {fields::transaction_count, Group::Blockchain, Kind::Count, &Record::transaction_count, nullptr},
    {fields::hash_rate, Group::Blockchain, Kind::Amount, nullptr, &Record::hash_rate},
    {fields::peer_count, Group::Network, Kind::Count, &Record::peer_count, nullptr},
    {fields::latency, Group::Network, Kind::Amount, nullptr, &Record::latency_ms},
    {fields::bandwidth, Group::Network, Kind::Amount, nullptr, &Record::bandwidth},
    {fields::connection_quality, Group::Network, Kind::Fraction, nullptr, &Record::connection_quality},
    {fields::cpu_usage, Group::Performance, Kind::Amount, nullptr, &Record::cpu_usage},
    {fields::memory_usage, Group::Performance, Kind::Amount, nullptr, &Record::memory_usage},
    {fields::uptime, Group::Performance, Kind::Amount, nullptr, &Record::uptime},
}};

inline std::string_view group_name(Group g) {
  switch (g) {
    case Group::Blockchain: return "blockchain";
    case Group::Network: return "network";
    case Group::Performance: return "performance";
    case Group::None: break;
  }
  return {};
}

inline Group group_of(std::string_view key) {
  if (key == "blockchain") return Group::Blockchain;
  if (key == "network") return Group::Network;
  if (key == "performance") return Group::Performance;
  return Group::None;
}

// By flat dotted name; nullptr when unknown.
inline const MetricField* find_metric(std::string_view dotted) {
  for (const auto& f : metric_fields)
    if (f.dotted == dotted) return &f;
  return nullptr;
}

// By leaf name inside a group object; nullptr when unknown.
inline const MetricField* find_metric(Group group, std::string_view leaf) {
  for (const auto& f : metric_fields)
    if (f.group == group && f.leaf() == leaf) return &f;
  return nullptr;
}

}  // namespace nebula::host::wire

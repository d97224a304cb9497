// The metric fields of a Record as they appear on the wire: grouped under
// "blockchain" / "network" / "performance" (or, as the architecture
// document's NodePoolInterface writes them, "blockchain_metrics" /
// "network_metrics" / "performance_metrics"), addressable nested
// ({"network":{"peer_count":3}}) or flat ("network.peer_count":3). Shared by
// the decoder and encode_record_json so both agree on names and types; the
// encoder always writes the short names.
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
  Count,     // non-negative integer (int64), at most MetricField::max
  Amount,    // finite, non-negative number, at most MetricField::max
  Fraction,  // number in [0, 1]
};

// Physical ceilings: a value above one is a unit mix-up or a broken sensor,
// and one such value would dominate every mean and baseline downstream.
inline constexpr double kPercent = 100.0;
inline constexpr double kExactInteger = 9007199254740992.0;  // 2^53: processors compute in double
inline constexpr double kMaxPeers = 1e6;
inline constexpr double kMaxLatencyMs = 3.6e6;      // one hour
inline constexpr double kMaxBandwidth = 1e15;       // a petabyte per second
inline constexpr double kMaxHashRate = 1e24;        // ~1000x today's largest networks
inline constexpr double kMaxUptimeS = 1e10;         // ~317 years

constexpr std::string_view group_name(Group g) {
  switch (g) {
    case Group::Blockchain: return "blockchain";
    case Group::Network: return "network";
    case Group::Performance: return "performance";
    case Group::None: break;
  }
  return {};
}

struct MetricField {
  std::string_view dotted;  // column name, e.g. "network.peer_count"
  Group group;
  Kind kind;
  std::optional<int64_t> Record::*count;  // set when kind == Count
  std::optional<double> Record::*amount;  // set otherwise
  double max;                              // largest value that is physically possible
  std::string_view unit;                   // for the reason a sender gets: "%", "ms", ...

  // After "<group>.": no search, the decoder asks for every key it reads.
  constexpr std::string_view leaf() const { return dotted.substr(group_name(group).size() + 1); }
};

inline constexpr std::array<MetricField, 11> metric_fields = {{
    {fields::current_height, Group::Blockchain, Kind::Count, &Record::current_height, nullptr, kExactInteger, ""},
    {fields::blocks_processed, Group::Blockchain, Kind::Count, &Record::blocks_processed, nullptr, kExactInteger, ""},
    {fields::transaction_count, Group::Blockchain, Kind::Count, &Record::transaction_count, nullptr, kExactInteger, ""},
    {fields::hash_rate, Group::Blockchain, Kind::Amount, nullptr, &Record::hash_rate, kMaxHashRate, "H/s"},
    {fields::peer_count, Group::Network, Kind::Count, &Record::peer_count, nullptr, kMaxPeers, ""},
    {fields::latency, Group::Network, Kind::Amount, nullptr, &Record::latency_ms, kMaxLatencyMs, "ms"},
    {fields::bandwidth, Group::Network, Kind::Amount, nullptr, &Record::bandwidth, kMaxBandwidth, ""},
    {fields::connection_quality, Group::Network, Kind::Fraction, nullptr, &Record::connection_quality, 1.0, ""},
    {fields::cpu_usage, Group::Performance, Kind::Amount, nullptr, &Record::cpu_usage, kPercent, "%"},
    {fields::memory_usage, Group::Performance, Kind::Amount, nullptr, &Record::memory_usage, kPercent, "%"},
    {fields::uptime, Group::Performance, Kind::Amount, nullptr, &Record::uptime, kMaxUptimeS, "s"},
}};

// leaf() relies on every column name being "<its group's name>.<leaf>".
constexpr bool dotted_names_start_with_their_group() {
  for (const auto& f : metric_fields) {
    const std::string_view group = group_name(f.group);
    if (!f.dotted.starts_with(group) || f.dotted.size() <= group.size() || f.dotted[group.size()] != '.') return false;
  }
  return true;
}
static_assert(dotted_names_start_with_their_group());

// A group object's key: the short name or the document's "<name>_metrics".
inline Group group_of(std::string_view key) {
  constexpr std::string_view kLongSuffix = "_metrics";
  if (key.ends_with(kLongSuffix)) key.remove_suffix(kLongSuffix.size());
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

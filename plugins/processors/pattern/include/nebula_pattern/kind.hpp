// The incident kinds the Pattern Recognizer detects, and their wire names.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace nebula::pattern {

enum class Kind : std::size_t {
  Stall,
  Eclipse,
  Partition,
  TxFlood,
  HashrateDrop,
  HashrateSurge,
  ResourceExhaustion,
};

inline constexpr std::size_t kKindCount = 7;

inline constexpr std::array<Kind, kKindCount> kAllKinds = {
    Kind::Stall,        Kind::Eclipse,       Kind::Partition,         Kind::TxFlood,
    Kind::HashrateDrop, Kind::HashrateSurge, Kind::ResourceExhaustion};

// "stall", "eclipse", "partition", "tx_flood", "hashrate_drop",
// "hashrate_surge", "resource_exhaustion".
std::string_view kind_name(Kind kind);
std::optional<Kind> kind_from_name(std::string_view name);

inline constexpr std::size_t index(Kind kind) { return static_cast<std::size_t>(kind); }

}  // namespace nebula::pattern

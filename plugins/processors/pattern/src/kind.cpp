#include "nebula_pattern/kind.hpp"

namespace nebula::pattern {

namespace {
constexpr std::array<std::string_view, kKindCount> kNames = {
    "stall", "eclipse", "partition", "tx_flood", "hashrate_drop", "hashrate_surge", "resource_exhaustion"};
}

std::string_view kind_name(Kind kind) { return kNames[index(kind)]; }

std::optional<Kind> kind_from_name(std::string_view name) {
  for (Kind k : kAllKinds)
    if (kNames[index(k)] == name) return k;
  return std::nullopt;
}

}  // namespace nebula::pattern

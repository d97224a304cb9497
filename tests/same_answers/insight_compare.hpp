// Compares one processor's insight with the one it emitted before, value by
// value, and says where they differ (a JSON pointer) and how.
//
// Tolerances:
//   integers, strings, booleans, null, keys, array lengths: exact
//   doubles: relative 1e-9 (summation order may change, the answer may not),
//            with an absolute floor of 1e-12 for values that are zero up to
//            rounding (cancellation leaves +-1e-17 that a reordering flips)
//   fields computed by a sketch (kSketchFields): relative 10 %
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace same_answers {

struct Tolerance {
  double relative;
  double absolute;
};

inline constexpr Tolerance kExactDoubles{1e-9, 1e-12};

// Quantiles from network_monitor's KLL sketch (k = 200, documented rank error
// 1.33 %), and decisions' copies of them. The sketch is deterministic (fixed
// seed), so today they match exactly; a reworked sketch (other compaction,
// other coin flips) may answer with a neighbouring rank, which on these
// distributions (peer counts 0..50, latencies of tens to hundreds of ms) moves
// p50/p95 by a few percent and the sparse p99 tail by up to ~10 %.
struct SketchField {
  const char* processor;  // component id
  const char* path;       // JSON pointer; "*" matches one segment
};
inline constexpr SketchField kSketchFields[] = {
    {"network", "/chains/*/peer_count/p50"},           {"network", "/chains/*/peer_count/p95"},
    {"network", "/chains/*/peer_count/p99"},           {"network", "/chains/*/latency_ms/p50"},
    {"network", "/chains/*/latency_ms/p95"},           {"network", "/chains/*/latency_ms/p99"},
    {"decisions", "/chain_observations/*/latency_ms/p50"}, {"decisions", "/chain_observations/*/latency_ms/p95"},
    {"decisions", "/chain_observations/*/latency_ms/p99"},
};
inline constexpr Tolerance kSketchTolerance{0.10, 1e-12};

Tolerance tolerance_for(const std::string& processor, const std::string& pointer);

struct Difference {
  std::string pointer;  // where, e.g. /chains/testnet/latency_ms/p95
  std::string expected;
  std::string actual;
};

// Every difference of `actual` from `expected`, up to `limit`; `total` counts
// them all.
struct Differences {
  std::vector<Difference> listed;
  size_t total = 0;
};
Differences compare_insight(const std::string& processor, const nlohmann::json& expected,
                            const nlohmann::json& actual, size_t limit);

}  // namespace same_answers

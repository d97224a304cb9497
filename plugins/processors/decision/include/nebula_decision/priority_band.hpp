// A recommendation's score (0..1) in words, for labels: "high" (>= 0.75),
// "medium" (>= 0.5), else "low". The cut-offs are the Alertmanager sink's
// critical / warning / info for recommendations, so a band and an alert's
// severity agree.
#pragma once

#include <array>
#include <string_view>

namespace nebula::decision {

inline constexpr std::array<std::string_view, 3> kPriorityBands = {"high", "medium", "low"};

std::string_view priority_band(double score);

}  // namespace nebula::decision

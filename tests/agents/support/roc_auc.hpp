// ROC AUC by the rank-sum (Mann-Whitney U) formula, ties counted as half.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

namespace nebula::agents::testing {

// scored: (score, is_positive). Returns 0.5 when either class is empty.
inline double roc_auc(std::vector<std::pair<double, bool>> scored) {
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double pos = 0, neg = 0, rank_sum = 0;
  for (size_t i = 0; i < scored.size();) {
    size_t j = i;
    while (j < scored.size() && scored[j].first == scored[i].first) ++j;
    const double avg_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;  // 1-based
    for (size_t k = i; k < j; ++k)
      if (scored[k].second) rank_sum += avg_rank;
    i = j;
  }
  for (const auto& s : scored) (s.second ? pos : neg) += 1;
  if (pos == 0 || neg == 0) return 0.5;
  return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg);
}

}  // namespace nebula::agents::testing

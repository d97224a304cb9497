#include "fleet_split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace nebula::node::cli {

FleetWeights parse_ratio(std::string_view text) {
  FleetWeights w{};
  std::size_t k = 0;
  for (std::size_t i = 0;; ++k) {
    const auto colon = text.find(':', i);
    if (k == kNodeTypes) throw std::invalid_argument("--ratio has more than five weights (T:M:B:F:S)");
    const std::string part(text.substr(i, colon == std::string_view::npos ? std::string_view::npos : colon - i));
    if (part.empty()) throw std::invalid_argument("--ratio must be weights T:M:B:F or T:M:B:F:S, e.g. 4:4:1:1");
    std::size_t used = 0;
    try {
      w[k] = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || !(w[k] >= 0) || !std::isfinite(w[k]))
      throw std::invalid_argument("--ratio: '" + part + "' is not a non-negative number");
    if (colon == std::string_view::npos) break;
    i = colon + 1;
  }
  if (k + 1 < 4) throw std::invalid_argument("--ratio must be weights T:M:B:F or T:M:B:F:S, e.g. 4:4:1:1");
  if (std::accumulate(w.begin(), w.end(), 0.0) <= 0) throw std::invalid_argument("--ratio: the weights add up to 0");
  return w;
}

FleetCounts split_fleet(std::size_t n, const FleetWeights& w) {
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  std::array<std::size_t, kNodeTypes> count{};
  std::array<double, kNodeTypes> remainder{};
  std::size_t given = 0;
  for (std::size_t k = 0; k < kNodeTypes; ++k) {
    const double exact = static_cast<double>(n) * w[k] / sum;
    count[k] = static_cast<std::size_t>(std::floor(exact));
    remainder[k] = exact - static_cast<double>(count[k]);
    given += count[k];
  }
  while (given < n) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < kNodeTypes; ++k)
      if (remainder[k] > remainder[best]) best = k;
    ++count[best];
    remainder[best] = -1;
    ++given;
  }
  return FleetCounts{count[0], count[1], count[2], count[3], count[4]};
}

}  // namespace nebula::node::cli

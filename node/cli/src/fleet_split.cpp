#include "fleet_split.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace nebula::node::cli {

std::array<double, 4> parse_ratio(std::string_view text) {
  std::array<double, 4> w{};
  std::size_t i = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const auto colon = text.find(':', i);
    const std::string part(text.substr(i, colon == std::string_view::npos ? std::string_view::npos : colon - i));
    if (part.empty() || (k < 3 && colon == std::string_view::npos) || (k == 3 && colon != std::string_view::npos))
      throw std::invalid_argument("--ratio must be four weights T:M:B:F, e.g. 4:4:1:1");
    std::size_t used = 0;
    try {
      w[k] = std::stod(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || !(w[k] >= 0) || !std::isfinite(w[k]))
      throw std::invalid_argument("--ratio: '" + part + "' is not a non-negative number");
    i = colon + 1;
  }
  if (w[0] + w[1] + w[2] + w[3] <= 0) throw std::invalid_argument("--ratio: the weights add up to 0");
  return w;
}

FleetCounts split_fleet(std::size_t n, const std::array<double, 4>& w) {
  const double sum = w[0] + w[1] + w[2] + w[3];
  std::array<std::size_t, 4> count{};
  std::array<double, 4> remainder{};
  std::size_t given = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const double exact = static_cast<double>(n) * w[k] / sum;
    count[k] = static_cast<std::size_t>(std::floor(exact));
    remainder[k] = exact - static_cast<double>(count[k]);
    given += count[k];
  }
  while (given < n) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < 4; ++k)
      if (remainder[k] > remainder[best]) best = k;
    ++count[best];
    remainder[best] = -1;
    ++given;
  }
  return FleetCounts{count[0], count[1], count[2], count[3]};
}

}  // namespace nebula::node::cli

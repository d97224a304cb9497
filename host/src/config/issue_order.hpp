// Issues are found section by section but read best in file order.
#pragma once

#include <algorithm>
#include <tuple>
#include <vector>

#include "config/pipeline_config.hpp"

namespace nebula::host {

// Stable, so issues at one position keep the order they were found in;
// issues without a position (line 0) come first.
inline void sort_by_position(std::vector<ConfigIssue>::iterator begin, std::vector<ConfigIssue>::iterator end) {
  std::stable_sort(begin, end, [](const ConfigIssue& a, const ConfigIssue& b) {
    return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
  });
}

}  // namespace nebula::host

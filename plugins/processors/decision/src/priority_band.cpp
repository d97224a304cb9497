#include "nebula_decision/priority_band.hpp"

namespace nebula::decision {

std::string_view priority_band(double score) {
  if (score >= 0.75) return "high";
  if (score >= 0.5) return "medium";
  return "low";
}

}  // namespace nebula::decision

// DOM helpers for the small documents agents still read with nlohmann
// (network, blockchain). Training examples: training_example_reader.cpp;
// the analyst's patterns: analyst/pattern_update.cpp.
#include "nebula_agents/training_examples.hpp"

#include <cmath>

namespace nebula::agents {

std::optional<double> finite_number(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

}  // namespace nebula::agents

#include "pattern_update.hpp"

#include <nebula_insights/active_anomalies.hpp>

namespace nebula::analyst {

std::optional<PatternUpdate> read_pattern_update(std::string_view json) {
  PatternUpdate out;
  const auto read = insights::for_each_active_anomaly(json, [&](std::string_view kind, std::string_view node_id) {
    out.active[std::string(node_id)].insert(std::string(kind));
  });
  if (read == insights::ActiveList::kNotJson) return std::nullopt;
  out.has_active = read == insights::ActiveList::kRead;
  return out;
}

}  // namespace nebula::analyst

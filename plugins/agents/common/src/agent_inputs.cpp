#include "nebula_agents/agent_inputs.hpp"

namespace nebula::agents {

std::optional<nlohmann::json> dom_of(std::string_view json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

}  // namespace nebula::agents

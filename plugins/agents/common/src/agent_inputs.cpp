#include "nebula_agents/agent_inputs.hpp"

namespace nebula::agents {

std::optional<AgentInput> read_agent_input(std::string_view topic, std::string_view json, std::string_view dom_topic) {
  AgentInput in;
  in.topic = std::string(topic);
  if (topic == dom_topic) {
    in.doc = nlohmann::json::parse(json, nullptr, false);
    if (in.doc.is_discarded()) return std::nullopt;
    return in;
  }
  auto training = read_training_examples(json);
  if (!training) return std::nullopt;
  in.training = std::move(*training);
  return in;
}

std::vector<AgentInput> read_agent_inputs(const std::vector<nebula::Insight>& batch, std::string_view dom_topic,
                                          const nebula::Host& host) {
  std::vector<AgentInput> out;
  out.reserve(batch.size());
  for (const auto& insight : batch) {
    if (auto in = read_agent_input(insight.topic, insight.json, dom_topic)) out.push_back(std::move(*in));
    else host.count("insights_ignored");
  }
  return out;
}

}  // namespace nebula::agents

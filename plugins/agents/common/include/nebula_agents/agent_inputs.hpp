// One training batch as the agents read it. Training examples come straight
// from the insight text (read_training_examples: simdjson, no DOM): they are
// ~64 KB each and most of what an agent reads. The one other topic an agent
// subscribes to is read by a reader the agent picks: a nlohmann DOM for the
// small ones (network ~1 KB, blockchain ~2 KB), the analyst's own simdjson
// reader for patterns (~80 KB) (docs/agents.md, "Inputs").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nebula/plugin.hpp>
#include <nlohmann/json.hpp>

#include "nebula_agents/training_examples.hpp"

namespace nebula::agents {

template <class Other>
struct AgentInput {
  std::string topic;
  Other other;           // the agent's other topic: what its reader made of the document
  ParsedBatch training;  // any topic but that: its training examples (usable=false: none)
};

using DomInput = AgentInput<nlohmann::json>;

// A small document as a nlohmann DOM; nullopt: not JSON.
std::optional<nlohmann::json> dom_of(std::string_view json);

// `json` on `topic` read as above; nullopt when it is not JSON.
// `read_other(json)` returns std::optional<Other> (nullopt: not JSON).
template <class ReadOther>
auto read_agent_input(std::string_view topic, std::string_view json, std::string_view other_topic,
                      ReadOther&& read_other) {
  using Other = typename std::invoke_result_t<ReadOther&, std::string_view>::value_type;
  std::optional<AgentInput<Other>> out;
  if (topic == other_topic) {
    auto other = read_other(json);
    if (!other) return out;
    out.emplace().other = std::move(*other);
  } else {
    auto training = read_training_examples(json);
    if (!training) return out;
    out.emplace().training = std::move(*training);
  }
  out->topic = std::string(topic);
  return out;
}

// A host batch read so. What is not JSON is counted ("insights_ignored"),
// never thrown: the rest of the batch still teaches.
template <class ReadOther>
auto read_agent_inputs(const std::vector<nebula::Insight>& batch, std::string_view other_topic,
                       const nebula::Host& host, ReadOther&& read_other) {
  using Other = typename std::invoke_result_t<ReadOther&, std::string_view>::value_type;
  std::vector<AgentInput<Other>> out;
  out.reserve(batch.size());
  for (const auto& insight : batch) {
    if (auto in = read_agent_input(insight.topic, insight.json, other_topic, read_other)) out.push_back(std::move(*in));
    else host.count("insights_ignored");
  }
  return out;
}

}  // namespace nebula::agents

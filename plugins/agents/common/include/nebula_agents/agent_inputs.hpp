// One training batch as the agents read it. Training examples come straight
// from the insight text (read_training_examples: simdjson, no DOM): they are
// ~64 KB each and most of what an agent reads. The one other topic an agent
// subscribes to (patterns, network or blockchain) is parsed into a nlohmann
// DOM: those documents are small or rare (docs/agents.md, "Reading insights").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nebula/plugin.hpp>
#include <nlohmann/json.hpp>

#include "nebula_agents/training_examples.hpp"

namespace nebula::agents {

struct AgentInput {
  std::string topic;
  nlohmann::json doc;    // topic == the agent's DOM topic: the document
  ParsedBatch training;  // any other topic: its training examples (usable=false: none)
};

// `json` on `topic` read as above; nullopt when it is not JSON.
std::optional<AgentInput> read_agent_input(std::string_view topic, std::string_view json, std::string_view dom_topic);

// A host batch read so. What is not JSON is counted ("insights_ignored"),
// never thrown: the rest of the batch still teaches.
std::vector<AgentInput> read_agent_inputs(const std::vector<nebula::Insight>& batch, std::string_view dom_topic,
                                          const nebula::Host& host);

}  // namespace nebula::agents

// Reaching a state cap is a warning and a metric, never silent: each agent,
// loaded from its real .so with max_nodes 2, learns from the real Learning
// Engine's output for a fleet of many nodes and must count the evictions,
// gauge the node table's fill and warn once, naming itself, the table, the
// capacity and the config key.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

struct Agent {
  const char* library;
  const char* id;
};

// What the agents learn from: the real Learning Engine's and Block Data
// Analyzer's insights for a short simulated run.
const PluginRun::Insights& producer_output() {
  static const PluginRun::Insights fed = [] {
    nebula_sim::Fleet fleet(contract_fleet::config());
    PluginRun learning("libnebula_processor_learning.so", "nebula.processor.learning");
    PluginRun blocks("libnebula_processor_block_data.so", "nebula.processor.block_data");
    PluginRun network("libnebula_processor_network_monitor.so", "nebula.processor.network_monitor");
    PluginRun::Insights out;
    for (int step = 0; step < 40; ++step) {
      const auto batch = sim_batch::make(fleet.step());
      contract_fleet::append(out, learning.feed(batch));
      contract_fleet::append(out, blocks.feed(batch));
      contract_fleet::append(out, network.feed(batch));
    }
    return out;
  }();
  return fed;
}

class AgentStateCaps : public ::testing::TestWithParam<Agent> {};

TEST_P(AgentStateCaps, AFullNodeTableIsCountedGaugedAndWarnedAboutOnce) {
  const Agent& a = GetParam();
  PluginRun agent(a.library, a.id, R"({"max_nodes": 2})");
  const auto& fed = producer_output();
  for (size_t i = 0; i < fed.size(); i += 20) {
    const PluginRun::Insights batch(fed.begin() + i, fed.begin() + std::min(fed.size(), i + 20));
    ASSERT_EQ(agent.instance().learn(batch), NEBULA_OK) << agent.instance().last_error();
  }
  const auto& host = agent.host();
  const double evicted = agent.instance().stats()["nodes_evicted"].get<double>();
  EXPECT_GT(evicted, 0.0) << "the fleet has more than two nodes";
  EXPECT_EQ(host.counter("state_evictions_nodes"), evicted);
  EXPECT_EQ(host.gauge("state_entries_nodes"), 2.0);
  EXPECT_EQ(host.gauge("state_capacity_nodes"), 2.0);

  std::vector<std::string> warnings;
  for (const auto& line : host.logs())
    if (line.level == NEBULA_LOG_WARN && line.message.find("state table") != std::string::npos)
      warnings.push_back(line.message);
  ASSERT_EQ(warnings.size(), 1u) << "rate limited, not one per eviction";
  EXPECT_NE(warnings[0].find(a.id), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("'nodes'"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("capacity of 2"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("'max_nodes'"), std::string::npos) << warnings[0];
}

INSTANTIATE_TEST_SUITE_P(Agents, AgentStateCaps,
                         ::testing::Values(Agent{"libnebula_agent_archivist.so", "nebula.agent.archivist"},
                                           Agent{"libnebula_agent_resonant.so", "nebula.agent.resonant"},
                                           Agent{"libnebula_agent_analyst.so", "nebula.agent.analyst"}),
                         [](const auto& info) {
                           std::string name = info.param.id;
                           return name.substr(name.rfind('.') + 1);
                         });

}  // namespace

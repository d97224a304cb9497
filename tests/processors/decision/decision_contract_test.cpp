// The Decision Optimizer fed what its real producers emit, as the default
// pipeline wires them: the simulated fleet's records -> pattern, network
// monitor and block data plugins -> decision plugin. Its own insights hold to
// decisions.schema.json, and a real partition found by the network monitor
// reaches the operator as one.
#include <gtest/gtest.h>

#include <algorithm>

#include "contract_fleet.hpp"
#include "nebula_decision/decision_engine.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

PluginRun decision_plugin() { return PluginRun("libnebula_processor_decision.so", "nebula.processor.decision"); }
PluginRun network_plugin() {
  return PluginRun("libnebula_processor_network_monitor.so", "nebula.processor.network_monitor");
}

const json* chain_observation(const json& decisions, const std::string& chain_id) {
  for (const auto& o : decisions["chain_observations"])
    if (o["chain_id"] == chain_id) return &o;
  return nullptr;
}

TEST(DecisionContract, FedByRealPatternNetworkAndBlockDataItEmitsValidDecisions) {
  nebula_sim::Fleet fleet(contract_fleet::config());
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  PluginRun network = network_plugin();
  PluginRun blocks("libnebula_processor_block_data.so", "nebula.processor.block_data");
  PluginRun decision = decision_plugin();
  PluginRun::Insights upstream, decided;
  for (int step = 0; step < contract_fleet::kSteps; ++step) {
    const auto batch = sim_batch::make(fleet.step());
    for (PluginRun* producer : {&patterns, &network, &blocks})
      for (auto& in : producer->feed(batch)) {
        for (auto& out : decision.feed(PluginRun::Insights{in})) decided.push_back(std::move(out));
        upstream.push_back(std::move(in));
      }
  }
  EXPECT_TRUE(topic_contract::all_conform(upstream)) << "what decision was fed";
  EXPECT_TRUE(topic_contract::all_conform(decided));
  // Every input was understood: none ignored as an unknown kind, none malformed.
  const json last = json::parse(decided.back().json);
  EXPECT_GT(last["inputs"]["patterns"], 0);
  EXPECT_GT(last["inputs"]["network"], 0);
  EXPECT_GT(last["inputs"]["block_data"], 0);
  EXPECT_EQ(last["inputs"]["ignored"], 0);
  EXPECT_EQ(last["inputs"]["malformed"], 0);
  const bool saw_partitioned_testnet = std::any_of(decided.begin(), decided.end(), [](const auto& d) {
    const json doc = json::parse(d.json);
    const json* obs = chain_observation(doc, "testnet");
    return obs && (*obs)["status"] == "partitioned";
  });
  EXPECT_TRUE(saw_partitioned_testnet);
}

// network_monitor -> decision alone: the partition the decision reports is the
// one the network monitor measured (its `partitions` list), not the pattern
// recognizer's incident.
TEST(DecisionContract, NetworkMonitorPartitionReachesTheDecision) {
  nebula_sim::Fleet fleet(contract_fleet::config());
  PluginRun network = network_plugin();
  PluginRun decision = decision_plugin();
  std::vector<std::string> reported;
  json partitioned_observation;
  for (int step = 0; step < contract_fleet::kSteps && reported.empty(); ++step) {
    for (const auto& out : decision.feed(network.feed(sim_batch::make(fleet.step())))) {
      const json doc = json::parse(out.json);
      ASSERT_TRUE(topic_contract::conforms(out.topic, doc));
      for (const auto& r : doc["recommendations"])
        if (r["action"] == "investigate" && r["target"] == "testnet") {
          reported = r["evidence"]["nodes"].get<std::vector<std::string>>();
          EXPECT_EQ(r["evidence"]["sources"], json({"network"}));
          partitioned_observation = *chain_observation(doc, "testnet");
        }
    }
  }
  EXPECT_EQ(reported, contract_fleet::kPartitioned);
  EXPECT_EQ(partitioned_observation["status"], "partitioned");
  EXPECT_EQ(partitioned_observation["partitions"], 1);
  EXPECT_GE(fleet.now() - fleet.config().start_time, contract_fleet::kPartitionStart) << "not before the split";
}

// The plugin decides once per cycle (end_cycle). That must be the decision
// the per-input way reaches after the cycle's last input: every field the
// same, but `added` and `expired`, which now span the whole cycle. Checked on
// what the real producers emit for the simulated fleet, every cycle.
TEST(DecisionContract, ACycleDecidedOnceEqualsTheLastOfItsPerInputDecisions) {
  using nebula::decision::DecisionConfig;
  using nebula::decision::DecisionEngine;
  nebula_sim::Fleet fleet(contract_fleet::config());
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  PluginRun network = network_plugin();
  PluginRun blocks("libnebula_processor_block_data.so", "nebula.processor.block_data");
  const auto every_time = DecisionConfig::parse(json{{"emit_unchanged", true}});
  DecisionEngine per_input(every_time), per_cycle(every_time);
  const auto without_deltas = [](json doc) {
    doc.erase("added");
    doc.erase("expired");
    return doc;
  };
  int cycles = 0, with_recommendations = 0;
  for (int step = 0; step < contract_fleet::kSteps; ++step) {
    const auto batch = sim_batch::make(fleet.step());
    std::optional<json> last_per_input;
    for (auto [producer, source] : {std::pair{&patterns, "patterns"}, {&network, "network"}, {&blocks, "block_data"}})
      for (const auto& in : producer->feed(batch)) {
        if (auto doc = per_input.ingest(in.topic, source, in.json)) last_per_input = std::move(doc);
        per_cycle.take(in.topic, source, in.json);
      }
    const auto once = per_cycle.decide_if_changed();
    ASSERT_TRUE(once && last_per_input) << "step " << step;
    ASSERT_EQ(without_deltas(*once), without_deltas(*last_per_input)) << "step " << step;
    ++cycles;
    if (!(*once)["recommendations"].empty()) ++with_recommendations;
  }
  EXPECT_EQ(cycles, contract_fleet::kSteps);
  EXPECT_GT(with_recommendations, 0) << "the fleet must give the ranking something to do";
}

}  // namespace

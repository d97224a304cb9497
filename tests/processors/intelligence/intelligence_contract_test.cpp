// The real Intelligence Synthesizer plugin as the pipeline runs it, fed the
// fleet's records and the real pattern plugin's insights: what it emits holds
// to intelligence.schema.json, and it reads the partition the patterns report.
#include <gtest/gtest.h>

#include <algorithm>

#include "contract_fleet.hpp"
#include "pattern_docs.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

int testnet_partitioned_nodes(const nebula::testing::EmittedInsight& insight) {
  const json doc = json::parse(insight.json);
  for (const auto& chain : doc["chains"])
    if (chain["chain_id"] == "testnet") return chain["active_anomalies"].value("partition", 0);
  return 0;
}

TEST(IntelligenceContract, FedByRealPatternsItEmitsValidInsightsThatCountThePartition) {
  PluginRun intelligence("libnebula_processor_intelligence.so", "nebula.processor.intelligence");
  const auto out = contract_fleet::run_with_patterns(intelligence);
  EXPECT_TRUE(topic_contract::all_conform(out));
  int most = 0;
  for (const auto& insight : out) most = std::max(most, testnet_partitioned_nodes(insight));
  EXPECT_GE(most, 3) << "the scripted partition's members, as `patterns` listed them";
}

TEST(IntelligenceContract, HandWrittenPatternsFixtureMatchesTheSchema) {
  // plugin_test.cpp feeds this document.
  EXPECT_TRUE(topic_contract::conforms("patterns", pattern_docs::patterns(0, {pattern_docs::stall("m1", 0.5, 0)})));
}

}  // namespace

// The real Memory Consolidator plugin as the pipeline runs it, fed the fleet's
// records and the real pattern plugin's insights: what it emits holds to
// memory.schema.json, and it remembers the onsets the patterns reported.
#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

TEST(MemoryContract, FedByRealPatternsItEmitsValidInsightsWithAnomalyOnsets) {
  PluginRun memory("libnebula_processor_memory.so", "nebula.processor.memory");
  const auto out = contract_fleet::run_with_patterns(memory);
  ASSERT_TRUE(topic_contract::all_conform(out));
  uint64_t testnet_onsets = 0;
  const json last = json::parse(out.back().json);
  for (const auto& chain : last["chains"])
    if (chain["chain_id"] == "testnet") testnet_onsets = chain["anomaly_onsets"];
  // At least one per member of the partition `patterns` reported (3 or more nodes).
  EXPECT_GE(testnet_onsets, 3u);
}

}  // namespace

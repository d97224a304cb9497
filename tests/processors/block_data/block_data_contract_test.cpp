// The real Block Data Analyzer plugin on a simulated fleet: every insight it
// emits holds to sdk/schemas/topics/blockchain.schema.json (kind block_data).
#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

TEST(BlockDataContract, FleetInsightsMatchTheBlockchainSchema) {
  PluginRun blocks("libnebula_processor_block_data.so", "nebula.processor.block_data");
  const auto out = contract_fleet::run(blocks);
  EXPECT_TRUE(topic_contract::all_conform(out));
  for (const auto& insight : out) EXPECT_EQ(insight.topic, "blockchain");
}

}  // namespace

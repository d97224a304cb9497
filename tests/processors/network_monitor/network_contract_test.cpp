// The real Network Monitor plugin on a simulated fleet: every insight it
// emits holds to sdk/schemas/topics/network.schema.json, partitions included.
#include <gtest/gtest.h>

#include <algorithm>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

bool reports_a_partition(const nebula::testing::EmittedInsight& insight) {
  const auto doc = nlohmann::json::parse(insight.json);
  for (const auto& [chain_id, chain] : doc["chains"].items())
    if (!chain["partitions"].empty()) return true;
  return false;
}

TEST(NetworkContract, FleetInsightsMatchTheNetworkSchema) {
  PluginRun network("libnebula_processor_network_monitor.so", "nebula.processor.network_monitor");
  const auto out = contract_fleet::run(network);
  EXPECT_TRUE(topic_contract::all_conform(out));
  // The scripted partition was reported, so its shape was held to the schema too.
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), reports_a_partition));
}

}  // namespace

// The real Transaction Analyzer plugin on a simulated fleet: every insight it
// emits holds to sdk/schemas/topics/blockchain.schema.json (kind transactions).
#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

TEST(TransactionContract, FleetInsightsMatchTheBlockchainSchema) {
  PluginRun transactions("libnebula_processor_transaction_analyzer.so", "nebula.processor.transaction_analyzer");
  const auto out = contract_fleet::run(transactions);
  EXPECT_TRUE(topic_contract::all_conform(out));
  for (const auto& insight : out) EXPECT_EQ(nlohmann::json::parse(insight.json)["kind"], "transactions");
}

}  // namespace

// The real Pattern Recognizer plugin on a simulated fleet: every insight it
// emits holds to sdk/schemas/topics/patterns.schema.json, for node incidents
// and partitions alike.
#include <gtest/gtest.h>

#include <set>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

TEST(PatternContract, FleetInsightsMatchThePatternsSchema) {
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  const auto out = contract_fleet::run(patterns);
  EXPECT_TRUE(topic_contract::all_conform(out));
  // Both incident shapes were emitted, so both were held to the schema.
  std::set<std::string> kinds;
  for (const auto& insight : out) {
    const auto doc = nlohmann::json::parse(insight.json);
    for (const auto& incident : doc["started"]) kinds.insert(incident["kind"]);
  }
  EXPECT_TRUE(kinds.count("partition"));
  EXPECT_GE(kinds.size(), 2u) << "node incidents too";
}

}  // namespace

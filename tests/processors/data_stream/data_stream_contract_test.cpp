// The real Data Stream plugin on a simulated fleet, tallying late records:
// every window insight it emits, the drained ones included, holds to
// sdk/schemas/topics/stream.schema.json.
#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

TEST(DataStreamContract, FleetInsightsMatchTheStreamSchema) {
  PluginRun stream("libnebula_processor_data_stream.so", "nebula.processor.data_stream", R"({"late_policy":"tally"})");
  auto out = contract_fleet::run(stream);
  for (auto& insight : stream.flush()) out.push_back(std::move(insight));
  EXPECT_TRUE(topic_contract::all_conform(out));
}

}  // namespace

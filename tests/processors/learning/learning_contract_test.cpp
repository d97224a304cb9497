// The real Learning Engine plugin as the pipeline runs it, fed the fleet's
// records and the real pattern plugin's insights: every training_examples
// insight holds to learning.schema.json, and the partitioned nodes' examples
// carry the partition the patterns reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "contract_fleet.hpp"
#include "pattern_docs.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

TEST(LearningContract, FedByRealPatternsItEmitsValidExamplesMarkedWithThePartition) {
  PluginRun learning("libnebula_processor_learning.so", "nebula.processor.learning");
  const auto out = contract_fleet::run_with_patterns(learning);
  EXPECT_TRUE(topic_contract::all_conform(out));
  std::set<std::string> marked;
  for (const auto& insight : out) {
    const json doc = json::parse(insight.json);
    for (const auto& example : doc["examples"]) {
      const auto kinds = example["anomaly"]["kinds"].get<std::vector<std::string>>();
      if (std::find(kinds.begin(), kinds.end(), "partition") != kinds.end()) marked.insert(example["node_id"]);
    }
  }
  // The scripted partition's members, as `patterns` listed them (3 or more;
  // random partitions may mark other nodes too).
  const auto scripted = std::count_if(contract_fleet::kPartitioned.begin(), contract_fleet::kPartitioned.end(),
                                      [&](const std::string& node) { return marked.count(node) > 0; });
  EXPECT_GE(scripted, 3);
}

TEST(LearningContract, HandWrittenPatternsFixtureMatchesTheSchema) {
  // plugin_test.cpp feeds this document.
  EXPECT_TRUE(topic_contract::conforms("patterns", pattern_docs::patterns(0, {pattern_docs::stall("n1", 0.5, 0)})));
}

}  // namespace

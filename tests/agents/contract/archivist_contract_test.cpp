// The Archivist agent fed what the real Learning Engine emits (itself fed the
// real Pattern Recognizer's insights) and the real Block Data Analyzer's
// `blockchain` insights, in batches of 20 as the host trains: it reads every
// training example it is given, and trains on them.
#include <gtest/gtest.h>

#include "contract_fleet.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

constexpr int kSteps = 240;  // 20 simulated minutes
constexpr size_t kLearnBatch = 20;

TEST(ArchivistContract, LearnsEveryExampleOfTheRealLearningEngine) {
  nebula_sim::Fleet fleet(contract_fleet::config());
  PluginRun learning("libnebula_processor_learning.so", "nebula.processor.learning");
  PluginRun blocks("libnebula_processor_block_data.so", "nebula.processor.block_data");
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  PluginRun archivist("libnebula_agent_archivist.so", "nebula.agent.archivist");

  PluginRun::Insights fed;
  for (int step = 0; step < kSteps; ++step) {
    const auto batch = sim_batch::make(fleet.step());
    learning.feed(patterns.feed(batch));
    contract_fleet::append(fed, learning.feed(batch));
    contract_fleet::append(fed, blocks.feed(batch));
  }
  ASSERT_TRUE(topic_contract::all_conform(fed));

  size_t learning_docs = 0, examples = 0;
  for (const auto& in : fed)
    if (in.topic == "learning") {
      ++learning_docs;
      examples += json::parse(in.json)["examples"].size();
    }
  for (size_t i = 0; i < fed.size(); i += kLearnBatch) {
    const PluginRun::Insights batch(fed.begin() + i, fed.begin() + std::min(fed.size(), i + kLearnBatch));
    ASSERT_EQ(archivist.instance().learn(batch), NEBULA_OK) << archivist.instance().last_error();
  }

  const json stats = archivist.instance().stats();
  EXPECT_EQ(stats["learning_insights"], learning_docs);
  EXPECT_EQ(stats["blockchain_insights"], fed.size() - learning_docs);
  EXPECT_EQ(stats["examples"], examples);
  EXPECT_EQ(stats["examples_skipped"], 0) << "an example the agent could not read";
  EXPECT_GT(stats["steps"].get<int>(), 0);
}

}  // namespace

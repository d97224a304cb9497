// The hand-written insights the decision tests feed (insight_docs.hpp) are in
// their producers' exact shapes: when a producer's schema changes, these fail
// here instead of the decision tests passing on documents no producer writes.
#include <gtest/gtest.h>

#include "agent_docs.hpp"
#include "insight_docs.hpp"
#include "topic_contract.hpp"

namespace nebula::decision::testing {
namespace {

TEST(DecisionFixtures, PatternsDocumentsMatchThePatternsSchema) {
  const json s = stall("t1", 0.5, 100);
  const json p = partition({"t7", "t8", "t9"}, "testnet", 0.8, 100);
  EXPECT_TRUE(topic_contract::conforms("patterns", patterns(110, {s, p}, {s, p})));
  EXPECT_TRUE(topic_contract::conforms("patterns", patterns(150, json::array(), json::array(), {s})));
}

TEST(DecisionFixtures, NetworkDocumentsMatchTheNetworkSchema) {
  const json split = {{"size", 3}, {"nodes", {"t2", "t3", "t4"}}, {"onset_first", 100.0}, {"onset_last", 110.0}};
  EXPECT_TRUE(topic_contract::conforms(
      "network", network(113, {{"testnet", network_chain({isolated_node("t3", 100)}, {split})}})));
}

TEST(DecisionFixtures, BlockDataDocumentsMatchTheBlockchainSchema) {
  EXPECT_TRUE(topic_contract::conforms(
      "blockchain", block_data(112, {{"testnet", block_chain(1012, 5, 5.1, {stalled_node("t1", 1000, 12, 60, 5)})}})));
}

TEST(DecisionFixtures, AgentDocumentsMatchTheirSchemas) {
  EXPECT_TRUE(topic_contract::conforms("anomalies", anomalies(120, {anomaly_node("t2", 0.97, 0.93, 118)})));
  EXPECT_TRUE(topic_contract::conforms("health", health(120, {health_node("t2", 0.12, 118)})));
  EXPECT_TRUE(topic_contract::conforms(
      "forecasts", forecasts(120, {forecast_chain("testnet", 1.0, 0.2)}, {forecast_node("t2", 118, 1.1, 0.0)})));
}

}  // namespace
}  // namespace nebula::decision::testing

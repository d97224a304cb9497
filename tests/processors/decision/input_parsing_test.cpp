// The producers of `network` and `blockchain` are written elsewhere: every
// reader must take what it finds and shrug at the rest.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <nebula_insights/json_tape.hpp>

#include "nebula_decision/chain_facts.hpp"
#include "nebula_decision/incident_view.hpp"

namespace nebula::decision {
namespace {

using nlohmann::json;

// As the engine reads it: from the insight's tape.
std::optional<IncidentView> incident(std::string_view text) {
  const auto root = insights::parse_json_tape(text);
  if (!root) throw std::invalid_argument("not JSON");
  return parse_incident(*root);
}

TEST(IncidentView, ReadsOurSchemaAndToleratesOthers) {
  auto a = incident(
      R"({"id":"x","kind":"eclipse","node_id":"n1","chain_id":"c","severity":{"score":0.8,"label":"high"},"start":5})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "x");
  EXPECT_DOUBLE_EQ(a->severity, 0.8);
  auto b = incident(R"({"kind":"stall","node":"n2","severity":1.7})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->node_id, "n2");
  EXPECT_DOUBLE_EQ(b->severity, 1.0) << "clamped";
  EXPECT_EQ(b->id, "stall/n2/0.000") << "derived when missing";
  EXPECT_FALSE(incident(R"({"node_id":"n"})")) << "no kind";
  EXPECT_FALSE(incident(R"({"kind":"stall"})")) << "no target";
  EXPECT_FALSE(incident(R"([1,2])"));
}

// What a DOM of the same text holds: the last of a duplicated key, a null as
// absent (the next key is tried), a non-number as no number.
TEST(IncidentView, ReadsTheTapeAsADomOfTheSameTextHoldsIt) {
  auto a = incident(R"({"kind":"stall","kind":"eclipse","node_id":null,"node":"n2","chain_id":7,"chain":"c",
                        "severity":"high","start":"5","started_at":12,
                        "nodes":["a",{"node":"b"},{"id":"c"},{"x":"d"},3],
                        "evidence":[{"metric":"peer_count","value":1,"baseline":8}],
                        "evidence":[{"metric":"lag","value":9}]})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, "eclipse");
  EXPECT_EQ(a->node_id, "n2");
  EXPECT_EQ(a->chain_id, "c");
  EXPECT_EQ(a->nodes, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_DOUBLE_EQ(a->severity, 0) << "a label alone is no score";
  EXPECT_DOUBLE_EQ(a->start, 12);
  EXPECT_EQ(*a->evidence, json::parse(R"([{"metric":"lag","value":9}])"));
  ASSERT_NE(a->metric("lag"), nullptr);
  EXPECT_EQ(a->metric("peer_count"), nullptr);
  EXPECT_EQ(a->id, "eclipse/n2/12.000");

  auto b = incident(R"({"kind":"partition","chain_id":"c","severity":{"value":0.25},"evidence":{"metric":"x"}})");
  ASSERT_TRUE(b);
  EXPECT_DOUBLE_EQ(b->severity, 0.25);
  EXPECT_TRUE(b->evidence->is_array() && b->evidence->empty()) << "evidence that is no list reads as none";
}

TEST(ChainFacts, BlockDataAsTheBlockDataProcessorWritesIt) {
  auto doc = json::parse(R"({
    "kind":"block_data","generated_at":100,
    "chains":{"mainnet":{"tip_height":880100,"nodes":4,"lagging_nodes":2,
      "worst_lagging":[{"node_id":"m1","height":880090,"lag":10}],
      "block_interval_s":{"expected":30,"observed":48.5,"ratio":1.6,"blocks":5},
      "stalled_count":1,
      "stalled":[{"node_id":"m1","height":880090,"lag":10,"stalled_for_s":150,"intervals":5}]}}})");
  auto facts = parse_block_data(doc, 100);
  ASSERT_EQ(facts.size(), 1u);
  const auto& m = facts.at("mainnet");
  EXPECT_DOUBLE_EQ(m.tip_height, 880100);
  EXPECT_DOUBLE_EQ(m.expected_interval_s, 30);
  EXPECT_DOUBLE_EQ(m.observed_interval_s, 48.5);
  EXPECT_DOUBLE_EQ(m.lagging_count, 2);
  EXPECT_EQ(m.lagging, std::vector<std::string>{"m1"});
  ASSERT_EQ(m.stalled.size(), 1u);
  EXPECT_EQ(m.stalled[0].node_id, "m1");
  EXPECT_DOUBLE_EQ(m.stalled[0].stalled_for_s, 150);
}

TEST(ChainFacts, BlockDataAlternativeShapesAndGaps) {
  auto facts = parse_block_data(json::parse(R"({"chains":[{"chain_id":"t","stalled_nodes":["a","b"],
      "expected_interval_s":5,"lagging_nodes":["a"]},{"nochain":1}]})"), 7);
  ASSERT_EQ(facts.size(), 1u);
  const auto& t = facts.at("t");
  EXPECT_EQ(t.stalled.size(), 2u);
  EXPECT_TRUE(std::isnan(t.stalled[0].stalled_for_s));
  EXPECT_DOUBLE_EQ(t.expected_interval_s, 5);
  EXPECT_TRUE(std::isnan(t.observed_interval_s));
  EXPECT_DOUBLE_EQ(t.lagging_count, 1);
  EXPECT_TRUE(parse_block_data(json::parse(R"({"chains":"nope"})"), 0).empty());
  EXPECT_TRUE(parse_block_data(json::object(), 0).empty());
}

TEST(ChainFacts, NetworkInAnyReasonableShape) {
  auto facts = parse_network(json::parse(R"({"kind":"network","chains":{
      "testnet":{"isolated_nodes":[{"node_id":"t1","since":3},"t2"],
                 "partitions":[{"size":3,"nodes":["t3","t4","t5"],"onset_first":1,"onset_last":2},["t6","t7"]],
                 "partition":{"nodes":["t9","t10","t11"]},
                 "latency_quantiles":{"p50":40,"p95":90}},
      "mainnet":{"isolated":null}}})"), 50);
  ASSERT_EQ(facts.size(), 2u);
  const auto& t = facts.at("testnet");
  EXPECT_EQ(t.isolated, (std::vector<std::string>{"t1", "t2"}));
  // Only the contract's shape (network.schema.json): a list of {nodes}; a bare
  // id list or the old single `partition` object is not a partition.
  ASSERT_EQ(t.partitions.size(), 1u);
  EXPECT_EQ(t.partitions[0], (std::vector<std::string>{"t3", "t4", "t5"}));
  EXPECT_EQ(t.latency["p95"], 90);
  EXPECT_TRUE(facts.at("mainnet").isolated.empty());
  auto single = parse_network(json::parse(R"({"kind":"network","chain_id":"x","isolated_nodes":["x1"]})"), 0);
  EXPECT_EQ(single.at("x").isolated, std::vector<std::string>{"x1"});
}

}  // namespace
}  // namespace nebula::decision

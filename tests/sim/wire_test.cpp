// Wire shapes: canonical nesting, per-type field sets, batches.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <nebula/record_fields.hpp>

#include "sim_test_support.hpp"

namespace {

// Walks a dotted column name ("network.peer_count") into the nested JSON.
const nlohmann::json* lookup(const nlohmann::json& j, std::string_view dotted) {
  const nlohmann::json* node = &j;
  while (!dotted.empty()) {
    const auto dot = dotted.find('.');
    const std::string key(dotted.substr(0, dot));
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
  }
  return node;
}

std::vector<nebula_sim::SimRecord> one_step() {
  nebula_sim::Fleet fleet(sim_test::sixty_node_config(4));
  fleet.step();
  return fleet.step();
}

const nebula_sim::SimRecord& first_of(const std::vector<nebula_sim::SimRecord>& records,
                                      nebula_sim::NodeType type) {
  return *std::find_if(records.begin(), records.end(),
                       [&](const auto& r) { return r.node_type == type; });
}

}  // namespace

TEST(Wire, FullNodesCarryEveryCanonicalColumnPlusExtras) {
  const auto j = nebula_sim::to_wire(first_of(one_step(), nebula_sim::NodeType::Full));
  for (const auto& field : nebula::fields::all) {
    if (field.name == nebula::fields::extra) continue;
    const nlohmann::json* value = lookup(j, field.name);
    ASSERT_NE(value, nullptr) << field.name;
    switch (field.type) {
      case nebula::fields::Type::Utf8: EXPECT_TRUE(value->is_string()) << field.name; break;
      case nebula::fields::Type::Int64: EXPECT_TRUE(value->is_number_integer()) << field.name; break;
      case nebula::fields::Type::Float64: EXPECT_TRUE(value->is_number()) << field.name; break;
    }
  }
  EXPECT_EQ(j.at("node_type"), "full");
  ASSERT_TRUE(j.contains("transaction_analysis"));
  ASSERT_TRUE(j.contains("ai_metrics"));
  EXPECT_TRUE(j["transaction_analysis"].contains("mempool_size"));
  const double score = j["ai_metrics"].at("anomaly_score");
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 1.0);
}

TEST(Wire, TestnetAndMainnetNodesHaveNoExtras) {
  const auto records = one_step();
  for (auto type : {nebula_sim::NodeType::Testnet, nebula_sim::NodeType::Mainnet}) {
    const auto j = nebula_sim::to_wire(first_of(records, type));
    EXPECT_EQ(j.at("node_type"), nebula_sim::to_string(type));
    EXPECT_EQ(j.at("chain_id"), nebula_sim::to_string(type));
    EXPECT_FALSE(j.contains("transaction_analysis"));
    EXPECT_FALSE(j.contains("ai_metrics"));
    EXPECT_EQ(j.at("performance").size(), 3u);
  }
}

TEST(Wire, BasicNodesSendOnlyTheMinimalFieldSet) {
  const auto j = nebula_sim::to_wire(first_of(one_step(), nebula_sim::NodeType::Basic));
  const nlohmann::json expected_keys = {"blockchain", "chain_id", "network", "node_id",
                                        "node_type",  "seq",      "timestamp"};
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys, expected_keys);
  EXPECT_EQ(j.at("node_type"), "basic");
  EXPECT_EQ(j.at("blockchain").size(), 1u);
  EXPECT_TRUE(j.at("blockchain").contains("current_height"));
  EXPECT_EQ(j.at("network").size(), 1u);
  EXPECT_TRUE(j.at("network").contains("peer_count"));
  EXPECT_EQ(lookup(j, nebula::fields::latency), nullptr);
  EXPECT_EQ(lookup(j, nebula::fields::cpu_usage), nullptr);
}

TEST(Wire, BatchHasTheDataBatchShape) {
  nebula_sim::Fleet fleet(sim_test::sixty_node_config(4));
  std::vector<nebula_sim::SimRecord> mine;
  for (int s = 0; s < 5; ++s) mine.push_back(fleet.step()[3]);
  const auto batch = nebula_sim::batch_json(mine.front().node_id, mine);
  EXPECT_EQ(batch.at("node_id"), mine.front().node_id);
  EXPECT_EQ(batch.at("batch_size"), 5);
  ASSERT_EQ(batch.at("data_batch").size(), 5u);
  EXPECT_EQ(batch.at("data_batch")[4], nebula_sim::to_wire(mine[4]));
  EXPECT_EQ(batch.at("submission_time"), mine.back().timestamp);
  EXPECT_EQ(nebula_sim::batch_json("x", mine, 123.5).at("submission_time"), 123.5);
  EXPECT_EQ(nebula_sim::batch_json("x", {}).at("batch_size"), 0);
}

TEST(Wire, SimpleNodesSendBlockchainAndNetworkButNoPerformance) {
  nebula_sim::FleetConfig config = sim_test::sixty_node_config(4);
  config.simple_nodes = 2;
  nebula_sim::Fleet fleet(config);
  fleet.step();
  const auto j = nebula_sim::to_wire(first_of(fleet.step(), nebula_sim::NodeType::Simple));
  EXPECT_EQ(j.at("node_type"), "simple");
  EXPECT_EQ(j.at("blockchain").size(), 4u);
  EXPECT_EQ(j.at("network").size(), 4u);
  EXPECT_FALSE(j.contains("performance"));
  EXPECT_FALSE(j.contains("transaction_analysis"));
}

TEST(Wire, DocumentGroupNamesCarryTheSameValues) {
  const auto& record = first_of(one_step(), nebula_sim::NodeType::Full);
  const auto ours = nebula_sim::to_wire(record);
  const auto document = nebula_sim::to_wire(record, nebula_sim::GroupNames::Document);
  for (const char* group : {"blockchain", "network", "performance"}) {
    EXPECT_FALSE(document.contains(group)) << group;
    EXPECT_EQ(document.at(std::string(group) + "_metrics"), ours.at(group)) << group;
  }
  EXPECT_EQ(document.at("transaction_analysis"), ours.at("transaction_analysis"));
}

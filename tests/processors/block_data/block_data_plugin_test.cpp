// Loads the real plugin library through the mock host, as the pool would.
#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "batch_rows.hpp"

namespace {

const std::string kLibrary = std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_block_data.so";
constexpr const char* kId = "nebula.processor.block_data";

}  // namespace

TEST(BlockDataPlugin, EmitsOneBlockchainInsightPerBatch) {
  nebula::testing::PluginLibrary lib(kLibrary);
  const auto* desc = lib.find(kId);
  EXPECT_EQ(desc->kind, NEBULA_KIND_PROCESSOR);
  nebula::testing::MockHost host;
  auto inst = host.create(desc, R"({"chains":{"testnet":{"block_interval_s":5}},"worst_lagging":1})");

  using test_rows::Row;
  std::vector<Row> rows;
  for (int i = 0; i < 4; ++i)
    rows.push_back({{"timestamp", 1000.0 + 5 * i},
                    {"node_id", "lead"},
                    {"chain_id", "testnet"},
                    {"blockchain.current_height", int64_t{100 + i}},
                    {"blockchain.blocks_processed_last_interval", int64_t{1}}});
  rows.push_back({{"timestamp", 1015.0}, {"node_id", "slow"}, {"chain_id", "testnet"},
                  {"blockchain.current_height", int64_t{99}}});
  rows.push_back({{"timestamp", 990.0}, {"node_id", "m1"}, {"chain_id", "mainnet"},
                  {"blockchain.current_height", int64_t{7}}});
  ASSERT_EQ(inst.feed(test_rows::make_batch(rows)), NEBULA_OK) << inst.last_error();

  auto out = host.insights("blockchain");
  ASSERT_EQ(out.size(), 1u);
  auto doc = nlohmann::json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "block_data");
  EXPECT_EQ(doc["generated_at"], 1015.0);
  const auto& t = doc["chains"]["testnet"];
  EXPECT_EQ(t["tip_height"], 103);
  EXPECT_EQ(t["worst_lagging"], (nlohmann::json::array({{{"node_id", "slow"}, {"height", 99}, {"lag", 4}}})));
  EXPECT_DOUBLE_EQ(t["block_interval_s"]["observed"].get<double>(), 5.0);
  EXPECT_EQ(t["blocks_processed"]["sum"], 4);
  EXPECT_EQ(doc["chains"]["mainnet"]["tip_height"], 7);
  EXPECT_EQ(host.gauge("tracked_nodes"), 3.0);

  // A batch without the columns this processor reads is harmless.
  auto empty = nebula::RecordBatchBuilder::canonical();
  ASSERT_EQ(inst.feed(nebula::OwnedBatch(std::move(empty))), NEBULA_OK);
  EXPECT_EQ(host.insights("blockchain").size(), 1u);
}

TEST(BlockDataPlugin, ValidateReportsJsonPointers) {
  nebula::testing::PluginLibrary lib(kLibrary);
  const auto* desc = lib.find(kId);
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(desc->validate_config(R"({"chains":{"testnet":{"block_interval_s":-1}},"bogus":1})", err, sizeof err),
            NEBULA_INVALID);
  std::string text = err;
  EXPECT_NE(text.find("/chains/testnet/block_interval_s: must be between 0.1 and 3600"), std::string::npos) << text;
  EXPECT_NE(text.find("/bogus: unknown key"), std::string::npos) << text;
  EXPECT_EQ(desc->validate_config(R"({"stall_intervals":4})", err, sizeof err), NEBULA_OK) << err;
  nebula::testing::MockHost host;
  EXPECT_THROW(host.create(desc, R"({"max_nodes":0})"), std::runtime_error);
}

// One record row copied out of a batch, the same way for every per-node engine.
#include <cmath>

#include <gtest/gtest.h>

#include <nebula_processors/record_sample.hpp>

#include "nebula_test/test_batch.hpp"

using nebula::processors::chain_key;
using nebula::processors::read_samples;
using nebula::processors::Sample;
using test_batch::Row;

TEST(RecordSample, CopiesEveryMetricAndLeavesAbsentOnesMissing) {
  Row full{.ts = 10, .node = "n1", .type = "full", .chain = "mainnet", .height = 7, .blocks = 1, .tx = 900, .peers = 12,
           .latency = 40.5, .quality = 0.9, .cpu = 30, .memory = 60, .hash_rate = 1e6, .bandwidth = 5.5};
  Row basic{.ts = 11, .node = "n2", .type = "basic"};
  const auto batch = test_batch::make({full, basic});
  const auto samples = read_samples(batch.view());
  ASSERT_EQ(samples.size(), 2u);
  const Sample& s = samples[0];
  EXPECT_EQ(s.node_id, "n1");
  EXPECT_EQ(s.chain_id, "mainnet");
  EXPECT_EQ(s.node_type, "full");
  EXPECT_DOUBLE_EQ(s.height, 7);
  EXPECT_DOUBLE_EQ(s.blocks_processed, 1);
  EXPECT_DOUBLE_EQ(s.tx_count, 900);
  EXPECT_DOUBLE_EQ(s.peers, 12);
  EXPECT_DOUBLE_EQ(s.latency_ms, 40.5);
  EXPECT_DOUBLE_EQ(s.connection_quality, 0.9);
  EXPECT_DOUBLE_EQ(s.cpu, 30);
  EXPECT_DOUBLE_EQ(s.memory, 60);
  EXPECT_DOUBLE_EQ(s.hash_rate, 1e6);
  EXPECT_DOUBLE_EQ(s.bandwidth, 5.5);
  EXPECT_TRUE(std::isnan(samples[1].height));
  EXPECT_TRUE(std::isnan(samples[1].tx_count));
}

TEST(RecordSample, RowsWithoutANodeAreSkippedAndTheRestSortedByTime) {
  const auto batch = test_batch::make({{.ts = 30, .node = "b"}, {.ts = 5, .node = ""}, {.ts = 10, .node = "a"},
                                       {.ts = 30, .node = "c"}});
  size_t skipped = 0;
  const auto samples = read_samples(batch.view(), &skipped);
  EXPECT_EQ(skipped, 1u);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].node_id, "a");
  EXPECT_EQ(samples[1].node_id, "b");  // stable: equal times keep their batch order
  EXPECT_EQ(samples[2].node_id, "c");
}

TEST(RecordSample, ChainKeyFallsBackToTheNodeTypeThenUnknown) {
  Sample s;
  s.chain_id = "nebula-testnet-2", s.node_type = "basic";
  EXPECT_EQ(chain_key(s), "nebula-testnet-2");
  s.chain_id.clear();
  EXPECT_EQ(chain_key(s), "basic");
  s.node_type.clear();
  EXPECT_EQ(chain_key(s), "unknown");
}

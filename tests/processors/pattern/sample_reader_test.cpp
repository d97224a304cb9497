// Columns by name; nulls and missing columns read as NaN / empty.
#include <gtest/gtest.h>

#include "nebula_pattern/sample_reader.hpp"
#include "sample_batch.hpp"

namespace nebula::pattern::testing {
namespace {

TEST(SampleReader, ReadsCanonicalColumnsAndNulls) {
  Sample full;
  full.timestamp = 100.5;
  full.node_id = "n1";
  full.chain_id = "mainnet";
  full.node_type = "full";
  full.height = 880000;
  full.tx_count = 123;
  full.hash_rate = 2400.5;
  full.peers = 17;
  full.latency_ms = 88.25;
  full.cpu_pct = 42;
  full.memory_pct = 61;
  Sample basic;
  basic.timestamp = 101;
  basic.node_id = "b1";
  basic.chain_id = "testnet";
  basic.node_type = "basic";
  basic.height = 5;
  basic.peers = 3;

  auto batch = to_batch({full, basic});
  auto out = read_samples(batch.view());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].node_id, "n1");
  EXPECT_EQ(out[0].chain_id, "mainnet");
  EXPECT_DOUBLE_EQ(out[0].height, 880000);
  EXPECT_DOUBLE_EQ(out[0].hash_rate, 2400.5);
  EXPECT_DOUBLE_EQ(out[0].latency_ms, 88.25);
  EXPECT_DOUBLE_EQ(out[0].memory_pct, 61);
  EXPECT_EQ(out[1].node_type, "basic");
  EXPECT_DOUBLE_EQ(out[1].peers, 3);
  EXPECT_TRUE(std::isnan(out[1].tx_count));
  EXPECT_TRUE(std::isnan(out[1].cpu_pct));
}

TEST(SampleReader, MissingColumnsReadAsUnknown) {
  RecordBatchBuilder b;
  auto ts = b.add_column("timestamp", fields::Type::Float64);
  auto node = b.add_column("node_id", fields::Type::Utf8);
  b.append_double(ts, 7);
  b.append_text(node, "x");
  OwnedBatch batch(std::move(b));
  auto out = read_samples(batch.view());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].node_id, "x");
  EXPECT_TRUE(out[0].chain_id.empty());
  EXPECT_TRUE(std::isnan(out[0].height));
}

}  // namespace
}  // namespace nebula::pattern::testing

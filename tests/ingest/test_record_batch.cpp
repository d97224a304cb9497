// Records survive the columnar batch: append_record → OwnedBatch → record_at.
#include <gtest/gtest.h>

#include "ingest/record.hpp"
#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;

TEST(RecordBatch, RoundTripWithNulls) {
  auto decoded = decode(batch(R"(
      {"timestamp":1699999990.25,"node_type":"mainnet","chain_id":"m","seq":3,
       "blockchain":{"current_height":100,"blocks_processed_last_interval":1,"transaction_count":7,"mining_hash_rate":2.5},
       "network":{"peer_count":9,"average_latency":30,"bandwidth_usage":5,"connection_quality":0.5},
       "performance":{"cpu_usage":1,"memory_usage":2,"uptime":3},"ai_metrics":{"x":[1,2]}},
      {"timestamp":1699999991},
      {"timestamp":1699999992,"network.peer_count":0,"blockchain.current_height":101})"));
  ASSERT_TRUE(decoded.ok()) << error_body(decoded).dump();
  const auto& records = decoded.records;
  ASSERT_EQ(records.size(), 3u);

  auto builder = RecordBatchBuilder::canonical();
  for (const auto& r : records) append_record(builder, r);
  OwnedBatch owned(std::move(builder));
  ASSERT_EQ(owned.rows(), 3);

  const RecordBatchView view = owned.view();
  for (int64_t row = 0; row < view.rows(); ++row)
    EXPECT_EQ(record_at(view, row), records[static_cast<size_t>(row)]) << "row " << row;

  // Absent fields are nulls, not zeros: row 1 reported only the identity.
  EXPECT_FALSE(view.column(fields::peer_count).valid(1));
  EXPECT_FALSE(view.column(fields::seq).valid(1));
  EXPECT_FALSE(view.column(fields::extra).valid(1));
  EXPECT_TRUE(view.column(fields::peer_count).valid(2));
  EXPECT_EQ(view.column(fields::peer_count).integer(2, -1), 0);
  EXPECT_EQ(view.column(fields::node_type).text(1), "unknown");
  EXPECT_EQ(view.column(fields::extra).text(0), R"({"ai_metrics":{"x":[1,2]}})");
}

TEST(RecordBatch, MovedBatchStillReadable) {
  Record r;
  r.timestamp = 1;
  r.node_id = "a";
  r.node_type = "basic";
  r.chain_id = "basic";
  auto builder = RecordBatchBuilder::canonical();
  append_record(builder, r);
  OwnedBatch first(std::move(builder));
  OwnedBatch second(std::move(first));
  EXPECT_EQ(first.rows(), 0);
  ASSERT_EQ(second.rows(), 1);
  EXPECT_EQ(record_at(second.view(), 0), r);
}

}  // namespace
}  // namespace nebula::host

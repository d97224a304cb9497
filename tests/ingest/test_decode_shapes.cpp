// Both wire shapes decode to the same Records; unknown fields are kept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using nlohmann::json;
using ::testing::IsEmpty;

TEST(DecodeContribution, MapsNodeDataToCanonicalFields) {
  auto r = decode(R"({"timestamp":1699999999.5,"data_type":"node_contribution",
    "node_data":{"blocks_processed":12,"transactions_seen":340,"network_latency":41.5,
                 "peer_count":8,"node_type":"testnet","chain_id":"nebula-test","node_id":"tn-1"}})");
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  ASSERT_EQ(r.records.size(), 1u);
  const Record& rec = r.records[0];
  EXPECT_EQ(rec.timestamp, 1699999999.5);
  EXPECT_EQ(rec.node_id, "tn-1");
  EXPECT_EQ(rec.node_type, "testnet");
  EXPECT_EQ(rec.chain_id, "nebula-test");
  EXPECT_EQ(rec.blocks_processed, 12);
  EXPECT_EQ(rec.transaction_count, 340);
  EXPECT_EQ(rec.latency_ms, 41.5);
  EXPECT_EQ(rec.peer_count, 8);
  EXPECT_FALSE(rec.current_height);
  EXPECT_FALSE(rec.seq);
  EXPECT_EQ(rec.extra_json, "");
  EXPECT_EQ(r.node_id, "tn-1");
}

TEST(DecodeContribution, NodeIdAtTopLevelAndExtrasKept) {
  auto r = decode(R"({"timestamp":1699999999,"node_id":"mn-2","data_type":"node_contribution",
    "source":"legacy","node_data":{"peer_count":3,"ai_metrics":{"score":0.9,"tags":["a"]}}})");
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  const Record& rec = r.records.at(0);
  EXPECT_EQ(rec.node_id, "mn-2");
  EXPECT_EQ(rec.node_type, "unknown");  // default
  EXPECT_EQ(rec.chain_id, "unknown");   // defaults to node_type
  EXPECT_EQ(json::parse(rec.extra_json), json::parse(R"({"ai_metrics":{"score":0.9,"tags":["a"]},"source":"legacy"})"));
}

TEST(DecodeContribution, DataTypeIsOptional) {
  auto r = decode(R"({"timestamp":1,"node_data":{"node_id":"a"}})");
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records.at(0).node_id, "a");
}

TEST(DecodeBatch, NestedAndDottedFormsGiveEqualRecords) {
  auto nested = decode(R"({"node_id":"n1","batch_size":1,"submission_time":1699999999,"data_batch":[
    {"timestamp":1699999990,"node_type":"mainnet","chain_id":"main","seq":7,
     "blockchain":{"current_height":1000,"blocks_processed_last_interval":2,"transaction_count":55,"mining_hash_rate":1.5e9},
     "network":{"peer_count":12,"average_latency":80.25,"bandwidth_usage":1024,"connection_quality":0.75},
     "performance":{"cpu_usage":31.5,"memory_usage":20.48,"uptime":86400}}]})");
  auto dotted = decode(R"({"node_id":"n1","data_batch":[
    {"timestamp":1699999990,"node_type":"mainnet","chain_id":"main","seq":7,
     "blockchain.current_height":1000,"blockchain.blocks_processed_last_interval":2,
     "blockchain.transaction_count":55,"blockchain.mining_hash_rate":1.5e9,
     "network.peer_count":12,"network.average_latency":80.25,"network.bandwidth_usage":1024,
     "network.connection_quality":0.75,"performance.cpu_usage":31.5,
     "performance.memory_usage":20.48,"performance.uptime":86400}]})");
  ASSERT_TRUE(nested.ok()) << error_body(nested).dump();
  ASSERT_TRUE(dotted.ok()) << error_body(dotted).dump();
  ASSERT_EQ(nested.records.size(), 1u);
  EXPECT_EQ(nested.records, dotted.records);

  const Record& r = nested.records[0];
  EXPECT_EQ(r.node_id, "n1");  // inherited from the batch
  EXPECT_EQ(r.seq, 7);
  EXPECT_EQ(r.current_height, 1000);
  EXPECT_EQ(r.blocks_processed, 2);
  EXPECT_EQ(r.transaction_count, 55);
  EXPECT_EQ(r.hash_rate, 1.5e9);
  EXPECT_EQ(r.peer_count, 12);
  EXPECT_EQ(r.latency_ms, 80.25);
  EXPECT_EQ(r.bandwidth, 1024.0);
  EXPECT_EQ(r.connection_quality, 0.75);
  EXPECT_EQ(r.cpu_usage, 31.5);
  EXPECT_EQ(r.memory_usage, 20.48);
  EXPECT_EQ(r.uptime, 86400.0);
  EXPECT_EQ(r.extra_json, "");
  EXPECT_EQ(nested.node_id, "n1");
}

TEST(DecodeBatch, MixedFormsAndSameNodeIdAccepted) {
  auto r = decode(batch(R"({"timestamp":1,"node_id":"n1","blockchain":{"current_height":5},"network.peer_count":2})"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records[0].current_height, 5);
  EXPECT_EQ(r.records[0].peer_count, 2);
}

TEST(DecodeBatch, RecordsWithoutBatchNodeIdCarryTheirOwn) {
  auto r = decode(R"({"data_batch":[{"timestamp":1,"node_id":"a"},{"timestamp":2,"node_id":"b"}]})");
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].node_id, "a");
  EXPECT_EQ(r.records[1].node_id, "b");
  EXPECT_EQ(r.node_id, "");
}

TEST(DecodeBatch, IntegerFieldsAcceptWholeFloatsAndFloatFieldsAcceptIntegers) {
  auto r = decode(one_entry(R"(,"network":{"peer_count":5.0,"average_latency":40},"seq":-0.0)"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records[0].peer_count, 5);
  EXPECT_EQ(r.records[0].latency_ms, 40.0);
  EXPECT_EQ(r.records[0].seq, 0);
}

TEST(DecodeBatch, NullMeansAbsent) {
  auto r = decode(one_entry(R"(,"node_type":null,"seq":null,"network":{"peer_count":null},"performance":null)"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_FALSE(r.records[0].peer_count);
  EXPECT_FALSE(r.records[0].seq);
  EXPECT_EQ(r.records[0].node_type, "unknown");
}

TEST(DecodeBatch, ConnectionQualityBoundsAreInclusive) {
  auto r = decode(batch(R"({"timestamp":1,"network.connection_quality":0},{"timestamp":1,"network.connection_quality":1})"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records[0].connection_quality, 0.0);
  EXPECT_EQ(r.records[1].connection_quality, 1.0);
}

TEST(DecodeBatch, TimestampUpToOneDayAheadIsPlausible) {
  auto r = decode(batch(R"({"timestamp":1700086400})"));  // kNow + 86400
  EXPECT_TRUE(r.ok()) << error_body(r).dump();
}

TEST(DecodeBatch, UnknownFieldsKeptVerbatimWithNesting) {
  auto r = decode(one_entry(R"(,
    "transaction_analysis":{"patterns":[{"kind":"burst","n":3}],"ratio":0.5},
    "ai_metrics":{"model":"x"},
    "blockchain":{"current_height":9,"difficulty":"high"},
    "network.region":"eu",
    "flag":true)"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  const Record& rec = r.records[0];
  EXPECT_EQ(rec.current_height, 9);
  // Compact, sorted keys: one canonical text for the same content.
  EXPECT_EQ(rec.extra_json,
            R"({"ai_metrics":{"model":"x"},"blockchain":{"difficulty":"high"},"flag":true,)"
            R"("network.region":"eu","transaction_analysis":{"patterns":[{"kind":"burst","n":3}],"ratio":0.5}})");
}

TEST(DecodeBatch, ExtrasExactlyAtTheByteLimitAreKept) {
  DecodeLimits l = limits();
  const std::string extra = R"({"k":"12345"})";  // 13 bytes
  l.max_extra_bytes = extra.size();
  auto r = decode(one_entry(R"(,"k":"12345")"), l);
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records[0].extra_json, extra);
}

TEST(DecodeBatch, KeepsInputOrder) {
  auto r = decode(batch(R"({"timestamp":3,"network.peer_count":3},{"timestamp":1,"network.peer_count":1},
                          {"timestamp":2,"network.peer_count":2})"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].timestamp, 3);
  EXPECT_EQ(r.records[1].timestamp, 1);
  EXPECT_EQ(r.records[2].timestamp, 2);
  EXPECT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(error_body(r), json::parse(R"({"status":"accepted","accepted":3,"rejected":0,"errors":[]})"));
}

}  // namespace
}  // namespace nebula::host

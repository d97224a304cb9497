// encode_record_json is the canonical wire form: decoding it gives back an
// equal Record, whatever shape the Record first arrived in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using nlohmann::json;

Record full_record() {
  Record r;
  r.timestamp = 1699999999.123456;
  r.node_id = "node-7.eu:1";
  r.node_type = "full";
  r.chain_id = "nebula-main";
  r.seq = 42;
  r.current_height = 123456789;
  r.blocks_processed = 3;
  r.transaction_count = 9000;
  r.hash_rate = 0.1;
  r.peer_count = 0;
  r.latency_ms = 12.5;
  r.bandwidth = 1e12;
  r.connection_quality = 1.0 / 3.0;
  r.cpu_usage = 99.9;
  r.memory_usage = 0.0;
  r.uptime = 3600.0;
  // Canonical extra text as the decoder writes it: compact, sorted keys,
  // UTF-8 unescaped, only '"', '\\' and control characters escaped.
  r.extra_json =
      R"({"ai_metrics":{"model":"v2","scores":[0.5,1.0]},"blockchain":{"difficulty":"high"},)"
      R"("network.region":"eu","transaction_analysis":{"note":"é\"q\"\n","patterns":[]}})";
  return r;
}

Record decode_one(const std::string& record_json) {
  auto r = decode(R"({"data_batch":[)" + record_json + "]}");
  EXPECT_TRUE(r.ok()) << error_body(r).dump();
  return r.records.empty() ? Record{} : r.records[0];
}

TEST(RecordJson, RoundTripOfAFullRecord) {
  const Record original = full_record();
  const std::string text = encode_record_json(original);
  EXPECT_EQ(decode_one(text), original) << text;

  auto lines = decode_lines(text + "\n");
  ASSERT_EQ(lines.records.size(), 1u);
  EXPECT_EQ(lines.records[0], original);
}

TEST(RecordJson, RoundTripOfAMinimalRecord) {
  Record r;
  r.timestamp = 0;
  r.node_id = "n";
  r.node_type = "basic";
  r.chain_id = "basic";
  EXPECT_EQ(encode_record_json(r), R"({"chain_id":"basic","node_id":"n","node_type":"basic","timestamp":0.0})");
  EXPECT_EQ(decode_one(encode_record_json(r)), r);
}

TEST(RecordJson, CanonicalShape) {
  Record r;
  r.timestamp = 1700000000.5;
  r.node_id = "n1";
  r.node_type = "testnet";
  r.chain_id = "t";
  r.seq = 1;
  r.peer_count = 4;
  r.cpu_usage = 5;
  r.extra_json = R"({"network":{"region":"eu"},"x":1})";
  EXPECT_EQ(json::parse(encode_record_json(r)), json::parse(R"({
      "timestamp":1700000000.5,"node_id":"n1","node_type":"testnet","chain_id":"t","seq":1,
      "network":{"peer_count":4,"region":"eu"},"performance":{"cpu_usage":5.0},"x":1})"));
}

TEST(RecordJson, DecodeEncodeDecodeIsStable) {
  // Dotted input and a single contribution re-encode to the nested form.
  auto dotted = decode(one_entry(R"(,"network.peer_count":3,"blockchain.foo":[1],"zz":{"a":null})"));
  auto single = decode(R"({"timestamp":5,"data_type":"node_contribution",
      "node_data":{"node_id":"s","transactions_seen":4,"network_latency":1.25,"gpu":"none"}})");
  for (const auto* result : {&dotted, &single}) {
    ASSERT_TRUE(result->ok()) << error_body(*result).dump();
    const Record& first = result->records.at(0);
    EXPECT_EQ(decode_one(encode_record_json(first)), first) << encode_record_json(first);
  }
}

// Record-shape keys in a single contribution were kept as extras, which the
// canonical encoding then dropped or read back as fields
// (fuzz/corpus/record_decoder/regress_contribution_canonical_extra).
TEST(RecordJson, ContributionRecordFieldsAreFieldsNotExtras) {
  auto single = decode(R"({"timestamp":5,"seq":9,"node_type":"basic","network":{"region":"eu"},
      "node_data":{"node_id":"s","network.average_latency":2.5,"blockchain":{"current_height":7},"gpu":1}})");
  ASSERT_TRUE(single.ok()) << error_body(single).dump();
  const Record& r = single.records.at(0);
  EXPECT_EQ(r.seq, 9);
  EXPECT_EQ(r.node_type, "basic");
  EXPECT_EQ(r.latency_ms, 2.5);
  EXPECT_EQ(r.current_height, 7);
  EXPECT_EQ(json::parse(r.extra_json), json::parse(R"({"gpu":1,"network":{"region":"eu"}})"));
  EXPECT_EQ(decode_one(encode_record_json(r)), r) << encode_record_json(r);
}

TEST(RecordJson, CanonicalFieldsWinOverExtras) {
  Record r;
  r.node_id = "n";
  r.peer_count = 1;
  r.extra_json = R"({"node_id":"evil","network":{"peer_count":99}})";
  const json j = json::parse(encode_record_json(r));
  EXPECT_EQ(j["node_id"], "n");
  EXPECT_EQ(j["network"]["peer_count"], 1);
}

TEST(RecordJson, ExtraMustBeAnObject) {
  Record r;
  r.extra_json = "[1]";
  EXPECT_THROW(encode_record_json(r), std::invalid_argument);
  r.extra_json = "{not json";
  EXPECT_THROW(encode_record_json(r), std::invalid_argument);
}

}  // namespace
}  // namespace nebula::host

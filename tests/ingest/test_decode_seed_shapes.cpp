// The architecture document's own payloads (shared/seed/), as its Python
// code writes them: the *_metrics group names, contributions without a node
// id, records the pool cannot read, and values no sensor can produce.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ingest/node_identity.hpp"
#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// NodePoolInterface.collect_node_metrics(), one record, with the names of
// the document; `short_names` writes the same record with our short groups.
std::string seed_batch(bool short_names) {
  const std::string b = short_names ? "blockchain" : "blockchain_metrics";
  const std::string n = short_names ? "network" : "network_metrics";
  const std::string p = short_names ? "performance" : "performance_metrics";
  return R"({"node_id":"mainnet-7","batch_size":1,"submission_time":1699999999.9,"data_batch":[
    {"timestamp":1699999990.25,"node_id":"mainnet-7","node_type":"mainnet","chain_id":"mainnet",")" +
         b + R"(":{"current_height":881234,"blocks_processed_last_interval":1,"transaction_count":55,
                "mining_hash_rate":0},")" +
         n + R"(":{"peer_count":17,"average_latency":80.5,"bandwidth_usage":1.5e6,"connection_quality":0.93},")" +
         p + R"(":{"cpu_usage":31.5,"memory_usage":44.2,"uptime":86400.5}}]})";
}

TEST(SeedShapes, MetricsGroupNamesDecodeLikeTheShortNames) {
  auto seed = decode(seed_batch(false));
  auto short_names = decode(seed_batch(true));
  ASSERT_TRUE(seed.ok()) << error_body(seed).dump();
  ASSERT_TRUE(short_names.ok()) << error_body(short_names).dump();
  EXPECT_EQ(seed.records, short_names.records);
  EXPECT_THAT(seed.warnings, IsEmpty());

  const Record& r = seed.records.at(0);
  EXPECT_EQ(r.current_height, 881234);
  EXPECT_EQ(r.peer_count, 17);
  EXPECT_EQ(r.latency_ms, 80.5);
  EXPECT_EQ(r.connection_quality, 0.93);
  EXPECT_EQ(r.cpu_usage, 31.5);
  EXPECT_EQ(r.uptime, 86400.5);
  EXPECT_EQ(r.extra_json, "");  // nothing left over as an unknown field
}

TEST(SeedShapes, UnknownLeavesOfALongGroupAreKeptUnderTheShortName) {
  auto r = decode(one_entry(R"(,"network_metrics":{"peer_count":3,"nat":"open"})"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(json::parse(r.records.at(0).extra_json), json::parse(R"({"network":{"nat":"open"}})"));
  // and the canonical encoding reads back to the same record
  auto again = decode_lines(encode_record_json(r.records[0]));
  ASSERT_TRUE(again.ok()) << error_body(again).dump();
  EXPECT_EQ(again.records, r.records);
}

TEST(SeedShapes, SameMetricUnderBothGroupNamesIsAnError) {
  auto r = decode(one_entry(R"(,"network":{"peer_count":3},"network_metrics":{"peer_count":4})"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "network.peer_count");
}

TEST(SeedShapes, FullNodeExtrasStayTyped) {
  auto r = decode(R"({"timestamp":1699999990,"data_type":"node_contribution","node_data":{
    "node_id":"full-1","blocks_processed":3,"transactions_seen":120,"network_latency":12.5,"peer_count":9,
    "node_type":"full","chain_id":"mainnet",
    "transaction_analysis":{"tx_rate":4.5,"mempool_size":812,"suspicious":false},
    "ai_metrics":{"anomaly_score":0.12,"model":"v3"}}})");
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  const json extra = json::parse(r.records.at(0).extra_json);
  EXPECT_TRUE(extra["transaction_analysis"]["tx_rate"].is_number_float());
  EXPECT_TRUE(extra["transaction_analysis"]["mempool_size"].is_number_integer());
  EXPECT_TRUE(extra["transaction_analysis"]["suspicious"].is_boolean());
  EXPECT_EQ(extra["ai_metrics"]["anomaly_score"], 0.12);
  EXPECT_EQ(extra["ai_metrics"]["model"], "v3");
}

// --- a contribution without a node id (UniversalDataCollector) ------------

constexpr const char* kAnonymousContribution = R"({"timestamp":1699999990,"data_type":"node_contribution",
  "node_data":{"blocks_processed":2,"transactions_seen":340,"network_latency":41.5,"peer_count":8,
               "node_type":"testnet","chain_id":"nebula-testnet"}})";

TEST(ContributionIdentity, WithoutSenderFactsANodeIdIsRequired) {
  auto r = decode(kAnonymousContribution);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.errors, ElementsAre(RecordError{0, "node_id", "is required"}));
}

TEST(ContributionIdentity, TheSendersNodeIsUsed) {
  const Sender sender{"validator-3", "10.1.2.3:40000"};
  auto r = decode_json_payload(kAnonymousContribution, limits(), &sender);
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records.at(0).node_id, "validator-3");
  EXPECT_EQ(r.identity, IdentitySource::Sender);
  EXPECT_EQ(error_body(r)["identity"], json::parse(R"({"node_id":"validator-3","source":"sender"})"));
}

TEST(ContributionIdentity, DerivedFromPeerHostChainAndType) {
  const Sender first{"", "10.1.2.3:40000"};
  const Sender reconnected{"", "10.1.2.3:51515"};
  auto a = decode_json_payload(kAnonymousContribution, limits(), &first);
  auto b = decode_json_payload(kAnonymousContribution, limits(), &reconnected);
  ASSERT_EQ(a.records.size(), 1u) << error_body(a).dump();
  ASSERT_EQ(b.records.size(), 1u);
  EXPECT_EQ(a.records[0].node_id, "anon:nebula-testnet:testnet:10.1.2.3");
  EXPECT_EQ(b.records[0].node_id, a.records[0].node_id);  // the port is not part of it
  EXPECT_EQ(a.identity, IdentitySource::Derived);
  const json body = error_body(a);
  EXPECT_EQ(body["identity"]["source"], "derived");
  ASSERT_EQ(body["warnings"].size(), 1u);
  EXPECT_THAT(body["warnings"][0]["reason"].get<std::string>(), HasSubstr("derived from the sender's address"));
}

TEST(ContributionIdentity, TwoChainsBehindOneAddressStayApart) {
  const Sender sender{"", "[::1]:7000"};
  std::string mainnet = kAnonymousContribution;
  mainnet.replace(mainnet.find("nebula-testnet"), 14, "nebula-mainnet");
  auto a = decode_json_payload(kAnonymousContribution, limits(), &sender);
  auto b = decode_json_payload(mainnet, limits(), &sender);
  ASSERT_EQ(a.records.size(), 1u);
  ASSERT_EQ(b.records.size(), 1u);
  EXPECT_EQ(a.records[0].node_id, "anon:nebula-testnet:testnet:::1");
  EXPECT_NE(a.records[0].node_id, b.records[0].node_id);
}

TEST(ContributionIdentity, PayloadNodeIdWinsOverTheSender) {
  const Sender sender{"header-node", "10.0.0.1:1"};
  auto r = decode_json_payload(R"({"timestamp":1,"node_data":{"node_id":"own","peer_count":1}})", limits(), &sender);
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records.at(0).node_id, "own");
  EXPECT_EQ(r.identity, IdentitySource::Payload);
  EXPECT_FALSE(error_body(r).contains("identity"));
}

TEST(ContributionIdentity, PeerHost) {
  EXPECT_EQ(peer_host("127.0.0.1:5555"), "127.0.0.1");
  EXPECT_EQ(peer_host("[::1]:5555"), "::1");
  EXPECT_EQ(peer_host("::1"), "::1");
  EXPECT_EQ(peer_host("file:/spool/a.jsonl"), "file:/spool/a.jsonl");
  EXPECT_EQ(derived_node_id(Sender{"", "file:/spool/a b.jsonl"}, "main", "full", 256),
            "anon:main:full:file:_spool_a_b.jsonl");
  EXPECT_EQ(derived_node_id(Sender{}, "main", "full", 256), "");
}

// --- nothing silently empty -------------------------------------------------

TEST(EmptyRecords, AreAcceptedWithAWarningNamingTheUnknownGroups) {
  auto r = decode(batch(R"({"timestamp":1699999990,"stats":{"height":5},"health":{"ok":true}},
                          {"timestamp":1699999991,"network":{"peer_count":4}})"));
  ASSERT_TRUE(r.ok()) << error_body(r).dump();
  EXPECT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.empty_records, 1u);
  EXPECT_THAT(r.warnings, ElementsAre(RecordWarning{0, "no known metric found; unknown groups: health, stats"}));
  EXPECT_EQ(error_body(r)["warnings"][0]["index"], 0);
}

TEST(EmptyRecords, StrictIngestRejectsThemAndKeepsTheRest) {
  DecodeLimits strict = limits();
  strict.reject_empty = true;
  auto r = decode(batch(R"({"timestamp":1699999990,"stats":{"height":5}},
                          {"timestamp":1699999991,"network":{"peer_count":4}})"),
                  strict);
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.rejected, 1u);
  EXPECT_THAT(r.errors,
              ElementsAre(RecordError{0, "", "no known metric found; unknown groups: stats (ingest.strict)"}));
  EXPECT_EQ(error_body(r)["status"], "partial");
}

TEST(EmptyRecords, AContributionWithOnlyUnknownFieldsIsEmpty) {
  auto r = decode(R"({"timestamp":1,"node_data":{"node_id":"a","mystery":1}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.empty_records, 1u);
  EXPECT_THAT(r.warnings.at(0).reason, HasSubstr("no known metric found"));
}

// --- physical ranges ------------------------------------------------------

TEST(PhysicalRanges, EachOutOfRangeValueIsAnsweredPerRecord) {
  auto r = decode(batch(R"({"timestamp":1699999990,"performance_metrics":{"cpu_usage":101}},
                          {"timestamp":1699999990,"network_metrics":{"average_latency":1e30}},
                          {"timestamp":1699999990,"network":{"connection_quality":1.5}},
                          {"timestamp":1699999990,"blockchain":{"current_height":-4}},
                          {"timestamp":1699999990,"network":{"peer_count":2000000}},
                          {"timestamp":1699999990,"performance":{"memory_usage":55.5}})"));
  EXPECT_EQ(r.records.size(), 1u);  // only the last one is physically possible
  EXPECT_EQ(r.records.at(0).memory_usage, 55.5);
  EXPECT_THAT(r.errors, ElementsAre(RecordError{0, "performance.cpu_usage", "must be at most 100 %, got 101"},
                                    RecordError{1, "network.average_latency", "must be at most 3600000 ms, got 1e+30"},
                                    RecordError{2, "network.connection_quality", "must be between 0 and 1"},
                                    RecordError{3, "blockchain.current_height", "must be a non-negative integer"},
                                    RecordError{4, "network.peer_count", "must be at most 1000000, got 2e+06"}));
  EXPECT_EQ(error_body(r)["status"], "partial");
}

TEST(PhysicalRanges, ContributionFieldsAreCheckedUnderTheirOwnNames) {
  auto r = decode(R"({"timestamp":1,"node_data":{"node_id":"a","network_latency":1e30}})");
  EXPECT_THAT(r.errors, ElementsAre(RecordError{0, "node_data.network_latency", "must be at most 3600000 ms, got 1e+30"}));
}

}  // namespace
}  // namespace nebula::host

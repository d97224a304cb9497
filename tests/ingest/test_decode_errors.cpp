// Every class of bad input, with the exact entry index, field and reason a
// sender gets back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

// The errors of a one-entry batch that must be rejected.
std::vector<RecordError> entry_errors(const std::string& body, DecodeLimits l = limits()) {
  auto r = decode(body, l);
  EXPECT_FALSE(r.payload_error);
  EXPECT_THAT(r.records, IsEmpty());
  EXPECT_EQ(r.rejected, 1u);
  return r.errors;
}

// The single error of a payload refused as a whole.
RecordError payload_error(std::string_view body, DecodeLimits l = limits()) {
  auto r = decode(body, l);
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.records, IsEmpty());
  EXPECT_GE(r.rejected, 1u);
  EXPECT_EQ(r.errors.size(), 1u);
  return r.errors.empty() ? RecordError{} : r.errors[0];
}

// --- the payload as a whole --------------------------------------------------

TEST(PayloadErrors, MalformedJsonNamesTheByte) {
  auto e = payload_error(R"({"node_id":"n1","data_batch":[)");
  EXPECT_EQ(e.index, -1);
  EXPECT_EQ(e.field, "");
  EXPECT_THAT(e.reason, StartsWith("malformed JSON at byte 31: "));
}

TEST(PayloadErrors, NanAndInfinityLiteralsAreMalformedJson) {
  EXPECT_THAT(payload_error(R"({"data_batch":[{"timestamp":NaN}]})").reason,
              StartsWith("malformed JSON at byte 29: syntax error while parsing value - invalid literal"));
  EXPECT_THAT(payload_error(R"({"data_batch":[{"timestamp":Infinity}]})").reason,
              StartsWith("malformed JSON at byte 29: "));
}

// nlohmann quotes the bytes it choked on; invalid UTF-8 there made the
// ingest gate's answer.dump() throw (fuzz/corpus/record_decoder/regress_utf8_parse_error).
TEST(PayloadErrors, MalformedJsonReasonIsValidUtf8) {
  const DecodeResult results[] = {decode("{\"data_batch\":[],\"node_d\x99\x8b\":{}}"),
                                  decode_lines("{\"a\xff\":1}\n")};
  for (const auto& r : results) {
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_THAT(r.errors[0].reason, ::testing::HasSubstr("<0x"));
    EXPECT_NO_THROW((void)error_body(r).dump());
  }
}

TEST(PayloadErrors, NumberOverflowIsMalformedJson) {
  EXPECT_EQ(payload_error(batch(R"({"timestamp":1e400})")).reason,
            "malformed JSON: number overflow parsing '1e400'");
}

TEST(PayloadErrors, EmptyBody) {
  EXPECT_THAT(payload_error("").reason, StartsWith("malformed JSON at byte 1: "));
}

TEST(PayloadErrors, WrongShapes) {
  EXPECT_EQ(payload_error("[1,2]"), err(-1, "", "payload must be a JSON object"));
  EXPECT_EQ(payload_error(R"("text")"), err(-1, "", "payload must be a JSON object"));
  EXPECT_EQ(payload_error(R"({"timestamp":1,"node_id":"n1"})"),
            err(-1, "", "payload must contain data_batch (a batch) or node_data (a single contribution)"));
  EXPECT_EQ(payload_error(R"({"data_batch":[],"node_data":{}})"),
            err(-1, "", "payload has both data_batch and node_data; send one shape"));
  EXPECT_EQ(payload_error(R"({"timestamp":1,"node_data":[1]})"), err(-1, "node_data", "must be an object"));
  EXPECT_EQ(payload_error(R"({"data_batch":{"timestamp":1}})"), err(-1, "data_batch", "must be an array"));
  EXPECT_EQ(payload_error(R"({"data_batch":[]})"), err(-1, "data_batch", "must not be empty"));
}

TEST(PayloadErrors, TooManyRecords) {
  DecodeLimits l = limits();
  l.max_records = 2;
  auto r = decode(batch(R"({"timestamp":1},{"timestamp":2},{"timestamp":3})"), l);
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.errors, ElementsAre(err(-1, "data_batch", "has 3 records, more than the limit of 2")));
  EXPECT_EQ(r.rejected, 3u);
}

TEST(PayloadErrors, BatchSizeMustMatchTheArray) {
  auto r = decode(R"({"node_id":"n1","batch_size":3,"data_batch":[{"timestamp":1},{"timestamp":2}]})");
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.records, IsEmpty());  // good entries are not used from a mangled payload
  EXPECT_THAT(r.errors, ElementsAre(err(-1, "batch_size", "is 3 but data_batch has 2 records")));
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_EQ(payload_error(R"({"batch_size":-1,"data_batch":[{"timestamp":1,"node_id":"a"}]})"),
            err(-1, "batch_size", "must be a non-negative integer"));
  EXPECT_EQ(payload_error(R"({"batch_size":"1","data_batch":[{"timestamp":1,"node_id":"a"}]})"),
            err(-1, "batch_size", "must be a number"));
}

TEST(PayloadErrors, BadBatchNodeIdRefusesTheBatch) {
  EXPECT_EQ(payload_error(R"({"node_id":"n 1","data_batch":[{"timestamp":1}]})"),
            err(-1, "node_id", "must contain only the characters [A-Za-z0-9._:-]"));
  EXPECT_EQ(payload_error(R"({"node_id":7,"data_batch":[{"timestamp":1}]})"),
            err(-1, "node_id", "must be a string"));
}

TEST(PayloadErrors, AllEnvelopeProblemsAreReported) {
  auto r = decode(R"({"node_id":"","batch_size":2,"data_batch":[{"timestamp":1}]})");
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.errors, ElementsAre(err(-1, "node_id", "must not be empty"),
                                    err(-1, "batch_size", "is 2 but data_batch has 1 records")));
  EXPECT_EQ(error_body(r)["status"], "rejected");
}

// --- one entry --------------------------------------------------------------

TEST(EntryErrors, EntryMustBeAnObject) {
  EXPECT_THAT(entry_errors(batch("42")), ElementsAre(err(0, "", "must be an object")));
}

TEST(EntryErrors, NodeId) {
  EXPECT_THAT(entry_errors(R"({"data_batch":[{"timestamp":1}]})"), ElementsAre(err(0, "node_id", "is required")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"node_id":5)")), ElementsAre(err(0, "node_id", "must be a string")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"node_id":"")")), ElementsAre(err(0, "node_id", "must not be empty")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"node_id":"n1/../x")")),
              ElementsAre(err(0, "node_id", "must contain only the characters [A-Za-z0-9._:-]")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"node_id":"n2")")),
              ElementsAre(err(0, "node_id", "does not match the batch's node_id")));

  DecodeLimits l = limits();
  const std::string at_limit(l.max_string, 'a');
  EXPECT_TRUE(decode(R"({"data_batch":[{"timestamp":1,"node_id":")" + at_limit + R"("}]})", l).ok());
  EXPECT_THAT(entry_errors(R"({"data_batch":[{"timestamp":1,"node_id":")" + at_limit + R"(a"}]})", l),
              ElementsAre(err(0, "node_id", "must be at most 256 characters")));
}

TEST(EntryErrors, Timestamp) {
  EXPECT_THAT(entry_errors(batch(R"({"seq":1})")), ElementsAre(err(0, "timestamp", "is required")));
  EXPECT_THAT(entry_errors(batch(R"({"timestamp":"2024-01-01"})")),
              ElementsAre(err(0, "timestamp", "must be a number")));
  EXPECT_THAT(entry_errors(batch(R"({"timestamp":-1})")), ElementsAre(err(0, "timestamp", "must be non-negative")));
  EXPECT_THAT(entry_errors(batch(R"({"timestamp":1700086401})")),
              ElementsAre(err(0, "timestamp", "must not be more than 86400 s in the future")));
}

TEST(EntryErrors, NodeTypeAndChainId) {
  EXPECT_THAT(entry_errors(one_entry(R"(,"node_type":1)")), ElementsAre(err(0, "node_type", "must be a string")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"chain_id":["x"])")), ElementsAre(err(0, "chain_id", "must be a string")));
  // Characters, not bytes: 256 two-byte characters fit, 257 do not.
  std::string wide;
  for (int i = 0; i < 256; ++i) wide += "\u00e9";
  EXPECT_TRUE(decode(one_entry(R"(,"node_type":")" + wide + R"(")")).ok());
  EXPECT_THAT(entry_errors(one_entry(R"(,"chain_id":")" + wide + R"(x")")),
              ElementsAre(err(0, "chain_id", "must be at most 256 characters")));
}

TEST(EntryErrors, Seq) {
  EXPECT_THAT(entry_errors(one_entry(R"(,"seq":-3)")), ElementsAre(err(0, "seq", "must be a non-negative integer")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"seq":1.5)")), ElementsAre(err(0, "seq", "must be a non-negative integer")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"seq":"1")")), ElementsAre(err(0, "seq", "must be a number")));
}

TEST(EntryErrors, IntegerFields) {
  const char* kInt = "must be a non-negative integer";
  EXPECT_THAT(entry_errors(one_entry(R"(,"network":{"peer_count":-1})")),
              ElementsAre(err(0, "network.peer_count", kInt)));
  EXPECT_THAT(entry_errors(one_entry(R"(,"network.peer_count":2.5)")),
              ElementsAre(err(0, "network.peer_count", kInt)));
  EXPECT_THAT(entry_errors(one_entry(R"(,"blockchain":{"current_height":18446744073709551615})")),
              ElementsAre(err(0, "blockchain.current_height", kInt)));  // beyond int64
  EXPECT_THAT(entry_errors(one_entry(R"(,"blockchain.transaction_count":1e19)")),
              ElementsAre(err(0, "blockchain.transaction_count", kInt)));
  EXPECT_THAT(entry_errors(one_entry(R"(,"blockchain":{"blocks_processed_last_interval":true})")),
              ElementsAre(err(0, "blockchain.blocks_processed_last_interval", "must be a number")));
  // Heights and counters stop at 2^53: processors compute in double, and a
  // larger value would round silently there.
  EXPECT_THAT(entry_errors(one_entry(R"(,"blockchain":{"current_height":9223372036854775807})")),
              ElementsAre(err(0, "blockchain.current_height", "must be at most 9007199254740992, got 9.22337e+18")));
  EXPECT_TRUE(decode(one_entry(R"(,"blockchain":{"current_height":9007199254740992})")).ok());
}

TEST(EntryErrors, FloatFields) {
  EXPECT_THAT(entry_errors(one_entry(R"(,"performance":{"cpu_usage":-0.5})")),
              ElementsAre(err(0, "performance.cpu_usage", "must be non-negative")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"network.average_latency":"fast")")),
              ElementsAre(err(0, "network.average_latency", "must be a number")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"blockchain":{"mining_hash_rate":{}})")),
              ElementsAre(err(0, "blockchain.mining_hash_rate", "must be a number")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"network":{"connection_quality":1.01})")),
              ElementsAre(err(0, "network.connection_quality", "must be between 0 and 1")));
  EXPECT_THAT(entry_errors(one_entry(R"(,"network.connection_quality":-0.1)")),
              ElementsAre(err(0, "network.connection_quality", "must be between 0 and 1")));
}

TEST(EntryErrors, GroupMustBeAnObject) {
  EXPECT_THAT(entry_errors(one_entry(R"(,"network":5)")), ElementsAre(err(0, "network", "must be an object")));
}

TEST(EntryErrors, FieldGivenNestedAndDotted) {
  EXPECT_THAT(entry_errors(one_entry(R"(,"network":{"peer_count":1},"network.peer_count":1)")),
              ElementsAre(err(0, "network.peer_count", "is given more than once (nested and as a dotted key, or under two group names)")));
}

TEST(EntryErrors, ExtrasTooLarge) {
  DecodeLimits l = limits();
  l.max_extra_bytes = 12;
  EXPECT_THAT(entry_errors(one_entry(R"(,"k":"12345")"), l),  // {"k":"12345"} is 13 bytes
              ElementsAre(err(0, "extra", "unknown fields take 13 bytes, more than the limit of 12")));
}

TEST(EntryErrors, ExtrasTooDeep) {
  DecodeLimits l = limits();
  const std::string deep = std::string(l.max_extra_depth + 1, '[') + std::string(l.max_extra_depth + 1, ']');
  EXPECT_THAT(entry_errors(one_entry(",\"ai\":" + deep), l),
              ElementsAre(err(0, "extra", "unknown fields are nested deeper than 32 levels")));
  const std::string ok = std::string(l.max_extra_depth, '[') + std::string(l.max_extra_depth, ']');
  EXPECT_TRUE(decode(one_entry(",\"ai\":" + ok), l).ok());
}

TEST(EntryErrors, VeryDeepUnknownValueDoesNotOverflowTheStack) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_THAT(entry_errors(one_entry(",\"ai\":" + deep)),
              ElementsAre(err(0, "extra", "unknown fields are nested deeper than 32 levels")));
}

TEST(EntryErrors, EveryBadFieldOfAnEntryIsReported) {
  auto errors = entry_errors(batch(
      R"({"node_id":"zz","seq":"a","network":{"peer_count":-2,"connection_quality":7},"performance.uptime":-1})"));
  EXPECT_THAT(errors, UnorderedElementsAre(err(0, "node_id", "does not match the batch's node_id"),
                                           err(0, "seq", "must be a number"),
                                           err(0, "network.peer_count", "must be a non-negative integer"),
                                           err(0, "network.connection_quality", "must be between 0 and 1"),
                                           err(0, "performance.uptime", "must be non-negative"),
                                           err(0, "timestamp", "is required")));
}

TEST(EntryErrors, ContributionFieldsAreNamedAsSent) {
  auto r = decode(R"({"timestamp":1,"data_type":"other","node_id":"a",
    "node_data":{"node_id":"b","peer_count":-1,"network_latency":"x","node_type":3}})");
  EXPECT_FALSE(r.payload_error);
  EXPECT_THAT(r.errors, UnorderedElementsAre(err(0, "data_type", "must be \"node_contribution\""),
                                             err(0, "node_data.peer_count", "must be a non-negative integer"),
                                             err(0, "node_data.network_latency", "must be a number"),
                                             err(0, "node_data.node_type", "must be a string"),
                                             err(0, "node_id", "does not match node_data.node_id")));
  EXPECT_EQ(r.rejected, 1u);
  EXPECT_EQ(error_body(r)["status"], "rejected");
}

TEST(EntryErrors, ContributionNeedsTimestampAndNodeId) {
  auto r = decode(R"({"node_data":{"peer_count":1}})");
  EXPECT_THAT(r.errors, UnorderedElementsAre(err(0, "timestamp", "is required"), err(0, "node_id", "is required")));
}

// --- batches with some bad entries -------------------------------------------

TEST(PartialBatch, GoodEntriesKeptBadOnesIndexed) {
  auto r = decode(batch(R"({"timestamp":1,"seq":1,"network.peer_count":1},
                           {"timestamp":2,"network":{"peer_count":-1}},
                           {"timestamp":3,"seq":3,"network.peer_count":3},
                           "oops",
                           {"timestamp":5,"seq":5,"network.peer_count":5})"));
  EXPECT_FALSE(r.payload_error);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].seq, 1);
  EXPECT_EQ(r.records[1].seq, 3);
  EXPECT_EQ(r.records[2].seq, 5);
  EXPECT_THAT(r.errors, ElementsAre(err(1, "network.peer_count", "must be a non-negative integer"),
                                    err(3, "", "must be an object")));
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(error_body(r), json::parse(R"({"status":"partial","accepted":3,"rejected":2,"errors":[
      {"index":1,"field":"network.peer_count","reason":"must be a non-negative integer"},
      {"index":3,"field":"","reason":"must be an object"}]})"));
}

TEST(PartialBatch, ErrorsBeyondTheCapAreCounted) {
  DecodeLimits l = limits();
  l.max_errors = 2;
  auto r = decode(batch(R"({"timestamp":-1},{"timestamp":-1},{"timestamp":-1},{"timestamp":1})"), l);
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors_omitted, 1u);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(error_body(r)["errors_omitted"], 1);
}

TEST(ErrorBody, PayloadError) {
  auto r = decode("[]");
  EXPECT_EQ(error_body(r), json::parse(R"({"status":"rejected","accepted":0,"rejected":1,
      "errors":[{"index":-1,"field":"","reason":"payload must be a JSON object"}]})"));
}

}  // namespace
}  // namespace nebula::host

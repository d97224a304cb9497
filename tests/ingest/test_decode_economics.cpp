// The optional `economics` group (#19): accepted with its leaves checked like
// metrics, kept in the record's extra object, held to its schema
// (sdk/schemas/records/economics.schema.json), and refused with the leaf's
// name when a value is out of range — while the other records of the batch
// are still accepted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <nebula/testing/json_schema.hpp>
#include <nlohmann/json.hpp>

#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using nlohmann::json;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// What `nebula-node run --ethereum` sends (ethereum_collector.cpp).
const char* kEconomics =
    R"({"base_fee_gwei":0.875,"gas_price_gwei":1.875,"priority_fee_gwei":{"p10":0.1,"p50":1.5,"p90":2},)"
    R"("gas_used_ratio":0.42,"fee_blocks":2,"mempool_pending":120,"mempool_queued":3})";

const nebula::testing::JsonSchema& economics_schema() {
  static const auto schema =
      nebula::testing::JsonSchema::load(std::string(NEBULA_SCHEMA_DIR) + "/records/economics.schema.json");
  return schema;
}

TEST(DecodeEconomics, AcceptedAndKeptInTheExtraObject) {
  const auto r = decode(one_entry(std::string(R"(,"blockchain":{"current_height":7},"economics":)") + kEconomics));
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_EQ(r.records.size(), 1u);
  const json extra = json::parse(r.records[0].extra_json);
  EXPECT_EQ(extra["economics"], json::parse(kEconomics));
  EXPECT_TRUE(economics_schema().validate(extra["economics"]).empty())
      << nebula::testing::describe(economics_schema().validate(extra["economics"]));
}

TEST(DecodeEconomics, ARecordWithOnlyEconomicsIsNotEmpty) {
  const auto r = decode(one_entry(R"(,"economics":{"base_fee_gwei":3})"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_THAT(r.warnings, IsEmpty());
  EXPECT_EQ(r.empty_records, 0u);
}

TEST(DecodeEconomics, UnknownLeavesAreKept) {
  const auto r = decode(one_entry(R"(,"economics":{"base_fee_gwei":3,"blob_base_fee_gwei":1e-9})"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(json::parse(r.records[0].extra_json)["economics"]["blob_base_fee_gwei"], 1e-9);
}

TEST(DecodeEconomics, BadLeavesAreNamedAndOnlyTheirRecordIsRefused) {
  const auto r = decode(batch(
      R"({"timestamp":1699999990,"economics":{"gas_used_ratio":1.5,"base_fee_gwei":-1,"mempool_pending":2.5,)"
      R"("priority_fee_gwei":{"p50":"cheap","median":1},"gas_price_gwei":3e9}},)"
      R"({"timestamp":1699999991,"economics":{"base_fee_gwei":1}},)"
      R"({"timestamp":1699999992,"economics":[1,2]})"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].timestamp, 1699999991);
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_THAT(r.errors,  // the decoder reads an object's keys sorted
              UnorderedElementsAre(err(0, "economics.gas_used_ratio", "must be between 0 and 1"),
                          err(0, "economics.base_fee_gwei", "must be non-negative"),
                          err(0, "economics.mempool_pending", "must be a non-negative integer"),
                          err(0, "economics.priority_fee_gwei.p50", "must be a number"),
                          err(0, "economics.priority_fee_gwei.median", "is not a percentile name (p0 .. p100)"),
                          err(0, "economics.gas_price_gwei", "must be at most 1000000 gwei (was a wei value sent?)"),
                          err(2, "economics", "must be an object")));
}

TEST(DecodeEconomics, TheSchemaRefusesWhatTheDecoderRefuses) {
  for (const char* bad : {R"({"gas_used_ratio":1.5})", R"({"base_fee_gwei":-1})", R"({"mempool_pending":2.5})",
                          R"({"priority_fee_gwei":{"p50":"cheap"}})", R"({"gas_price_gwei":3e9})"}) {
    EXPECT_FALSE(economics_schema().validate(json::parse(bad)).empty()) << bad;
    EXPECT_EQ(decode(one_entry(std::string(R"(,"economics":)") + bad)).rejected, 1u) << bad;
  }
}

}  // namespace
}  // namespace nebula::host

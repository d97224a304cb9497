// The `wal`, `limits` and `ingest` sections: values, defaults and bad values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;

constexpr const char* kComponent = "components:\n  - id: http_in\n    plugin: nebula.transport.http\n";

TEST_F(PipelineYamlTest, WalDefaultsToOnWithGroupCommit) {
  ParseResult r = parse(kComponent);
  ASSERT_THAT(testing::formatted(r.issues), IsEmpty());
  EXPECT_TRUE(r.config.wal.enabled);
  EXPECT_EQ(r.config.wal.fsync, WalSettings::Fsync::Batch);
  EXPECT_EQ(r.config.wal.segment_bytes, 64ull << 20);
  EXPECT_EQ(r.config.wal.max_bytes, 0u);
  EXPECT_EQ(r.config.limits.records_per_second_per_node, 0);
}

TEST_F(PipelineYamlTest, WalSettingsAreRead) {
  ParseResult r = parse(std::string("wal:\n  fsync: always\n  segment_mb: 8\n  max_mb: 64\n  dedup_nodes: 500\n"
                                    "limits:\n  records_per_second_per_node: 50\n  burst_records_per_node: 400\n") +
                        kComponent);
  ASSERT_THAT(testing::formatted(r.issues), IsEmpty());
  EXPECT_EQ(r.config.wal.fsync, WalSettings::Fsync::Always);
  EXPECT_EQ(r.config.wal.segment_bytes, 8ull << 20);
  EXPECT_EQ(r.config.wal.max_bytes, 64ull << 20);
  EXPECT_EQ(r.config.wal.dedup_nodes, 500u);
  EXPECT_EQ(r.config.limits.records_per_second_per_node, 50);
  EXPECT_EQ(r.config.limits.burst_records_per_node, 400);
}

TEST_F(PipelineYamlTest, FsyncIntervalAsAMapping) {
  ParseResult r = parse(std::string("wal:\n  fsync: {interval: 50}\n") + kComponent);
  ASSERT_THAT(testing::formatted(r.issues), IsEmpty());
  EXPECT_EQ(r.config.wal.fsync, WalSettings::Fsync::Interval);
  EXPECT_EQ(r.config.wal.fsync_interval, std::chrono::milliseconds(50));
}

TEST_F(PipelineYamlTest, BadWalValuesArePointedAt) {
  auto issues = issues_of(std::string("wal:\n  fsync: sometimes\n  segment_mb: 0\n") + kComponent);
  ASSERT_EQ(issues.size(), 2u) << ::testing::PrintToString(issues);
  EXPECT_THAT(issues[0], ::testing::HasSubstr(":2:10: wal.fsync"));
  EXPECT_THAT(issues[0], ::testing::HasSubstr("always"));
  EXPECT_THAT(issues[1], ::testing::HasSubstr(":3:15: wal.segment_mb"));
}

TEST_F(PipelineYamlTest, WalCapSmallerThanASegmentIsRefused) {
  auto issues = issues_of(std::string("wal:\n  segment_mb: 64\n  max_mb: 10\n") + kComponent);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_THAT(issues[0], ::testing::HasSubstr("wal.max_mb must be 0 (no cap) or at least wal.segment_mb"));
}

TEST_F(PipelineYamlTest, UnknownWalKeyIsReported) {
  auto issues = issues_of(std::string("wal:\n  fsynk: batch\n") + kComponent);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_THAT(issues[0], ::testing::HasSubstr("fsynk"));
}

TEST_F(PipelineYamlTest, IngestStrictDefaultsOffAndIsRead) {
  EXPECT_FALSE(parse(kComponent).config.ingest.strict);
  ParseResult r = parse(std::string("ingest:\n  strict: true\n") + kComponent);
  ASSERT_THAT(testing::formatted(r.issues), IsEmpty());
  EXPECT_TRUE(r.config.ingest.strict);
}

TEST_F(PipelineYamlTest, BadIngestSettingsArePointedAt) {
  auto issues = issues_of(std::string("ingest:\n  strict: maybe\n  strictness: 1\n") + kComponent);
  ASSERT_EQ(issues.size(), 2u) << ::testing::PrintToString(issues);
  EXPECT_THAT(issues[0], ::testing::HasSubstr(":2:11: ingest.strict"));
  EXPECT_THAT(issues[1], ::testing::HasSubstr(":3:3: unknown key 'strictness'"));
}

}  // namespace
}  // namespace nebula::host

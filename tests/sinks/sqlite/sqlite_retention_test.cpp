// Retention on the host timer: insights past the age limit go; beyond the
// byte limit the oldest go until the file is back under it; counted.
#include <gtest/gtest.h>

#include <chrono>

#include "sqlite_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using nebula::testing::MockHost;
using nlohmann::json;

double now_s() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

TEST(SqliteSinkRetention, InsightsPastTheAgeLimitAreDeleted) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink(), R"({"retention_age_s": 86400})");
  const double now = now_s();
  const auto old = timed(golden_of_topic("patterns", 20), now - 2 * 86400);  // two days ago
  const auto recent = timed(golden_of_topic("memory", 10), now - 3600);      // an hour ago
  ASSERT_EQ(deliver(sink, old).status, NEBULA_OK);
  ASSERT_EQ(deliver(sink, recent).status, NEBULA_OK);

  ASSERT_EQ(host.run_timers(), 1u);
  const auto kept = all_pages(sink, json::object());
  ASSERT_EQ(kept.size(), 10u);
  for (const auto& row : kept) EXPECT_EQ(row["topic"], "memory");
  EXPECT_TRUE(all_pages(sink, {{"topic", "patterns"}}).empty());
  EXPECT_TRUE(all_pages(sink, {{"chain_id", "testnet"}, {"topic", "patterns"}}).empty()) << "subject rows go too";
  EXPECT_EQ(host.counter("insights_deleted_by_age"), 20.0);
  EXPECT_EQ(host.counter("insights_deleted_by_size"), 0.0);
  EXPECT_EQ(host.gauge("insights_retained"), 10.0);

  host.run_timers();  // nothing more is old
  EXPECT_EQ(host.counter("insights_deleted_by_age"), 20.0);
}

TEST(SqliteSinkRetention, BeyondTheByteLimitTheOldestAreDeletedUntilTheFileFits) {
  constexpr uint64_t kMaxBytes = 256 * 1024;
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink(), json{{"retention_max_bytes", kMaxBytes}}.dump());
  const auto batch = timed(golden_of_topic("learning", 80), now_s() - 1000);  // ~10 KB each
  for (size_t start = 0; start < batch.size(); start += 10) {
    const std::vector<Delivered> part(batch.begin() + static_cast<std::ptrdiff_t>(start),
                                      batch.begin() + static_cast<std::ptrdiff_t>(start + 10));
    ASSERT_EQ(deliver(sink, part).status, NEBULA_OK);
  }
  ASSERT_GT(host.gauge("database_bytes"), 2.0 * kMaxBytes);

  host.run_timers();
  EXPECT_LE(host.gauge("database_bytes"), static_cast<double>(kMaxBytes));
  const auto kept = all_pages(sink, json::object());
  ASSERT_FALSE(kept.empty());
  ASSERT_LT(kept.size(), batch.size());
  // What is left is the newest, without a gap.
  for (size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(kept[i]["timestamp"], batch[batch.size() - 1 - i].timestamp);
  EXPECT_EQ(host.counter("insights_deleted_by_size"), static_cast<double>(batch.size() - kept.size()));
  EXPECT_EQ(host.counter("insights_deleted_by_age"), 0.0);
  EXPECT_EQ(host.gauge("insights_retained"), static_cast<double>(kept.size()));

  // The file itself shrinks once the log is checkpointed (drain).
  ASSERT_EQ(sink.sink_flush(), NEBULA_OK);
  EXPECT_LE(std::filesystem::file_size(dir.path() / "insights.sqlite"), kMaxBytes);
}

TEST(SqliteSinkRetention, UnderTheLimitsNothingIsDeleted) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("network", 30), now_s() - 60)).status, NEBULA_OK);
  host.run_timers();
  EXPECT_EQ(all_pages(sink, json::object()).size(), 30u);
  EXPECT_EQ(host.counter("insights_deleted_by_age") + host.counter("insights_deleted_by_size"), 0.0);
  EXPECT_EQ(host.counter("retention_failures"), 0.0);
}

}  // namespace
}  // namespace nebula::sinks::testing

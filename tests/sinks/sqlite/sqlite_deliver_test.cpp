// deliver(): real insights of every topic are stored with their subjects; a
// redelivered batch stores nothing twice; a document that is not JSON fails
// the batch as INVALID with nothing written; a locked database answers RETRY.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "insight_subjects.hpp"
#include "sqlite_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;
using nebula::testing::MockHost;
using nlohmann::json;

constexpr double kT0 = 1767225600;  // 2026-01-01, as the golden run's records

TEST(SqliteSinkDeliver, StoresEveryTopicWithItsSourceNodesAndChains) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  const auto batch = timed(std::vector<GoldenInsight>(golden_insights().begin(), golden_insights().begin() + 120), kT0);
  const Outcome out = deliver(sink, batch);
  ASSERT_EQ(out.status, NEBULA_OK) << out.error;
  EXPECT_EQ(host.counter("insights_stored"), 120.0);
  EXPECT_GT(host.gauge("database_bytes"), 0.0);

  const auto stored = all_pages(sink, {{"limit", 1000}});
  ASSERT_EQ(stored.size(), 120u);
  std::set<std::string> topics;
  for (size_t i = 0; i < stored.size(); ++i) {
    const Delivered& d = batch[batch.size() - 1 - i];  // newest first
    const json& row = stored[i];
    EXPECT_EQ(row["topic"], d.topic);
    EXPECT_EQ(row["source"], d.source);
    EXPECT_EQ(row["timestamp"], d.timestamp);
    EXPECT_EQ(row["insight"], json::parse(d.json));
    const auto subjects = *insight_subjects(d.json);
    EXPECT_EQ(row["nodes"].get<std::set<std::string>>(), std::set<std::string>(subjects.nodes.begin(), subjects.nodes.end()));
    EXPECT_EQ(row["chains"].get<std::set<std::string>>(),
              std::set<std::string>(subjects.chains.begin(), subjects.chains.end()));
    topics.insert(d.topic);
  }
  EXPECT_EQ(topics.size(), 8u) << "the first 120 golden insights hold every topic";
}

TEST(SqliteSinkDeliver, ARedeliveredBatchIsStoredOnce) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  const auto batch = timed(golden_of_topic("patterns", 30), kT0);
  ASSERT_EQ(deliver(sink, batch).status, NEBULA_OK);
  ASSERT_EQ(deliver(sink, batch).status, NEBULA_OK);  // the host retried after a RETRY it saw
  // Part of it again, with one new insight after it.
  auto tail = std::vector<Delivered>(batch.begin() + 20, batch.end());
  tail.push_back(timed(golden_of_topic("patterns", 31), kT0).back());
  ASSERT_EQ(deliver(sink, tail).status, NEBULA_OK);

  EXPECT_EQ(all_pages(sink, json::object()).size(), 31u);
  EXPECT_EQ(host.counter("insights_stored"), 31.0);
  EXPECT_EQ(host.counter("insights_redelivered"), 40.0);
}

TEST(SqliteSinkDeliver, TheSameDocumentAtAnotherTimeIsAnotherInsight) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  const auto one = timed(golden_of_topic("stream", 1), kT0);
  const auto later = timed(golden_of_topic("stream", 1), kT0 + 60);
  ASSERT_EQ(deliver(sink, one).status, NEBULA_OK);
  ASSERT_EQ(deliver(sink, later).status, NEBULA_OK);
  EXPECT_EQ(all_pages(sink, json::object()).size(), 2u);
}

TEST(SqliteSinkDeliver, ADocumentThatIsNotJsonFailsTheBatchAsInvalidWithNothingWritten) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  auto batch = timed(golden_of_topic("memory", 3), kT0);
  batch[1].json = "{\"kind\": \"memory\", ";
  const Outcome out = deliver(sink, batch);
  EXPECT_EQ(out.status, NEBULA_INVALID);
  EXPECT_THAT(out.error, HasSubstr("insight 1 of the batch (topic 'memory' from 'memory') is not a JSON document"));
  EXPECT_TRUE(all_pages(sink, json::object()).empty());
  // The host then offers them one by one: the good ones are kept.
  ASSERT_EQ(deliver(sink, {batch[0]}).status, NEBULA_OK);
  EXPECT_EQ(deliver(sink, {batch[1]}).status, NEBULA_INVALID);
  ASSERT_EQ(deliver(sink, {batch[2]}).status, NEBULA_OK);
  EXPECT_EQ(all_pages(sink, json::object()).size(), 2u);
}

TEST(SqliteSinkDeliver, ADatabaseLockedByAnotherWriterAnswersRetryAndTheRetrySucceeds) {
  TempDir dir;
  MockHost host(dir.path());
  auto sink = host.create(sqlite_sink());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "insights.sqlite").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  const auto batch = timed(golden_of_topic("decisions", 5), kT0);
  const Outcome busy = deliver(sink, batch);  // waits out the sink's busy timeout
  EXPECT_EQ(busy.status, NEBULA_RETRY) << busy.error;
  EXPECT_THAT(busy.error, HasSubstr("locked"));

  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_EQ(deliver(sink, batch).status, NEBULA_OK);
  EXPECT_EQ(all_pages(sink, json::object()).size(), 5u);
}

TEST(SqliteSinkDeliver, TheHistorySurvivesClosingAndReopening) {
  TempDir dir;
  const auto batch = timed(golden_of_topic("network", 40), kT0);
  std::vector<json> before;
  {
    MockHost host(dir.path());
    auto sink = host.create(sqlite_sink());
    ASSERT_EQ(deliver(sink, batch).status, NEBULA_OK);
    ASSERT_EQ(sink.sink_flush(), NEBULA_OK);
    before = all_pages(sink, {{"limit", 7}});
  }
  MockHost host(dir.path());
  auto reopened = host.create(sqlite_sink());
  EXPECT_EQ(host.gauge("insights_retained"), 40.0);
  EXPECT_EQ(all_pages(reopened, {{"limit", 7}}), before);
  // New insights continue the history; a redelivery of the old batch is still recognised.
  ASSERT_EQ(deliver(reopened, batch).status, NEBULA_OK);
  ASSERT_EQ(deliver(reopened, timed(golden_of_topic("patterns", 1), kT0 + 100)).status, NEBULA_OK);
  const auto after = all_pages(reopened, json::object());
  ASSERT_EQ(after.size(), 41u);
  EXPECT_EQ(after[0]["topic"], "patterns");
  EXPECT_GT(after[0]["id"].get<int64_t>(), before[0]["id"].get<int64_t>());
}

}  // namespace
}  // namespace nebula::sinks::testing

// deliver(): every insight stored once with its host, nodes and chains, in
// one transaction per batch; redelivery (by the same or another pool host)
// stores nothing twice; bad data is INVALID and writes nothing; several
// pool hosts start on an empty database at once.
#include <gmock/gmock.h>

#include <cmath>
#include <thread>
#include <vector>

#include "insight_subjects.hpp"
#include "postgres_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

constexpr double kT0 = 1767225600;

class PostgresDeliver : public PostgresSinkTest {};

TEST_F(PostgresDeliver, StoresEveryInsightWithItsHostNodesAndChains) {
  auto sink = create_sink();
  const auto batch = timed(golden_about_nodes("network", 20), kT0);
  const Outcome out = deliver(sink, batch);
  ASSERT_EQ(out.status, NEBULA_OK) << out.error;
  EXPECT_EQ(rows_in("insights"), 20);
  EXPECT_EQ(host_.counter("insights_stored"), 20);
  EXPECT_EQ(sql_value("SELECT string_agg(DISTINCT host, ',') FROM " + schema_ + ".insights"), "pool-a");

  size_t nodes = 0;
  size_t chains = 0;
  for (const auto& d : batch) {
    const auto s = *insight_subjects(d.json);
    nodes += s.nodes.size();
    chains += s.chains.size();
  }
  ASSERT_GT(nodes, 0u);
  EXPECT_EQ(rows_in("insight_nodes"), static_cast<int64_t>(nodes));
  EXPECT_EQ(rows_in("insight_chains"), static_cast<int64_t>(chains));

  const auto rows = all_pages(sink, {{"limit", 1000}});
  ASSERT_EQ(rows.size(), 20u);
  EXPECT_EQ(rows.front()["insight"], json::parse(batch.back().json));  // newest first, the document intact
  EXPECT_EQ(rows.front()["timestamp"].get<double>(), batch.back().timestamp);
  EXPECT_EQ(rows.front()["host"], "pool-a");
}

TEST_F(PostgresDeliver, ARedeliveredBatchIsStoredOnce) {
  auto sink = create_sink();
  const auto batch = timed(golden_of_topic("decisions", 10), kT0);
  ASSERT_EQ(deliver(sink, batch).status, NEBULA_OK);
  const Outcome again = deliver(sink, batch);
  ASSERT_EQ(again.status, NEBULA_OK) << again.error;
  EXPECT_EQ(rows_in("insights"), 10);
  EXPECT_EQ(host_.counter("insights_stored"), 10);
  EXPECT_EQ(host_.counter("insights_redelivered"), 10);
}

TEST_F(PostgresDeliver, TwoPoolHostsShareOneHistory) {
  auto pool_a = create_sink();
  nebula::testing::MockHost other_host;
  auto pool_b = other_host.create(postgres_sink(), config({{"host_id", "pool-b"}}).dump());

  const auto memory = timed(golden_of_topic("memory", 6), kT0);
  const auto decisions = timed(golden_of_topic("decisions", 4), kT0 + 100);
  ASSERT_EQ(deliver(pool_a, memory).status, NEBULA_OK);
  ASSERT_EQ(deliver(pool_b, decisions).status, NEBULA_OK);
  // The same insight reaching both hosts (e.g. replayed dead letters) is kept once.
  ASSERT_EQ(deliver(pool_b, {memory.front()}).status, NEBULA_OK);
  EXPECT_EQ(other_host.counter("insights_redelivered"), 1);

  for (auto* sink : {&pool_a, &pool_b}) {
    const auto rows = all_pages(*sink, {{"limit", 3}});
    ASSERT_EQ(rows.size(), 10u);
    EXPECT_EQ(rows.front()["host"], "pool-b");
    EXPECT_EQ(rows.front()["topic"], "decisions");
    EXPECT_EQ(rows.back()["host"], "pool-a");
    EXPECT_EQ(rows.back()["topic"], "memory");
  }
}

TEST_F(PostgresDeliver, BadDataIsInvalidAndWritesNothingOfTheBatch) {
  auto sink = create_sink();
  auto batch = timed(golden_of_topic("memory", 3), kT0);
  batch[1].json = "{\"node_id\": \"n1\", ";
  Outcome out = deliver(sink, batch);
  EXPECT_EQ(out.status, NEBULA_INVALID);
  EXPECT_THAT(out.error, HasSubstr("insight 1 of the batch (topic 'memory' from 'memory') is not a JSON document"));

  batch[1].json = R"({"node_id": "n1", "note": "nul \u0000 inside"})";  // JSON, but not storable as jsonb
  out = deliver(sink, batch);
  EXPECT_EQ(out.status, NEBULA_INVALID);
  EXPECT_THAT(out.error, HasSubstr("insight 1 of the batch (topic 'memory' from 'memory') was refused"));

  batch[1].json = "{}";
  batch[1].timestamp = std::nan("");
  out = deliver(sink, batch);
  EXPECT_EQ(out.status, NEBULA_INVALID);
  EXPECT_THAT(out.error, HasSubstr("has no finite timestamp"));

  EXPECT_EQ(rows_in("insights"), 0);
  EXPECT_EQ(rows_in("insight_nodes"), 0);
  // What the host then does: the good ones one by one.
  EXPECT_EQ(deliver(sink, {batch[0]}).status, NEBULA_OK);
  EXPECT_EQ(deliver(sink, {batch[2]}).status, NEBULA_OK);
  EXPECT_EQ(rows_in("insights"), 2);
}

TEST_F(PostgresDeliver, SeveralPoolHostsStartOnAnEmptyDatabaseAtOnce) {
  constexpr int kHosts = 6;
  std::vector<std::unique_ptr<nebula::testing::MockHost>> hosts;
  for (int i = 0; i < kHosts; ++i) hosts.push_back(std::make_unique<nebula::testing::MockHost>());
  std::vector<std::string> errors(kHosts);
  std::vector<std::thread> starting;
  for (int i = 0; i < kHosts; ++i)
    starting.emplace_back([&, i] {
      try {
        auto sink = hosts[i]->create(postgres_sink(), config({{"host_id", "pool-" + std::to_string(i)}}).dump());
        const Outcome out = deliver(sink, timed(golden_of_topic("patterns", 1), kT0 + i));
        if (out.status != NEBULA_OK) errors[i] = out.error;
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : starting) t.join();
  for (int i = 0; i < kHosts; ++i) EXPECT_EQ(errors[i], "") << "host " << i;
  for (const auto& h : hosts) EXPECT_EQ(h->counter("connect_failures"), 0);
  EXPECT_EQ(rows_in("insights"), kHosts);
  EXPECT_EQ(rows_in("history_schema"), 1);
}

}  // namespace
}  // namespace nebula::sinks::testing

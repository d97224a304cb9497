// Retention on the host's timer: by age, then the oldest beyond the row
// limit, node and chain rows going with their insights; one pool host at a
// time (the others skip the check while one holds the lock).
#include <gmock/gmock.h>

#include <chrono>

#include "pg_connection.hpp"
#include "postgres_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using nlohmann::json;

double now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class PostgresRetention : public PostgresSinkTest {};

TEST_F(PostgresRetention, InsightsOlderThanTheAgeLimitGoWithTheirSubjects) {
  auto sink = create_sink({{"retention_age_s", 3600}});
  const double now = now_s();
  ASSERT_EQ(deliver(sink, timed(golden_about_nodes("network", 8), now - 7200)).status, NEBULA_OK);  // 2 h old
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("memory", 3), now - 60)).status, NEBULA_OK);
  ASSERT_GT(rows_in("insight_nodes"), 0);

  EXPECT_EQ(host_.run_timers(), 1u);
  EXPECT_EQ(host_.counter("insights_deleted_by_age"), 8);
  EXPECT_EQ(host_.counter("insights_deleted_by_rows"), 0);
  EXPECT_EQ(host_.gauge("insights_retained"), 3);
  EXPECT_EQ(rows_in("insights"), 3);
  const auto left = all_pages(sink, {{"limit", 100}});
  ASSERT_EQ(left.size(), 3u);
  for (const auto& r : left) EXPECT_EQ(r["topic"], "memory");
  // Node rows of the deleted insights went with them.
  EXPECT_EQ(sql_value("SELECT count(*) FROM " + schema_ + ".insight_nodes n WHERE NOT EXISTS (SELECT 1 FROM " +
                      schema_ + ".insights i WHERE i.id = n.insight_id)"),
            "0");
}

TEST_F(PostgresRetention, TheOldestBeyondTheRowLimitGo) {
  auto sink = create_sink({{"retention_max_rows", 5}});
  const double now = now_s();
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("patterns", 12), now - 100)).status, NEBULA_OK);
  host_.run_timers();
  EXPECT_EQ(host_.counter("insights_deleted_by_rows"), 7);
  EXPECT_EQ(host_.gauge("insights_retained"), 5);
  const auto left = all_pages(sink, {{"limit", 100}});
  ASSERT_EQ(left.size(), 5u);
  EXPECT_EQ(left.back()["timestamp"].get<double>(), now - 100 + 7);  // the newest five stay
  host_.run_timers();
  EXPECT_EQ(host_.counter("insights_deleted_by_rows"), 7);  // nothing more to do
}

TEST_F(PostgresRetention, OnePoolHostAtATime) {
  auto sink = create_sink({{"retention_max_rows", 1}});
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("patterns", 3), now_s())).status, NEBULA_OK);
  {
    // Another pool host in the middle of its own check.
    postgres::Connection other({server_->dsn(), 2, "other-pool"});
    other.exec("SELECT pg_advisory_lock(hashtextextended($1, 0))",
               {"nebula.sink.postgres:" + schema_ + ".:retention"});
    host_.run_timers();
    EXPECT_EQ(host_.counter("retention_skipped"), 1);
    EXPECT_EQ(rows_in("insights"), 3);
    // Let go before closing: a closed connection's locks are released by its
    // server process after the client has moved on, so the next check could
    // still find this one held.
    other.exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))",
               {"nebula.sink.postgres:" + schema_ + ".:retention"});
  }
  host_.run_timers();
  EXPECT_EQ(host_.counter("insights_deleted_by_rows"), 2);
  EXPECT_EQ(host_.counter("retention_failures"), 0);
}

}  // namespace
}  // namespace nebula::sinks::testing

// The server going away: deliveries and queries answer RETRY (the host keeps
// the batch and tries again after its backoff), and once the server is back
// the next delivery reconnects and stores the batch, once. A pool host that
// starts while the server is down delivers once it is up.
#include <gmock/gmock.h>

#include "postgres_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;

constexpr double kT0 = 1767225600;

class PostgresOutage : public PostgresSinkTest {
 protected:
  // Whatever a test leaves behind, the next test finds the server up.
  void TearDown() override {
    if (server_) server_->start();
  }
};

TEST_F(PostgresOutage, ServerStoppedMidRunIsRetryThenDeliveryResumes) {
  auto sink = create_sink();
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("memory", 5), kT0)).status, NEBULA_OK);

  server_->stop();
  const auto batch = timed(golden_of_topic("decisions", 5), kT0 + 100);
  const Outcome down = deliver(sink, batch);
  EXPECT_EQ(down.status, NEBULA_RETRY) << down.error;
  EXPECT_THAT(down.error, HasSubstr("postgres"));
  const Outcome still_down = deliver(sink, batch);  // the reconnect fails too: RETRY again
  EXPECT_EQ(still_down.status, NEBULA_RETRY) << still_down.error;
  EXPECT_THAT(still_down.error, HasSubstr("cannot connect"));
  const QueryOutcome unanswered = query(sink, {{"limit", 10}});
  EXPECT_EQ(unanswered.status, NEBULA_RETRY) << unanswered.error;

  server_->start();
  const Outcome back = deliver(sink, batch);
  ASSERT_EQ(back.status, NEBULA_OK) << back.error;
  EXPECT_EQ(host_.counter("reconnects"), 1);
  EXPECT_EQ(rows_in("insights"), 10);
  const QueryOutcome answered = query(sink, {{"limit", 100}});
  ASSERT_EQ(answered.status, NEBULA_OK) << answered.error;
  EXPECT_EQ(answered.answer["insights"].size(), 10u);
}

TEST_F(PostgresOutage, AQueryAfterARestartReconnectsByItself) {
  auto sink = create_sink();
  ASSERT_EQ(deliver(sink, timed(golden_of_topic("memory", 3), kT0)).status, NEBULA_OK);
  ASSERT_EQ(query(sink, {{"limit", 10}}).status, NEBULA_OK);  // the reader's connection is made
  server_->stop();
  server_->start();
  const QueryOutcome q = query(sink, {{"limit", 10}});
  ASSERT_EQ(q.status, NEBULA_OK) << q.error;
  EXPECT_EQ(q.answer["insights"].size(), 3u);
}

TEST_F(PostgresOutage, APoolStartedWhileTheServerIsDownDeliversOnceItIsUp) {
  server_->stop();
  auto sink = create_sink();
  EXPECT_EQ(host_.counter("connect_failures"), 1);
  const auto batch = timed(golden_of_topic("patterns", 4), kT0);
  EXPECT_EQ(deliver(sink, batch).status, NEBULA_RETRY);
  server_->start();
  const Outcome out = deliver(sink, batch);
  ASSERT_EQ(out.status, NEBULA_OK) << out.error;
  EXPECT_EQ(rows_in("insights"), 4);
  EXPECT_EQ(host_.counter("reconnects"), 0);  // the first connection there ever was
}

}  // namespace
}  // namespace nebula::sinks::testing

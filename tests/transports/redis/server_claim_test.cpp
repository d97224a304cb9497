// Entries of a consumer that died: claimed after claim_idle_ms, recorded as
// taken from it, and answered by confirm_replay when that consumer's host
// replays its write-ahead log.
#include "server_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(RedisServerTest, ClaimsADeadConsumersEntriesAndRecordsThemAsTaken) {
  accept_all();
  create_groups();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(add(0, payload("n", i)));
  read_as("dead-host", 0, 3);
  ASSERT_EQ(holder(0, ids[0]).first, "dead-host");

  RedisInstance server(host_, config("pool-b", {{"claim_idle_ms", 300}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 3 && pending(0) == 0; }));
  EXPECT_EQ(origins(), (std::vector<std::string>{origin(0, ids[0]), origin(0, ids[1]), origin(0, ids[2])}));
  std::vector<std::string> expected{origin(0, ids[0]), origin(0, ids[1]), origin(0, ids[2])};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(taken_from("dead-host"), expected);
  EXPECT_GT(cmd({"PTTL", "nebula:records:taken:dead-host"}).integer(), 0);
  EXPECT_EQ(host_.counter("entries_claimed"), 3);
}

TEST_F(RedisServerTest, ConfirmReplayDropsWhatWasTakenAndAcknowledgesOwnPending) {
  accept_all();
  create_groups();
  // pool-a read `taken` and crashed; pool-b claimed it and processed it.
  const std::string taken = add(0, payload("n", 1));
  read_as("pool-a", 0, 1);
  {
    testing::MockHost host_b(dir_.path() / "host-b");
    SubmissionLog log_b;
    accept_all(host_b, log_b);
    RedisInstance b(host_b, config("pool-b", {{"claim_idle_ms", 200}}));
    b.start();
    ASSERT_TRUE(wait_until([&] { return log_b.size() == 1 && pending(0) == 0; }));
  }
  // pool-a also read `mine`, logged it, and crashed before acknowledging it.
  const std::string mine = add(0, payload("n", 2));
  read_as("pool-a", 0, 1);
  ASSERT_EQ(holder(0, mine).first, "pool-a");

  RedisInstance a(host_, config("pool-a"));
  EXPECT_EQ(a.confirm_replay(origin(0, taken)), NEBULA_NOT_FOUND);
  EXPECT_EQ(a.confirm_replay(origin(0, taken)), NEBULA_NOT_FOUND) << "asking twice gets the same answer";
  EXPECT_EQ(a.confirm_replay(origin(0, mine)), NEBULA_OK);
  EXPECT_EQ(holder(0, mine).first, "") << "acknowledged, so nobody claims it later";
  EXPECT_EQ(a.confirm_replay(origin(0, mine)), NEBULA_OK) << "already acknowledged: still ours";
  EXPECT_EQ(a.confirm_replay("somewhere:else 1-0"), NEBULA_OK);
  EXPECT_EQ(host_.counter("replays_dropped"), 2);

  // The record stays (it expires on its own): a host that crashes again
  // before it processed the replay asks again and must hear the same.
  a.start();
  EXPECT_TRUE(wait_until([&] { return a.owned().size() == 2; }));
  EXPECT_EQ(taken_from("pool-a"), std::vector<std::string>{origin(0, taken)});
  EXPECT_EQ(log_.size(), 0u) << "neither entry is submitted again";
}

TEST_F(RedisServerTest, ConfirmReplayAsksAgainWhileRedisIsDown) {
  accept_all();
  create_groups();
  const std::string id = add(0, payload("n", 1));
  read_as("pool-a", 0, 1);
  RedisInstance a(host_, config("pool-a", {{"connect_timeout_ms", 200}}));
  redis_.kill();
  EXPECT_EQ(a.confirm_replay(origin(0, id)), NEBULA_RETRY);
  EXPECT_FALSE(host_.ready());
  redis_.restart();
  EXPECT_EQ(a.confirm_replay(origin(0, id)), NEBULA_OK);
  EXPECT_TRUE(host_.ready());
  EXPECT_EQ(pending(0), 0);
}

TEST_F(RedisServerTest, EntryDeliveredTooOftenIsDeadLetteredNotSubmitted) {
  accept_all();
  create_groups();
  const std::string id = add(1, payload("n", 1));
  read_as("crashing-host", 1, 1);                             // delivery 1
  cmd({"XCLAIM", key(1), kGroup, "crashing-host", "0", id});  // 2
  cmd({"XCLAIM", key(1), kGroup, "crashing-host", "0", id});  // 3
  RedisInstance server(host_, config("pool-b", {{"claim_idle_ms", 100}, {"max_deliveries", 3}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return host_.dead_letters().size() == 1 && pending(1) == 0; }));
  EXPECT_EQ(host_.dead_letters()[0].reason, "delivered 4 times (max_deliveries 3)");
  EXPECT_EQ(host_.dead_letters()[0].payload, payload("n", 1));
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(RedisServerTest, OwnPendingEntriesComeFirstAfterARestart) {
  accept_all();
  create_groups();
  const std::string first = add(0, payload("n", 1));
  const std::string second = add(0, payload("n", 2));
  read_as("pool-a", 0, 2);  // read before a crash, never acknowledged
  const std::string third = add(0, payload("n", 3));
  // claim_idle_ms is a minute: own entries do not wait for it.
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 3 && pending(0) == 0; }));
  EXPECT_EQ(origins(), (std::vector<std::string>{origin(0, first), origin(0, second), origin(0, third)}));
  EXPECT_EQ(host_.counter("entries_claimed"), 0) << "its own entries are not counted as claimed";
}

TEST_F(RedisServerTest, EntryTrimmedWhilePendingIsCountedAsLost) {
  accept_all();
  create_groups();
  const std::string gone = add(0, payload("n", 1));
  const std::string kept = add(0, payload("n", 2));
  read_as("dead-host", 0, 2);
  cmd({"XDEL", key(0), gone});
  RedisInstance server(host_, config("pool-b", {{"claim_idle_ms", 100}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 1 && pending(0) == 0; }));
  EXPECT_EQ(origins(), std::vector<std::string>{origin(0, kept)});
  EXPECT_EQ(host_.counter("entries_lost"), 1);
}

}  // namespace
}  // namespace nebula::transport_test

// The server side's Lua scripts, called directly against a real Redis:
// their answers in the situations the read loop cannot easily be steered into.
#include "redis_scripts.hpp"
#include "server_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

using redis::Confirm;
using redis::Lease;

class RedisScriptsTest : public RedisServerTest {
 protected:
  redis::ServerConfig as(const std::string& consumer) {
    ConfigErrors errors;
    auto cfg = redis::read_server_config(config(consumer), errors);
    EXPECT_TRUE(errors.empty()) << errors.text();
    return cfg;
  }
  redis::StreamEntry entry(size_t shard, const std::string& id) {
    redis::StreamEntry e;
    e.key = key(shard);
    e.id = id;
    return e;
  }
  redis::ClaimResult claim_all(const redis::ServerConfig& cfg, size_t shard) {
    redis::ClaimRequest request;
    request.key = key(shard);
    return redis::claim(conn_, cfg, request);
  }
};

TEST_F(RedisScriptsTest, LeaseTellsMineFromTakenFromSettled) {
  create_groups();
  const std::string id = add(0, payload("n", 1));
  read_as("pool-a", 0, 1);
  const auto a = as("pool-a");
  EXPECT_EQ(redis::lease(conn_, a, entry(0, id)), Lease::kMine);
  EXPECT_EQ(holder(0, id).second, 1) << "a lease is not a delivery";
  EXPECT_EQ(redis::lease(conn_, as("pool-b"), entry(0, id)), Lease::kTaken);
  redis::acknowledge(conn_, a, key(0), id);
  EXPECT_EQ(redis::lease(conn_, a, entry(0, id)), Lease::kSettled);
}

TEST_F(RedisScriptsTest, ClaimRecordsThePreviousOwnerAndCountsTheDelivery) {
  create_groups();
  const std::string id = add(0, payload("n", 1));
  read_as("pool-a", 0, 1);
  const auto result = claim_all(as("pool-b"), 0);
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].id, id);
  EXPECT_EQ(result.entries[0].previous_owner, "pool-a");
  EXPECT_EQ(result.entries[0].deliveries, 2);
  EXPECT_EQ(result.entries[0].data, payload("n", 1));
  EXPECT_EQ(result.entries[0].format, NEBULA_FORMAT_NDJSON);
  EXPECT_EQ(result.last_listed, id);
  EXPECT_EQ(holder(0, id), std::make_pair(std::string("pool-b"), 2LL));
  EXPECT_EQ(taken_from("pool-a"), std::vector<std::string>{origin(0, id)});
}

TEST_F(RedisScriptsTest, ClaimOnlyTakesEntriesIdleLongEnough) {
  create_groups();
  add(0, payload("n", 1));
  read_as("pool-a", 0, 1);
  redis::ClaimRequest request;
  request.key = key(0);
  request.min_idle_ms = 60'000;
  const auto result = redis::claim(conn_, as("pool-b"), request);
  EXPECT_TRUE(result.entries.empty());
  EXPECT_EQ(result.last_listed, "");
  EXPECT_TRUE(taken_from("pool-a").empty());
}

TEST_F(RedisScriptsTest, AcknowledgingOrClaimingBackMakesAnEntryMineAgain) {
  create_groups();
  const std::string acked = add(0, payload("n", 1));
  const std::string reclaimed = add(0, payload("n", 2));
  read_as("pool-a", 0, 2);
  const auto a = as("pool-a");
  const auto b = as("pool-b");
  ASSERT_EQ(claim_all(b, 0).entries.size(), 2u);
  ASSERT_EQ(taken_from("pool-a").size(), 2u);
  // pool-a was slow, not dead: it had logged `acked` and acknowledges it.
  redis::acknowledge(conn_, a, key(0), acked);
  EXPECT_EQ(redis::confirm(conn_, a, key(0), acked), Confirm::kSettled) << "its log copy is the only one";
  // pool-b died in turn; pool-a claims `reclaimed` back.
  ASSERT_EQ(claim_all(a, 0).entries.size(), 1u);
  EXPECT_TRUE(taken_from("pool-a").empty());
  EXPECT_EQ(taken_from("pool-b"), std::vector<std::string>{origin(0, reclaimed)});
  EXPECT_EQ(redis::confirm(conn_, b, key(0), reclaimed), Confirm::kTaken);
}

TEST_F(RedisScriptsTest, ConfirmWithoutAGroupKeepsTheLoggedCopy) {
  EXPECT_EQ(redis::confirm(conn_, as("pool-a"), key(0), "1-0"), Confirm::kSettled);
}

TEST_F(RedisScriptsTest, ConfirmDropsAnEntryAnotherConsumerHolds) {
  create_groups();
  const std::string id = add(0, payload("n", 1));
  read_as("pool-b", 0, 1);
  EXPECT_EQ(redis::confirm(conn_, as("pool-a"), key(0), id), Confirm::kOtherOwner);
  EXPECT_EQ(holder(0, id).first, "pool-b");
}

TEST_F(RedisScriptsTest, TrimKeepsWhatAnyGroupStillNeeds) {
  create_groups();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(add(0, payload("n", i)));
  read_as("pool-a", 0, 6);
  for (int i : {0, 1, 3, 4, 5}) cmd({"XACK", key(0), kGroup, ids[i]});
  // Another group has read only the first two.
  cmd({"XGROUP", "CREATE", key(0), "audit", "0"});
  cmd({"XREADGROUP", "GROUP", "audit", "x", "COUNT", "2", "STREAMS", key(0), ">"});
  cmd({"XACK", key(0), "audit", ids[0], ids[1]});
  EXPECT_EQ(redis::trim(conn_, key(0)), 1) << "the audit group's last delivered id is ids[1]";
  cmd({"XREADGROUP", "GROUP", "audit", "x", "STREAMS", key(0), ">"});
  for (const auto& id : ids) cmd({"XACK", key(0), "audit", id});
  EXPECT_EQ(redis::trim(conn_, key(0)), 1) << "ids[2] is still pending in our group";
  EXPECT_EQ(cmd({"XRANGE", key(0), "-", "+"}).at(0).at(0).str(), ids[2]);
  EXPECT_EQ(redis::trim(conn_, key(9)), 0) << "no such stream";
}

TEST_F(RedisScriptsTest, HeartbeatListsLiveMembersAndDropsSilentOnes) {
  const auto a = as("pool-a");
  cmd({"ZADD", a.members_key(), "1", "long-gone"});
  const auto members = redis::heartbeat(conn_, a);
  EXPECT_EQ(members, std::vector<std::string>{"pool-a"});
  auto both = redis::heartbeat(conn_, as("pool-b"));
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (std::vector<std::string>{"pool-a", "pool-b"}));
}

}  // namespace
}  // namespace nebula::transport_test

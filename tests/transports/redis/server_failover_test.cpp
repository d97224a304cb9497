// Redis going away and coming back, several pool hosts sharing the shards,
// and trimming what nobody needs any more.
#include <set>

#include "membership.hpp"
#include "server_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(RedisServerTest, RedisKilledMakesTheHostNotReadyAndTheRestIsDeliveredAfterARestart) {
  std::atomic<bool> accepting{false};
  host_.on_submit([&](const std::string& fmt, const std::string& p, const std::string& meta, nebula_verdict* out) {
    if (!accepting) return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 20, 429, ""});
    log_.add(fmt, p, meta);
    return fill_verdict(out, {NEBULA_OK, 1, 0, -1, 0, 200, ""});
  });
  create_groups();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(add(0, payload("n", i)));
  RedisInstance server(host_, config("pool-a", {{"connect_timeout_ms", 200}, {"command_timeout_ms", 500}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return holder(0, ids[2]).first == "pool-a"; }));  // all read, held by RETRY

  redis_.kill();
  ASSERT_TRUE(wait_until([&] { return !host_.ready(); }));
  const std::string endpoint = redis::parse_endpoint(redis_.url()).text();
  EXPECT_NE(host_.ready_reason().find("redis " + endpoint + " unreachable"), std::string::npos)
      << host_.ready_reason();
  // The connection error's own "<endpoint>: " prefix is not repeated after it.
  EXPECT_EQ(host_.ready_reason().find("unreachable: " + endpoint), std::string::npos) << host_.ready_reason();
  EXPECT_EQ(host_.gauge("connected"), 0);
  accepting = true;

  redis_.restart();
  ASSERT_TRUE(wait_until([&] { return host_.ready(); }, std::chrono::seconds(20))) << host_.ready_reason();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 3 && pending(0) == 0; }, std::chrono::seconds(20)));
  EXPECT_EQ(origins(), (std::vector<std::string>{origin(0, ids[0]), origin(0, ids[1]), origin(0, ids[2])}));
}

TEST_F(RedisServerTest, IdleReaderReconnectsAfterRedisRestartsAndReadsOn) {
  accept_all();
  RedisInstance server(host_, config("pool-a", {{"connect_timeout_ms", 200}}));
  server.start();
  add(0, payload("n", 1));
  ASSERT_TRUE(wait_until([&] { return log_.size() == 1; }));
  redis_.kill();  // the reader is blocked in XREADGROUP: it sees the loss at once
  ASSERT_TRUE(wait_until([&] { return !host_.ready(); }));
  redis_.restart();
  ASSERT_TRUE(wait_until([&] { return host_.ready(); }, std::chrono::seconds(20))) << host_.ready_reason();
  const std::string later = add(1, payload("n", 2));
  EXPECT_TRUE(wait_until([&] { return log_.size() == 2 && pending(1) == 0; }));
  EXPECT_EQ(origins().back(), origin(1, later));
  EXPECT_GE(host_.counter("reconnects"), 1);
}

TEST_F(RedisServerTest, TwoHostsSplitTheShardsAndEachEntryGoesToOne) {
  constexpr size_t kShards = 8;
  testing::MockHost host_b(dir_.path() / "host-b");
  SubmissionLog log_b;
  accept_all();
  accept_all(host_b, log_b);
  RedisInstance a(host_, config("pool-a", {{"shards", kShards}}));
  RedisInstance b(host_b, config("pool-b", {{"shards", kShards}}));
  a.start();
  b.start();
  const std::vector<std::string> members{"pool-a", "pool-b"};
  const auto want_a = redis::owned_shards(members, "pool-a", kShards);
  const auto want_b = redis::owned_shards(members, "pool-b", kShards);
  ASSERT_TRUE(wait_until([&] { return a.owned() == want_a && b.owned() == want_b; }))
      << a.describe().dump() << " " << b.describe().dump();
  std::set<size_t> all(want_a.begin(), want_a.end());
  for (size_t s : want_b) EXPECT_TRUE(all.insert(s).second) << "shard " << s << " owned twice";
  EXPECT_EQ(all.size(), kShards);
  EXPECT_FALSE(want_a.empty());
  EXPECT_FALSE(want_b.empty());

  std::multiset<std::string> added;
  for (size_t shard = 0; shard < kShards; ++shard)
    for (int i = 0; i < 3; ++i)
      added.insert(redis::stream_key("nebula:records", shard) + " " + add(shard, payload("n", i)));
  ASSERT_TRUE(wait_until([&] { return log_.size() + log_b.size() == added.size(); }));
  std::multiset<std::string> seen;
  for (const auto& o : origins(log_)) {
    seen.insert(o);
    const size_t shard = std::stoul(o.substr(std::string("nebula:records:").size()));
    EXPECT_NE(std::find(want_a.begin(), want_a.end(), shard), want_a.end()) << o << " read by pool-a";
  }
  for (const auto& o : origins(log_b)) seen.insert(o);
  EXPECT_EQ(seen, added);

  // pool-b leaves: pool-a takes every shard at once (no member timeout).
  b.stop();
  EXPECT_TRUE(wait_until([&] { return a.owned().size() == kShards; }, std::chrono::milliseconds(800)));
}

TEST_F(RedisServerTest, SilentHostLosesItsShardsAndItsPendingEntriesAreClaimed) {
  constexpr size_t kShards = 8;
  accept_all();
  create_groups(kShards);
  const auto ghost_shards = redis::owned_shards({"pool-a", "ghost"}, "ghost", kShards);
  ASSERT_FALSE(ghost_shards.empty());
  const size_t shard = ghost_shards.front();
  const std::string id = add(shard, payload("n", 1));
  read_as("ghost", shard, 1);
  // One heartbeat of a host that then dies (Redis's clock, as the members use).
  const auto now = cmd({"TIME"});
  const long long now_ms =
      std::stoll(std::string(now.at(0).str())) * 1000 + std::stoll(std::string(now.at(1).str())) / 1000;
  cmd({"ZADD", "nebula:records:members", std::to_string(now_ms), "ghost"});

  RedisInstance a(host_, config("pool-a", {{"shards", kShards}, {"claim_idle_ms", 300}}));
  a.start();
  ASSERT_TRUE(wait_until([&] { return !a.owned().empty(); }));
  const auto first = a.owned();
  EXPECT_EQ(std::find(first.begin(), first.end(), shard), first.end()) << "the ghost still counts as live";
  // member_timeout_ms (1 s) later the ghost is gone; its entry is claimed.
  ASSERT_TRUE(wait_until([&] { return a.owned().size() == kShards; }, std::chrono::seconds(5)));
  ASSERT_TRUE(wait_until([&] { return log_.size() == 1 && pending(shard) == 0; }));
  EXPECT_EQ(origins(), std::vector<std::string>{origin(shard, id)});
  EXPECT_EQ(taken_from("ghost").size(), 1u);
}

TEST_F(RedisServerTest, TrimDropsAcknowledgedEntriesAndKeepsPendingOnes) {
  host_.set_dead_letters_fail(true);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(add(0, i == 3 ? "poison\n" : payload("n", i)));
  host_.on_submit([&](const std::string& fmt, const std::string& p, const std::string& meta, nebula_verdict* out) {
    log_.add(fmt, p, meta);
    if (p == "poison\n") return fill_verdict(out, {NEBULA_INVALID, 0, 1, -1, 0, 400, "bad"});
    return fill_verdict(out, {NEBULA_OK, 1, 0, -1, 0, 200, ""});
  });
  RedisInstance server(host_, config("pool-a", {{"claim_idle_ms", 500}, {"max_deliveries", 100}}));
  server.start();
  // The poison entry stays pending (its dead letter failed): the stream is
  // trimmed up to it, not past it.
  ASSERT_TRUE(wait_until([&] { return cmd({"XLEN", key(0)}).integer() == 2; })) << cmd({"XLEN", key(0)}).integer();
  EXPECT_EQ(holder(0, ids[3]).first, "pool-a");
  EXPECT_EQ(cmd({"XRANGE", key(0), "-", "+"}).at(0).at(0).str(), ids[3]);
  EXPECT_GE(host_.counter("entries_trimmed"), 3);

  host_.set_dead_letters_fail(false);
  ASSERT_TRUE(wait_until([&] { return pending(0) == 0; }, std::chrono::seconds(10)));
  // Nothing pending: only the last delivered entry is left.
  EXPECT_TRUE(wait_until([&] { return cmd({"XLEN", key(0)}).integer() == 1; }));
  EXPECT_EQ(cmd({"XRANGE", key(0), "-", "+"}).at(0).at(0).str(), ids[4]);
}

}  // namespace
}  // namespace nebula::transport_test

// From the shard streams to the host: order, acknowledgement only after the
// host's OK, retries, dead letters.
#include <condition_variable>

#include "server_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(RedisServerTest, SubmitsEachShardInOrderWithItsOrigin) {
  accept_all();
  std::vector<std::string> shard0, shard1;
  for (int i = 0; i < 5; ++i) {
    shard0.push_back(add(0, payload("n0", i)));
    shard1.push_back(add(1, payload("n1", i)));
  }
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 10; })) << log_.size();

  std::vector<std::string> seen0, seen1;
  for (const auto& s : log_.all()) {
    EXPECT_EQ(s.format, NEBULA_FORMAT_NDJSON);
    EXPECT_EQ(s.meta["transport"], "redis");
    EXPECT_EQ(s.meta["peer"], redis::parse_endpoint(redis_.url()).text());
    const std::string origin = s.meta["origin"];
    const std::string id = origin.substr(origin.rfind(' ') + 1);
    if (origin.rfind(key(0) + " ", 0) == 0) {
      EXPECT_EQ(s.payload, payload("n0", static_cast<int64_t>(seen0.size())));
      seen0.push_back(id);
    } else {
      EXPECT_EQ(origin.rfind(key(1) + " ", 0), 0u) << origin;
      seen1.push_back(id);
    }
  }
  EXPECT_EQ(seen0, shard0);
  EXPECT_EQ(seen1, shard1);
  EXPECT_TRUE(wait_until([&] { return pending(0) == 0 && pending(1) == 0; }));
  EXPECT_TRUE(wait_until([&] { return host_.counter("entries_acked") == 10; }));
  EXPECT_EQ(host_.counter("entries_read"), 10);
  EXPECT_TRUE(host_.ready());
}

TEST_F(RedisServerTest, AcknowledgesOnlyAfterTheHostSaidOk) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false, inside = false;
  host_.on_submit([&](const std::string&, const std::string&, const std::string&, nebula_verdict* out) {
    std::unique_lock lock(mu);
    inside = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return fill_verdict(out, {NEBULA_OK, 1, 0, 0, 0, 200, ""});
  });
  const std::string id = add(0, payload("n", 1));
  RedisInstance server(host_, config("pool-a"));
  server.start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return inside; }));
  }
  // The host has not answered: the entry is this consumer's, still pending.
  EXPECT_EQ(holder(0, id).first, "pool-a");
  EXPECT_EQ(host_.counter("entries_acked"), 0);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  EXPECT_TRUE(wait_until([&] { return pending(0) == 0 && host_.counter("entries_acked") == 1; }));
}

TEST_F(RedisServerTest, RetryVerdictResubmitsTheSameEntryAndSkipsNothing) {
  const VerdictSpec retry{NEBULA_RETRY, 0, 0, -1, 20, 429, R"({"status":"retry","error":"pool queue is full"})"};
  const VerdictSpec io{NEBULA_IO, 0, 0, -1, 0, 503, ""};
  answer({retry, io, retry});
  const std::string first = add(0, payload("n", 1));
  const std::string second = add(0, payload("n", 2));
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 5; }));
  EXPECT_EQ(origins(), (std::vector<std::string>{origin(0, first), origin(0, first), origin(0, first), origin(0, first),
                                                 origin(0, second)}));
  EXPECT_TRUE(wait_until([&] { return pending(0) == 0 && host_.counter("entries_acked") == 2; }));
  EXPECT_EQ(host_.counter("submit_retries"), 3);
  EXPECT_TRUE(host_.dead_letters().empty());
}

TEST_F(RedisServerTest, RetryingEntryStaysPendingUntilTheHostTakesIt) {
  std::atomic<bool> full{true};
  host_.on_submit([&](const std::string& fmt, const std::string& p, const std::string& meta, nebula_verdict* out) {
    log_.add(fmt, p, meta);
    if (full) return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 10, 429, ""});
    return fill_verdict(out, {NEBULA_OK, 1, 0, -1, 0, 200, ""});
  });
  const std::string id = add(0, payload("n", 1));
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() >= 3; }));
  EXPECT_EQ(holder(0, id).first, "pool-a");
  EXPECT_EQ(host_.counter("entries_acked"), 0);
  full = false;
  EXPECT_TRUE(wait_until([&] { return pending(0) == 0; }));
  for (const auto& o : origins()) EXPECT_EQ(o, origin(0, id));
}

TEST_F(RedisServerTest, StopInterruptsARetryWaitLeavesTheEntryPendingAndLeavesTheMembers) {
  host_.on_submit([&](const std::string& fmt, const std::string& p, const std::string& meta, nebula_verdict* out) {
    log_.add(fmt, p, meta);
    return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 60'000, 429, ""});
  });
  const std::string id = add(0, payload("n", 1));
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 1; }));
  ASSERT_FALSE(cmd({"ZSCORE", "nebula:records:members", "pool-a"}).is_nil());
  const auto began = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(2));
  EXPECT_EQ(holder(0, id).first, "pool-a");
  EXPECT_TRUE(cmd({"ZSCORE", "nebula:records:members", "pool-a"}).is_nil()) << "others take over at once";
  EXPECT_EQ(server.describe()["running"], false);
  EXPECT_EQ(server.owned(), std::vector<size_t>{});
}

TEST_F(RedisServerTest, InvalidPayloadIsDeadLetteredWithTheHostsReasonAndAcknowledged) {
  const std::string reason = R"({"status":"rejected","errors":["line 1: not JSON"]})";
  answer({{NEBULA_INVALID, 0, 1, -1, 0, 400, reason}});
  const std::string bad = add(0, "not json\n");
  const std::string good = add(0, payload("n", 2));
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 2 && host_.counter("entries_acked") == 2; }));
  EXPECT_EQ(pending(0), 0);
  const auto letters = host_.dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].format, NEBULA_FORMAT_NDJSON);
  EXPECT_EQ(letters[0].payload, "not json\n");
  EXPECT_EQ(letters[0].reason, reason);
  EXPECT_EQ(host_.counter("entries_dead_lettered"), 1);
  EXPECT_EQ(origins(), (std::vector<std::string>{origin(0, bad), origin(0, good)}));
}

TEST_F(RedisServerTest, PartlyRejectedPayloadGoesToTheDeadLettersToo) {
  const std::string body = R"({"status":"accepted","accepted":1,"rejected":1,"errors":["line 2: missing node_id"]})";
  answer({{NEBULA_OK, 1, 1, 1, 0, 200, body}});
  add(0, payload("n", 1) + "{}\n");
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return host_.dead_letters().size() == 1 && pending(0) == 0; }));
  EXPECT_EQ(host_.dead_letters()[0].reason, body);
}

TEST_F(RedisServerTest, FailingDeadLetterFileLeavesTheEntryPendingUntilItWorks) {
  host_.set_dead_letters_fail(true);
  host_.on_submit([&](const std::string& fmt, const std::string& p, const std::string& meta, nebula_verdict* out) {
    log_.add(fmt, p, meta);
    return fill_verdict(out, {NEBULA_INVALID, 0, 1, -1, 0, 400, "bad"});
  });
  const std::string id = add(0, "garbage\n");
  RedisInstance server(host_, config("pool-a", {{"claim_idle_ms", 200}, {"max_deliveries", 100}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return host_.counter("dead_letter_failures") >= 1; }));
  EXPECT_EQ(holder(0, id).first, "pool-a");
  EXPECT_EQ(host_.counter("entries_acked"), 0);
  // Once the file works again, the entry (idle, claimed back) gets through.
  host_.set_dead_letters_fail(false);
  ASSERT_TRUE(wait_until([&] { return host_.dead_letters().size() == 1; }));
  EXPECT_TRUE(wait_until([&] { return pending(0) == 0; }));
  EXPECT_EQ(host_.dead_letters()[0].payload, "garbage\n");
}

TEST_F(RedisServerTest, EntryWithoutPayloadFieldIsDeadLettered) {
  accept_all();
  cmd({"XADD", key(1), "*", "f", NEBULA_FORMAT_NDJSON, "n", "1"});
  RedisInstance server(host_, config("pool-a"));
  server.start();
  ASSERT_TRUE(wait_until([&] { return host_.dead_letters().size() == 1 && pending(1) == 0; }));
  EXPECT_NE(host_.dead_letters()[0].reason.find("has no field 'd'"), std::string::npos);
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(RedisServerTest, DescribeNamesTheConsumerAndItsShards) {
  accept_all();
  RedisInstance server(host_, config("pool-a", {{"shards", 4}}));
  server.start();
  ASSERT_TRUE(wait_until([&] { return server.owned().size() == 4; }));
  const auto d = server.describe();
  EXPECT_EQ(d["consumer"], "pool-a");
  EXPECT_EQ(d["group"], "nebula-pool");
  EXPECT_EQ(d["url"], redis::parse_endpoint(redis_.url()).text());
  EXPECT_EQ(d["owned_shards"], nlohmann::json({0, 1, 2, 3}));
  EXPECT_EQ(d["connected"], true);
  EXPECT_EQ(host_.gauge("owned_shards"), 4);
  EXPECT_EQ(host_.gauge("connected"), 1);
}

}  // namespace
}  // namespace nebula::transport_test

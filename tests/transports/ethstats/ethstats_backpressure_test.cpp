// A full pool, a node that dies mid-stream, the pool stopping with records
// still waiting for room, and records the host refuses for good: the node
// is slowed down, never answered early, and nothing it sent is lost —
// every record is accepted once or is in the dead-letter file.
#include <set>
#include <thread>

#include "ethstats_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

class EthstatsBackpressureTest : public EthstatsTransportTest {
 protected:
  // RETRY (queue full) for the attempts `should_retry` picks, else accepted.
  void retry_when(std::function<bool(int attempt)> should_retry, uint32_t retry_after_ms) {
    host_.on_submit([this, should_retry, retry_after_ms](const std::string& fmt, const std::string& payload,
                                                         const std::string& meta, nebula_verdict* out) {
      attempts_.add(fmt, payload, meta);
      if (should_retry(calls_++))
        return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, retry_after_ms, 429, R"({"error":"pool queue full"})"});
      log_.add(fmt, payload, meta);
      VerdictSpec v;
      v.accepted = static_cast<uint32_t>(lines_of(payload).size());
      return fill_verdict(out, v);
    });
  }

  std::atomic<int> calls_{0};
  SubmissionLog attempts_;
};

TEST_F(EthstatsBackpressureTest, FullPoolPausesReadingThenEveryRecordArrivesOnce) {
  retry_when([](int attempt) { return attempt < 3; }, 100);
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  for (int i = 0; i < 5; ++i) geth.send(geth_block(kNode, 50 + i, 1765000000 + i, 1));
  geth.send(geth_ping(kNode, "t0"));
  // The pong is the node's only answer; it waits until all five were accepted.
  ASSERT_EQ(geth.read_json()["emit"][0], "node-pong");
  EXPECT_EQ(record_count(), 5u);

  std::set<int64_t> heights;
  for (const auto& r : records()) heights.insert(r["blockchain"]["current_height"].get<int64_t>());
  EXPECT_EQ(heights, (std::set<int64_t>{50, 51, 52, 53, 54}));
  // The same records were offered again, no sooner than the host's hint.
  const auto tries = attempts_.all();
  ASSERT_EQ(tries.size(), 8u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(tries[i + 1].payload, tries[0].payload);
    EXPECT_GE(tries[i + 1].at - tries[i].at, std::chrono::milliseconds(100)) << "after retry " << i;
  }
  EXPECT_EQ(host_.counter("retries"), 3.0);
  EXPECT_TRUE(host_.dead_letters().empty());
}

TEST_F(EthstatsBackpressureTest, NodeDyingMidFrameLosesNothingItSentWhole) {
  accept_all();
  start_server(config_with_tokens());
  {
    EthstatsClient geth(port());
    geth.login(kNode, kSecret);
    for (int i = 0; i < 3; ++i) geth.send(geth_block(kNode, 70 + i, 1765000000 + i, 2));
    geth.die_mid_frame();
  }
  // The server noticed the disconnect; the three whole messages are in, the partial one is not.
  ASSERT_TRUE(wait_until([&] { return connections() == 0; }));
  EXPECT_EQ(record_count(), 3u);
  EXPECT_EQ(host_.counter("records_accepted"), 3.0);

  // It comes back and goes on where it was.
  EthstatsClient again(port());
  again.login(kNode, kSecret);
  again.send(geth_block(kNode, 73, 1765000003, 2));
  ASSERT_TRUE(wait_until([&] { return record_count() == 4; }));
  EXPECT_EQ(records().back()["blockchain"]["blocks_processed_last_interval"], 1);
  EXPECT_EQ(records().back()["blockchain"]["transaction_count"], 8);
}

TEST_F(EthstatsBackpressureTest, StopWhileThePoolIsFullDeadLettersTheWaitingRecords) {
  retry_when([](int) { return true; }, 60'000);
  auto& server = start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  geth.send(geth_block(kNode, 90, 1765000000, 1));
  ASSERT_TRUE(wait_until([&] { return attempts_.size() == 1; }));
  // Like geth's readLoop, the node keeps reading, so it answers the close.
  bool closed = false;
  std::thread reader([&] { closed = geth.closed_by_server(); });
  const auto t0 = std::chrono::steady_clock::now();
  server.stop();  // must not wait out the minute-long pause
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  reader.join();
  EXPECT_TRUE(closed);
  EXPECT_EQ(geth.close_code(), 1001);
  EXPECT_EQ(geth.close_reason(), "the pool is stopping");
  const auto letters = host_.dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].format, "application/x-ndjson");
  EXPECT_EQ(json::parse(letters[0].payload)["blockchain"]["current_height"], 90);
  EXPECT_NE(letters[0].reason.find("pool queue full"), std::string::npos) << letters[0].reason;
  EXPECT_EQ(host_.counter("records_dead_lettered"), 1.0);
}

TEST_F(EthstatsBackpressureTest, RecordsThePoolRefusesGoToTheDeadLetters) {
  // The host refuses the record at index 0 of a two-record history, and everything of one stats report.
  host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                         nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    if (payload.find("\"event\":\"stats\"") != std::string::npos)
      return fill_verdict(out, {NEBULA_INVALID, 0, 1, -1, 0, 400, R"({"error":"peer_count out of range"})"});
    if (lines_of(payload).size() == 2)
      return fill_verdict(out, {NEBULA_OK, 1, 1, -1, 0, 200,
                                R"({"errors":[{"index":0,"field":"blockchain.current_height","reason":"too high"}]})"});
    return fill_verdict(out, {NEBULA_OK, 1, 0, -1, 0, 200, ""});
  });
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  geth.send(geth_block(kNode, 1, 1765000000, 0));
  geth.send(emit("history", {{"id", kNode},
                             {"history", {geth_block_stats(3, 1765000024, 0), geth_block_stats(2, 1765000012, 0)}}}));
  geth.send(geth_stats(kNode, 5, 1));
  geth.send(geth_ping(kNode, "t"));
  ASSERT_EQ(geth.read_json()["emit"][0], "node-pong");  // refusals do not close the connection
  const auto letters = host_.dead_letters();
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(json::parse(letters[0].payload)["blockchain"]["current_height"], 2);
  EXPECT_EQ(letters[0].reason, "rejected by the pool: blockchain.current_height: too high");
  EXPECT_EQ(json::parse(letters[1].payload)["ethstats"]["event"], "stats");
  EXPECT_NE(letters[1].reason.find("peer_count out of range"), std::string::npos);
  EXPECT_EQ(host_.counter("records_rejected"), 2.0);
}

}  // namespace
}  // namespace nebula::transport_test

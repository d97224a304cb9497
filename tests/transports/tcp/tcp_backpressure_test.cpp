// Back-pressure: a RETRY verdict is acked "retry", the connection is not
// read for retry_after_ms, the sender resends, nothing is lost or doubled.
#include <map>
#include <set>

#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

class TcpBackpressureTest : public TcpTransportTest {
 protected:
  // RETRY for the submissions `should_retry` picks, else accepted; records
  // every attempt, and accepted payloads separately.
  void retry_when(std::function<bool(int call)> should_retry, uint32_t retry_after_ms) {
    host_.on_submit([this, should_retry, retry_after_ms](const std::string& fmt, const std::string& payload,
                                                         const std::string& meta, nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      if (should_retry(calls_++)) {
        return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, retry_after_ms, 503, R"({"error":"queue full"})"});
      }
      accepted_.add(fmt, payload, meta);
      return fill_verdict(out, accepted_verdict(payload));
    });
  }

  // Every record line accepted by the host, counted.
  std::map<std::pair<std::string, int64_t>, int> accepted_records() const {
    std::map<std::pair<std::string, int64_t>, int> out;
    for (auto& sub : accepted_.all())
      for (auto& line : lines_of(sub.payload)) {
        auto r = nlohmann::json::parse(line);
        ++out[{r["node_id"], r["seq"]}];
      }
    return out;
  }

  std::atomic<int> calls_{0};
  SubmissionLog accepted_;
};

TEST_F(TcpBackpressureTest, RetryAcksThenAcceptedWithNothingLostOrDoubled) {
  retry_when([](int call) { return call < 3; }, 100);
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  int retries = 0;
  for (int b = 0; b < 4; ++b) {
    const std::string batch = make_batch("node", b * 5, 5);
    for (int attempt = 0;; ++attempt) {
      ASSERT_LT(attempt, 10);
      auto d = client.deliver(batch);  // resent at once: the server's pause is the back-pressure
      if (d.status == NEBULA_OK) {
        EXPECT_EQ(d.accepted, 5u);
        break;
      }
      ASSERT_EQ(d.status, NEBULA_RETRY) << d.message;
      EXPECT_EQ(d.retry_after_ms, 100u);
      EXPECT_NE(std::string(d.message).find("queue full"), std::string::npos);
      ++retries;
    }
  }
  EXPECT_EQ(retries, 3);
  auto records = accepted_records();
  EXPECT_EQ(records.size(), 20u);
  for (auto& [key, n] : records) EXPECT_EQ(n, 1) << key.first << "/" << key.second;

  // The connection was not read during each pause: the host saw the resent
  // batch no sooner than retry_after_ms after answering RETRY.
  auto attempts = log_.all();
  ASSERT_EQ(attempts.size(), 7u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_GE(attempts[i + 1].at - attempts[i].at, std::chrono::milliseconds(100)) << "after retry " << i;
}

TEST_F(TcpBackpressureTest, PausedConnectionDoesNotDelayOtherConnections) {
  // Only node "slow" is told to retry, with a long pause.
  host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                         nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    if (payload.find("\"slow\"") != std::string::npos)
      return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 60'000, 503, ""});
    return fill_verdict(out, accepted_verdict(payload));
  });
  start_server({{"io_threads", 1}});
  RawLines slow(port());
  slow.send(record_line("slow", 1) + commit(1));
  EXPECT_EQ(slow.read_ack()["status"], "retry");
  slow.send(record_line("slow", 1) + commit(2));  // sits unread in the socket for a minute

  ClientUnderTest fast(descriptor(), endpoint(), {{"ack_timeout_ms", 5000}});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(fast.deliver(make_batch("fast", i, 1)).status, NEBULA_OK);
  EXPECT_EQ(log_.size(), 6u);  // slow's resend was not read during its pause
}

TEST_F(TcpBackpressureTest, ConcurrentSendersUnderIntermittentRetryLoseNothing) {
  retry_when([](int call) { return call % 3 == 1; }, 20);
  start_server({{"io_threads", 2}, {"submit_threads", 2}});
  constexpr int kSenders = 4, kBatches = 10, kPerBatch = 3;
  std::vector<std::thread> senders;
  std::atomic<int> gave_up{0};
  for (int s = 0; s < kSenders; ++s)
    senders.emplace_back([&, s] {
      ClientUnderTest client(descriptor(), endpoint());
      for (int b = 0; b < kBatches; ++b) {
        const std::string batch = make_batch("node-" + std::to_string(s), b * kPerBatch, kPerBatch);
        int attempt = 0;
        while (client.deliver(batch).status != NEBULA_OK)
          if (++attempt == 50) {
            ++gave_up;
            break;
          }
      }
    });
  for (auto& t : senders) t.join();
  EXPECT_EQ(gave_up.load(), 0);
  auto records = accepted_records();
  EXPECT_EQ(records.size(), static_cast<size_t>(kSenders * kBatches * kPerBatch));
  for (auto& [key, n] : records) EXPECT_EQ(n, 1) << key.first << "/" << key.second;
}

TEST_F(TcpBackpressureTest, StopDuringPauseClosesPromptly) {
  retry_when([](int) { return true; }, 60'000);
  auto& server = start_server();
  RawLines conn(port());
  conn.send(record_line("n", 1) + commit(1));
  EXPECT_EQ(conn.read_ack()["status"], "retry");
  server.stop();  // must not wait out the minute-long pause
  EXPECT_TRUE(conn.closed_by_server());
}

}  // namespace
}  // namespace nebula::transport_test

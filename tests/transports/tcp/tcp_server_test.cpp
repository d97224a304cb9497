// TCP line protocol as a sender sees it on the wire.
#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(TcpTransportTest, AcksEachBatchWithItsIdAndLastSeq) {
  accept_all();
  start_server();
  RawLines conn(port());
  // Two batches pipelined in one write; the second uses a string id.
  conn.send(record_line("n1", 10) + record_line("n1", 11) + record_line("n1", 12) + commit(7) +
            record_line("n1", 13) + "\r\n" + record_line("n1", 14) + commit("b-2"));

  auto first = conn.read_ack();
  EXPECT_EQ(first["batch"], 7);
  EXPECT_EQ(first["status"], "accepted");
  EXPECT_EQ(first["accepted"], 3);
  EXPECT_EQ(first["rejected"], 0);
  EXPECT_EQ(first["last_seq"], 12);
  EXPECT_EQ(first["retry_after_ms"], 0);
  EXPECT_EQ(first["errors"], nlohmann::json::array());
  auto second = conn.read_ack();
  EXPECT_EQ(second["batch"], "b-2");
  EXPECT_EQ(second["accepted"], 2);
  EXPECT_EQ(second["last_seq"], 14);

  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0].format, NEBULA_FORMAT_NDJSON);
  EXPECT_EQ(subs[0].payload, record_line("n1", 10) + record_line("n1", 11) + record_line("n1", 12));
  EXPECT_EQ(subs[1].payload, record_line("n1", 13) + record_line("n1", 14));  // blank line dropped
  EXPECT_EQ(subs[0].meta["transport"], "tcp");
  EXPECT_EQ(subs[0].meta["peer"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
}

TEST_F(TcpTransportTest, RecordLinesAreNotParsedByTheTransport) {
  accept_all();
  start_server();
  RawLines conn(port());
  // Not JSON at all: the host decides, the transport only frames.
  conn.send("this is not json\n{\"seq\":1}\n" + commit(1));
  EXPECT_EQ(conn.read_ack()["batch"], 1);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_.all()[0].payload, "this is not json\n{\"seq\":1}\n");
}

TEST_F(TcpTransportTest, RejectedBatchCarriesHostErrorsAndConnectionStaysUsable) {
  answer_with({NEBULA_INVALID, 0, 2, -1, 0, 400, R"({"status":"rejected","errors":["line 2: missing node_id"]})"});
  start_server();
  RawLines conn(port());
  conn.send(record_line("n", 1) + "{}\n" + commit(1));
  auto ack = conn.read_ack();
  EXPECT_EQ(ack["status"], "rejected");
  EXPECT_EQ(ack["rejected"], 2);
  EXPECT_EQ(ack["errors"], nlohmann::json::array({"line 2: missing node_id"}));
  conn.send(record_line("n", 2) + commit(2));
  EXPECT_EQ(conn.read_ack()["batch"], 2);
}

TEST_F(TcpTransportTest, EmptyBatchIsAckedWithoutBotheringTheHost) {
  accept_all();
  start_server();
  RawLines conn(port());
  conn.send(commit(1));
  auto ack = conn.read_ack();
  EXPECT_EQ(ack["status"], "accepted");
  EXPECT_EQ(ack["accepted"], 0);
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(TcpTransportTest, OverlongLineGetsErrorAckThenClose) {
  accept_all();
  start_server({{"max_line_bytes", 1024}});
  RawLines conn(port());
  conn.send(record_line("n", 1) + std::string(2000, 'x') + "\n" + commit(1));
  auto ack = conn.read_ack();
  EXPECT_TRUE(ack["batch"].is_null());
  EXPECT_EQ(ack["status"], "rejected");
  EXPECT_NE(ack["errors"][0].get<std::string>().find("1024"), std::string::npos) << ack.dump();
  EXPECT_TRUE(conn.closed_by_server());
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_EQ(host_.counter("protocol_errors"), 1.0);
  EXPECT_EQ(host_.counter("line_too_long"), 1.0);
}

TEST_F(TcpTransportTest, OverlongUnfinishedLineIsRefusedWithoutWaitingForItsEnd) {
  accept_all();
  start_server({{"max_line_bytes", 1024}});
  RawLines conn(port());
  conn.send(std::string(4096, 'x'));  // no newline ever comes
  auto ack = conn.read_ack();
  EXPECT_EQ(ack["status"], "rejected");
  EXPECT_TRUE(conn.closed_by_server());
}

TEST_F(TcpTransportTest, UnknownControlLineIsAProtocolError) {
  accept_all();
  start_server();
  RawLines conn(port());
  conn.send(R"({"nebula":"abort","batch":1})" "\n");
  auto ack = conn.read_ack();
  EXPECT_EQ(ack["status"], "rejected");
  EXPECT_NE(ack["errors"][0].get<std::string>().find("abort"), std::string::npos);
  EXPECT_TRUE(conn.closed_by_server());
}

TEST_F(TcpTransportTest, DisconnectMidLineSubmitsNothingAndLeavesOthersIntact) {
  accept_all();
  start_server();
  RawLines a(port());
  RawLines b(port());
  ASSERT_TRUE(wait_until([&] { return connections() == 2; }));
  a.send(record_line("a", 1) + record_line("a", 2));
  b.send(record_line("b", 1));
  a.send(R"({"timestamp":1,"node_id":"a","se)");  // cut mid-line ...
  b.send(record_line("b", 2));
  a.close();  // ... and gone, batch never committed
  ASSERT_TRUE(wait_until([&] { return connections() == 1; }));
  b.send(commit(1));
  auto ack = b.read_ack();
  EXPECT_EQ(ack["accepted"], 2);
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].payload, record_line("b", 1) + record_line("b", 2));
}

TEST_F(TcpTransportTest, IdleConnectionIsClosedAndItsOpenBatchDropped) {
  accept_all();
  start_server({{"idle_timeout_ms", 100}});
  RawLines conn(port());
  conn.send(record_line("n", 1));
  EXPECT_TRUE(conn.closed_by_server());
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(TcpTransportTest, StuckSenderDoesNotStallOthers) {
  accept_all();
  start_server({{"io_threads", 1}});
  RawLines stuck(port());
  stuck.send(record_line("stuck", 1) + R"({"half":)");  // never finishes, never reads
  ClientUnderTest client(descriptor(), endpoint(), {{"ack_timeout_ms", 5000}});
  for (int i = 0; i < 10; ++i) {
    auto d = client.deliver(make_batch("live", i * 3, 3));
    ASSERT_EQ(d.status, NEBULA_OK) << d.message;
    EXPECT_EQ(d.accepted, 3u);
  }
  EXPECT_EQ(log_.size(), 10u);
}

TEST_F(TcpTransportTest, ManyConcurrentSendersEachGetTheirOwnAcks) {
  accept_all();
  start_server({{"io_threads", 2}, {"submit_threads", 2}});
  constexpr int kSenders = 8, kBatches = 20;
  std::vector<std::thread> senders;
  std::atomic<int> ok{0};
  for (int s = 0; s < kSenders; ++s)
    senders.emplace_back([&, s] {
      ClientUnderTest client(descriptor(), endpoint());
      for (int b = 0; b < kBatches; ++b) {
        auto d = client.deliver(make_batch("node-" + std::to_string(s), b * 2, 2));
        if (d.status == NEBULA_OK && d.accepted == 2) ++ok;
      }
    });
  for (auto& t : senders) t.join();
  EXPECT_EQ(ok.load(), kSenders * kBatches);
  std::set<std::pair<std::string, int64_t>> seen;
  for (auto& sub : log_.all())
    for (auto& line : lines_of(sub.payload)) {
      auto r = nlohmann::json::parse(line);
      EXPECT_TRUE(seen.emplace(r["node_id"], r["seq"]).second) << line;
    }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kSenders * kBatches * 2));
}

TEST_F(TcpTransportTest, StopClosesConnectionsAndDescribeFollows) {
  accept_all();
  auto& server = start_server();
  auto d = server.describe();
  EXPECT_EQ(d["url"], "tcp://127.0.0.1:" + std::to_string(d["port"].get<int>()));
  EXPECT_EQ(d["running"], true);
  RawLines conn(port());
  conn.send(record_line("n", 1));
  ASSERT_TRUE(wait_until([&] { return connections() == 1; }));
  server.stop();
  EXPECT_TRUE(conn.closed_by_server());
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_EQ(server.describe()["running"], false);
}

TEST_F(TcpTransportTest, BusyPortFailsStartNamingTheAddress) {
  boost::asio::io_context ioc;
  tcp::acceptor taken(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto busy = taken.local_endpoint().port();
  ServerUnderTest server(host_, descriptor(), {{"address", "127.0.0.1"}, {"port", busy}});
  try {
    server.start();
    FAIL() << "start succeeded on a busy port";
  } catch (const std::exception& e) {
    const std::string expected = "tcp transport cannot listen on 127.0.0.1:" + std::to_string(busy) + ": ";
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

TEST_F(TcpTransportTest, ConfigIsValidatedWithPointers) {
  EXPECT_EQ(validate(descriptor(), {{"port", 7001}, {"max_line_bytes", 4096}}).first, NEBULA_OK);
  auto [st, msg] = validate(descriptor(), {{"prot", 1}, {"max_line_bytes", 0}, {"idle_timeout_ms", "soon"}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_NE(msg.find("/prot: unknown key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/max_line_bytes:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/idle_timeout_ms:"), std::string::npos) << msg;
}

}  // namespace
}  // namespace nebula::transport_test

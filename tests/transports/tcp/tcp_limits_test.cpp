// Per-client connection cap on the TCP transport (max_connections_per_client).
#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(TcpTransportTest, ConnectionOverThePerClientCapGetsARetryAckAndIsClosed) {
  accept_all();
  start_server({{"max_connections_per_client", 2}, {"default_retry_ms", 700}});
  RawLines first(port());
  RawLines second(port());
  ASSERT_TRUE(wait_until([&] { return connections() == 2; }));

  RawLines third(port());
  auto ack = third.read_ack();
  EXPECT_TRUE(ack["batch"].is_null());
  EXPECT_EQ(ack["status"], "retry");  // come back later; nothing wrong with the data
  EXPECT_EQ(ack["retry_after_ms"], 700);
  EXPECT_NE(ack["errors"][0].get<std::string>().find("max_connections_per_client 2"), std::string::npos) << ack.dump();
  EXPECT_TRUE(third.closed_by_server());
  EXPECT_EQ(host_.counter("connections_refused"), 1.0);

  // The plugin's client maps it to RETRY with the hint.
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_EQ(d.retry_after_ms, 700u);
  EXPECT_EQ(host_.counter("connections_refused"), 2.0);

  // Admitted connections work, and a freed place is given to the next one.
  first.send(record_line("n", 1) + commit(1));
  EXPECT_EQ(first.read_ack()["status"], "accepted");
  second.close();
  ASSERT_TRUE(wait_until([&] { return connections() == 1; }));
  EXPECT_EQ(client.deliver(make_batch("n", 2, 1)).status, NEBULA_OK);
}

}  // namespace
}  // namespace nebula::transport_test

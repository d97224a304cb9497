// The TCP transport's client side, as the node library uses it.
#include <thread>

#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(TcpTransportTest, ClientSendsRecordLinesInheritingNodeId) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("node-7", 40, 3, /*records_carry_node=*/false));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 3u);
  ASSERT_EQ(log_.size(), 1u);
  auto lines = lines_of(log_.all()[0].payload);
  ASSERT_EQ(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto r = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(r["node_id"], "node-7");
    EXPECT_EQ(r["seq"], 40 + static_cast<int>(i));
  }
}

TEST_F(TcpTransportTest, ClientKeepsOneConnection) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.deliver(make_batch("n", i, 1)).status, NEBULA_OK);
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].meta["peer"], subs[2].meta["peer"]);
}

TEST_F(TcpTransportTest, ClientReconnectsAfterServerDroppedIdleConnection) {
  accept_all();
  start_server({{"idle_timeout_ms", 50}});
  ClientUnderTest client(descriptor(), endpoint());
  ASSERT_EQ(client.deliver(make_batch("n", 1, 1)).status, NEBULA_OK);
  ASSERT_TRUE(wait_until([&] { return connections() == 0; }));
  auto d = client.deliver(make_batch("n", 2, 1));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(log_.size(), 2u);
}

TEST_F(TcpTransportTest, ClientMapsRejectionToInvalid) {
  answer_with({NEBULA_INVALID, 0, 1, -1, 0, 400, R"({"errors":["line 1: timestamp missing"]})"});
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_INVALID);
  EXPECT_EQ(d.rejected, 1u);
  EXPECT_NE(std::string(d.message).find("timestamp missing"), std::string::npos) << d.message;
}

TEST_F(TcpTransportTest, ClientMapsOverlongRecordToInvalidAndRecovers) {
  accept_all();
  start_server({{"max_line_bytes", 1024}});
  ClientUnderTest client(descriptor(), endpoint());
  auto big = nlohmann::json::parse(make_batch("n", 1, 1));
  big["data_batch"][0]["padding"] = std::string(4000, 'p');
  auto d = client.deliver(big.dump());
  EXPECT_EQ(d.status, NEBULA_INVALID);
  EXPECT_NE(std::string(d.message).find("max_line_bytes"), std::string::npos) << d.message;
  auto ok = client.deliver(make_batch("n", 2, 1));
  EXPECT_EQ(ok.status, NEBULA_OK) << ok.message;
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(TcpTransportTest, ClientMapsConnectionRefusedToRetry) {
  ClientUnderTest client(descriptor(), "tcp://127.0.0.1:" + std::to_string(unused_port()));
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("cannot connect"), std::string::npos) << d.message;
}

TEST_F(TcpTransportTest, ClientMapsMissingAckToRetryAfterTimeout) {
  boost::asio::io_context ioc;
  tcp::acceptor silent(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket held(ioc);
  std::thread accepter([&] { silent.accept(held); });  // accepts, never acks
  ClientUnderTest client(descriptor(), "tcp://127.0.0.1:" + std::to_string(silent.local_endpoint().port()),
                         {{"ack_timeout_ms", 100}});
  auto d = client.deliver(make_batch("n", 1, 1));
  accepter.join();
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("no ack"), std::string::npos) << d.message;
}

TEST_F(TcpTransportTest, ClientRefusesWhatIsNotADataBatch) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  EXPECT_EQ(client.deliver(R"({"timestamp":1,"data_type":"node_contribution"})").status, NEBULA_INVALID);
  EXPECT_EQ(client.deliver(R"({"node_id":"n","data_batch":[1,2]})").status, NEBULA_INVALID);
  EXPECT_EQ(client.deliver("not json").status, NEBULA_INVALID);
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(TcpTransportTest, ClientRefusesBadEndpointsAndConfig) {
  auto* table = static_cast<const nebula_transport_client_v1*>(descriptor()->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
  ASSERT_NE(table, nullptr);
  for (auto [endpoint, config] : std::vector<std::pair<std::string, std::string>>{
           {"http://127.0.0.1:7001", "{}"},
           {"tcp://127.0.0.1", "{}"},
           {"tcp://127.0.0.1:99999", "{}"},
           {"tcp://127.0.0.1:7001", R"({"ack_timeout":5})"}}) {
    void* c = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(table->client_create(endpoint.c_str(), config.c_str(), &c, err, sizeof err), NEBULA_INVALID)
        << endpoint << " " << config;
  }
}

}  // namespace
}  // namespace nebula::transport_test

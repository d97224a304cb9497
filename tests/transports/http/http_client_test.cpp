// The HTTP transport's client side, as the node library uses it.
#include <thread>

#include "http_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(HttpTransportTest, ClientDeliversAndReportsCounts) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("node-1", 1, 4));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 4u);
  EXPECT_EQ(d.rejected, 0u);
}

TEST_F(HttpTransportTest, ClientReusesItsConnection) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.deliver(make_batch("n", i, 1)).status, NEBULA_OK);
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].meta["peer"], subs[1].meta["peer"]);
  EXPECT_EQ(subs[1].meta["peer"], subs[2].meta["peer"]);
}

TEST_F(HttpTransportTest, ClientReconnectsWhenServerClosedIdleConnection) {
  accept_all();
  auto& server = start_server({{"idle_timeout_ms", 50}});
  ClientUnderTest client(descriptor(), endpoint());
  ASSERT_EQ(client.deliver(make_batch("n", 1, 1)).status, NEBULA_OK);
  ASSERT_TRUE(wait_until([&] { return server.describe()["connections"] == 0; }));
  auto d = client.deliver(make_batch("n", 2, 1));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(log_.size(), 2u);
}

TEST_F(HttpTransportTest, ClientMapsRetryWithRetryAfter) {
  answer_with({NEBULA_RETRY, 0, 0, -1, 1500, 0, R"({"status":"retry","error":"queue full"})"});
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_EQ(d.retry_after_ms, 2000u);
  EXPECT_NE(std::string(d.message).find("queue full"), std::string::npos) << d.message;
}

TEST_F(HttpTransportTest, ClientMaps429ToRetry) {
  answer_with({NEBULA_RETRY, 0, 0, -1, 3000, 429, ""});
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_EQ(d.retry_after_ms, 3000u);
}

TEST_F(HttpTransportTest, ClientMapsRejectionToInvalidWithServerText) {
  answer_with({NEBULA_INVALID, 0, 2, -1, 0, 0, R"({"status":"rejected","errors":["data_batch[1]: seq must be an integer"]})"});
  start_server();
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 2));
  EXPECT_EQ(d.status, NEBULA_INVALID);
  EXPECT_EQ(d.rejected, 2u);
  EXPECT_NE(std::string(d.message).find("seq must be an integer"), std::string::npos) << d.message;
}

TEST_F(HttpTransportTest, ClientReportsTooLargeAsInvalidNamingLimit) {
  accept_all();
  start_server({{"body_limit", 256}});
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 20));
  EXPECT_EQ(d.status, NEBULA_INVALID);
  EXPECT_NE(std::string(d.message).find("413"), std::string::npos) << d.message;
  EXPECT_NE(std::string(d.message).find("256"), std::string::npos) << d.message;
  // The connection was closed by the server; the next delivery still works.
  auto small = client.deliver("{}");
  EXPECT_EQ(small.status, NEBULA_OK) << small.message;
}

TEST_F(HttpTransportTest, ClientMapsConnectionRefusedToRetry) {
  ClientUnderTest client(descriptor(), "http://127.0.0.1:" + std::to_string(unused_port()));
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("cannot connect"), std::string::npos) << d.message;
}

TEST_F(HttpTransportTest, ClientMapsSilentServerToRetryAfterReadTimeout) {
  boost::asio::io_context ioc;
  tcp::acceptor silent(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket held(ioc);
  std::thread accepter([&] { silent.accept(held); });  // accepts, never answers
  ClientUnderTest client(descriptor(), "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()),
                         {{"read_timeout_ms", 100}});
  auto d = client.deliver(make_batch("n", 1, 1));
  accepter.join();
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("no answer"), std::string::npos) << d.message;
}

TEST_F(HttpTransportTest, ClientRefusesBadEndpointsAndConfig) {
  auto* table = static_cast<const nebula_transport_client_v1*>(descriptor()->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
  ASSERT_NE(table, nullptr);
  for (auto [endpoint, config] : std::vector<std::pair<std::string, std::string>>{
           {"ftp://127.0.0.1:7000", "{}"},
           {"tcp://127.0.0.1:7000", "{}"},
           {"http://127.0.0.1:notaport", "{}"},
           {"http://127.0.0.1:7000", R"({"bogus":1})"},
           {"http://127.0.0.1:7000", R"({"read_timeout_ms":-5})"}}) {
    void* c = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(table->client_create(endpoint.c_str(), config.c_str(), &c, err, sizeof err), NEBULA_INVALID)
        << endpoint << " " << config;
    EXPECT_STRNE(err, "");
  }
}

}  // namespace
}  // namespace nebula::transport_test

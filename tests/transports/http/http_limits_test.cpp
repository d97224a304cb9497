// Per-client connection cap on the HTTP transport (max_connections_per_client).
#include "http_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(HttpTransportTest, ConnectionOverThePerClientCapGets503AndIsCounted) {
  accept_all();
  start_server({{"max_connections_per_client", 2}});
  EXPECT_EQ(server_->describe()["max_connections_per_client"], 2);
  RawHttp first(port());
  RawHttp second(port());
  ASSERT_TRUE(wait_until([&] { return server_->describe()["connections"] == 2; }));

  RawHttp third(port());
  RawAnswer refused = third.send(bhttp::verb::post, "/api/v1/pool/ingest", make_batch("n", 1, 1));
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(refused.header("Retry-After"), "1");
  EXPECT_FALSE(refused.keep_alive);
  auto body = nlohmann::json::parse(refused.body);
  EXPECT_EQ(body["status"], "error");
  EXPECT_NE(body["error"].get<std::string>().find("max_connections_per_client 2"), std::string::npos) << refused.body;
  EXPECT_EQ(host_.counter("connections_refused"), 1.0);
  EXPECT_EQ(log_.size(), 0u);

  // The two admitted ones are served; once one goes, a newcomer is admitted.
  EXPECT_EQ(first.send(bhttp::verb::post, "/api/v1/pool/ingest", make_batch("n", 1, 1)).status, 200u);
  second.socket().close();
  ASSERT_TRUE(wait_until([&] { return server_->describe()["connections"] == 1; }));
  EXPECT_EQ(RawHttp(port()).send(bhttp::verb::post, "/api/v1/pool/ingest", make_batch("n", 2, 1)).status, 200u);
  EXPECT_EQ(host_.counter("connections_refused"), 1.0);
}

TEST_F(HttpTransportTest, ClientOverTheCapIsToldToRetry) {
  accept_all();
  start_server({{"max_connections_per_client", 1}});
  RawHttp hog(port());
  ASSERT_TRUE(wait_until([&] { return server_->describe()["connections"] == 1; }));
  ClientUnderTest client(descriptor(), endpoint());
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY) << d.message;
  EXPECT_EQ(d.retry_after_ms, 1000u);
  EXPECT_NE(std::string(d.message).find("503"), std::string::npos) << d.message;
}

TEST_F(HttpTransportTest, ConnectionCapIsValidated) {
  auto [st, msg] = validate(descriptor(), {{"max_connections_per_client", 0}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_EQ(msg.rfind("/max_connections_per_client: ", 0), 0u) << msg;
}

}  // namespace
}  // namespace nebula::transport_test

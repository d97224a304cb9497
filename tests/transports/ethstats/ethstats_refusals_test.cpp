// Bad input on the ethstats port: wrong secrets, messages before hello,
// malformed frames, unknown emits, another node's id, binary and oversized
// frames, plain HTTP. Each is closed with a code and a reason, counted, and
// loses nothing accepted before it.
#include "ethstats_test_fixture.hpp"

#include <boost/beast/http.hpp>

namespace nebula::transport_test {
namespace {

TEST_F(EthstatsTransportTest, WrongOrMissingSecretIsRefusedWithTheReason) {
  accept_all();
  start_server(config_with_tokens());
  struct Case {
    std::string id, secret, reason;
  };
  for (const auto& c : {Case{kNode, "wrong", "unauthorized: invalid token for this node"},
                        Case{"nobody", kSecret, "unauthorized: invalid token for this node"},
                        Case{kNode, "", "unauthorized: missing bearer token"},
                        Case{"", kSecret, "unauthorized: hello has no id"},
                        Case{std::string(300, 'n'), kSecret, "unauthorized: hello id longer than 256 bytes"}}) {
    EthstatsClient geth(port());
    geth.send(geth_hello(c.id, c.secret));
    // geth's login() reads the answer: a close instead of "ready" is "unauthorized".
    EXPECT_FALSE(geth.read()) << c.id << "/" << c.secret;
    EXPECT_EQ(geth.close_code(), 1008);
    EXPECT_EQ(geth.close_reason(), c.reason);
  }
  EXPECT_EQ(host_.counter("unauthorized"), 5.0);
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(EthstatsTransportTest, RecordsBeforeHelloAreRefused) {
  accept_all();
  start_server(config_with_tokens());
  EthstatsClient geth(port());
  geth.send(geth_block(kNode, 1, 1765000000, 0));
  EXPECT_FALSE(geth.read());
  EXPECT_EQ(geth.close_code(), 1008);
  EXPECT_EQ(geth.close_reason(), "send hello first (got 'block')");
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(EthstatsTransportTest, MalformedFramesAreClosedWithAReasonAfterEarlierRecordsWereKept) {
  accept_all();
  start_server(config_with_tokens());
  struct Case {
    std::string frame;
    uint16_t code;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"{not json", 1007, "not valid JSON"},
      {R"({"emit":"block"})", 1007, R"(expected {"emit":["<name>",{...}]})"},
      {R"({"emit":["block",{"id":"geth-1","block":{"number":"ten","timestamp":1}}]})", 1007,
       "block.block.number must be a non-negative number"},
      {R"({"emit":["pending",{"id":"geth-1"}]})", 1007, "pending.stats must be an object"},
      {R"({"emit":["stats",{"id":"geth-1","stats":{"peers":-3}}]})", 1007, "stats.peers must be a non-negative number"},
      {R"({"emit":["shutdown",{"id":"geth-1"}]})", 1008, "unknown emit 'shutdown'"},
      {R"({"emit":["block",{"id":"geth-2","block":{"number":1,"timestamp":1}}]})", 1008,
       "message for node 'geth-2' on the connection of node 'geth-1'"},
  };
  int64_t height = 1;
  for (const auto& c : cases) {
    EthstatsClient geth(port());
    geth.login(kNode, kSecret);
    geth.send(geth_block(kNode, height++, 1765000000, 1));
    geth.send_text(c.frame);
    EXPECT_TRUE(geth.closed_by_server()) << c.frame;
    EXPECT_EQ(geth.close_code(), c.code) << c.frame;
    EXPECT_EQ(geth.close_reason(), c.reason) << c.frame;
  }
  // The block sent before each bad frame reached the host every time.
  EXPECT_TRUE(wait_until([&] { return record_count() == cases.size(); })) << record_count();
  EXPECT_EQ(host_.counter("malformed_messages"), 5.0);
  EXPECT_EQ(host_.counter("unknown_messages"), 1.0);
  EXPECT_EQ(host_.counter("forbidden_records"), 1.0);
  EXPECT_EQ(host_.counter("protocol_errors"), 6.0);  // + forbidden_records, counted on its own
}

TEST_F(EthstatsTransportTest, BinaryAndOversizedFramesAreClosed) {
  accept_all();
  start_server(config_with_tokens({{"max_frame_bytes", 1024}}));
  {
    EthstatsClient geth(port());
    geth.login(kNode, kSecret);
    geth.send_binary("\x01\x02");
    EXPECT_TRUE(geth.closed_by_server());
    EXPECT_EQ(geth.close_code(), 1003);
    EXPECT_EQ(geth.close_reason(), "binary frames are not ethstats messages");
  }
  EthstatsClient geth(port());
  geth.login(kNode, kSecret);
  auto big = geth_block(kNode, 1, 1765000000, 40);  // 40 transaction hashes: over 1 KiB
  ASSERT_GT(big.dump().size(), 1024u);
  geth.send(big);
  EXPECT_TRUE(geth.closed_by_server());
  EXPECT_EQ(geth.close_code(), 1009);
  EXPECT_TRUE(wait_until([&] { return host_.counter("frames_too_large") == 1.0; }));
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(EthstatsTransportTest, PlainHttpAndWrongPathsGetAnHttpAnswer) {
  accept_all();
  start_server(config_with_tokens());
  namespace http = boost::beast::http;
  auto ask = [&](const std::string& target) {
    boost::asio::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port()));
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res);
    return res;
  };
  auto plain = ask("/api");
  EXPECT_EQ(plain.result_int(), 426u);
  EXPECT_NE(plain.body().find("WebSocket"), std::string::npos);
  auto elsewhere = ask("/other");
  EXPECT_EQ(elsewhere.result_int(), 404u);
  EXPECT_NE(elsewhere.body().find("/api"), std::string::npos);
  EXPECT_THROW(EthstatsClient(port(), "/not-api"), boost::system::system_error);
}

TEST_F(EthstatsTransportTest, ConnectionsOverTheClientCapAreRefused) {
  accept_all();
  start_server(config_with_tokens({{"max_connections_per_client", 1}}));
  EthstatsClient first(port());
  EXPECT_THROW(EthstatsClient second(port()), boost::system::system_error);  // 503 to the upgrade
  EXPECT_EQ(host_.counter("connections_refused"), 1.0);
  first.login(kNode, kSecret);  // the first is unaffected
}

TEST_F(EthstatsTransportTest, ConfigErrorsNameTheKey) {
  auto [st, err] = validate(descriptor(), {{"networks", {{"1", 5}}}, {"path", "api"}, {"colour", 1}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_NE(err.find("/networks/1: must be a non-empty chain id"), std::string::npos) << err;
  EXPECT_NE(err.find("/path: must start with '/'"), std::string::npos) << err;
  EXPECT_NE(err.find("/colour: unknown key"), std::string::npos) << err;
  EXPECT_EQ(validate(descriptor(), {{"tokens_file", (dir_.path() / "missing.yaml").string()}}).first, NEBULA_INVALID);
}

}  // namespace
}  // namespace nebula::transport_test

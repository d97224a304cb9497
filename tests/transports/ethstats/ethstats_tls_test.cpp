// wss:// on the ethstats transport: with `tls` the port speaks TLS only,
// a client trusting the CA is served as on ws://, a plain client fails its
// handshake and is counted.
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "ethstats_test_fixture.hpp"
#include "nebula_test/test_pki.hpp"

namespace nebula::transport_test {
namespace {

using nebula_test::TestPki;
namespace ssl = boost::asio::ssl;

class EthstatsTlsTest : public EthstatsTransportTest {
 protected:
  const TestPki& pki = TestPki::shared();
};

TEST_F(EthstatsTlsTest, WssClientTrustingTheCaIsServed) {
  accept_all();
  start_server(config_with_tokens({{"tls", pki.server_tls(false)}}));
  EXPECT_EQ(server_->describe()["url"], "wss://127.0.0.1:" + std::to_string(port()) + "/api");

  boost::asio::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(pki.ca);
  ctx.set_verify_mode(ssl::verify_peer);
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> wss(ioc, ctx);
  beast::get_lowest_layer(wss).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port()));
  beast::get_lowest_layer(wss).expires_after(std::chrono::seconds(10));  // only bounds the async reads below
  wss.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
  wss.next_layer().handshake(ssl::stream_base::client);
  wss.handshake("localhost", "/api");

  wss.write(boost::asio::buffer(geth_hello(kNode, kSecret).dump()));
  beast::flat_buffer buffer;
  wss.read(buffer);
  EXPECT_EQ(json::parse(beast::buffers_to_string(buffer.data())), json::parse(R"({"emit":["ready"]})"));
  wss.write(boost::asio::buffer(geth_block(kNode, 7, 1765000000, 1).dump()));
  ASSERT_TRUE(wait_until([&] { return record_count() == 1; }));
  EXPECT_EQ(records()[0]["blockchain"]["current_height"], 7);
  wss.close(websocket::close_code::normal);
}

TEST_F(EthstatsTlsTest, PlainClientOnTheTlsPortFailsItsHandshake) {
  accept_all();
  start_server(config_with_tokens({{"tls", pki.server_tls(false)}}));
  EXPECT_THROW(EthstatsClient plain(port()), boost::system::system_error);
  EXPECT_TRUE(wait_until([&] { return host_.counter("tls_handshake_failures") >= 1.0; }));
  EXPECT_EQ(log_.size(), 0u);
}

}  // namespace
}  // namespace nebula::transport_test

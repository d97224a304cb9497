// TLS on the TCP transport: server side (tls: {cert, key[, client_ca]}) and
// the plugin's client (tcp+tls:// endpoints), with a throwaway PKI.
#include "nebula_test/test_pki.hpp"
#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

using nebula_test::TestPki;

class TcpTlsTest : public TcpTransportTest {
 protected:
  const TestPki& pki = TestPki::shared();

  std::string tls_endpoint() const { return "tcp+tls://127.0.0.1:" + std::to_string(port()); }
  nebula_delivery deliver_with(const nlohmann::json& tls) {
    return ClientUnderTest(descriptor(), tls_endpoint(), {{"tls", tls}}).deliver(make_batch("node-a", 1, 2));
  }
};

TEST_F(TcpTlsTest, ClientTrustingTheCaDelivers) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  EXPECT_EQ(server_->describe()["url"], tls_endpoint());
  auto d = deliver_with({{"ca", pki.ca}});
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 2u);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(lines_of(log_.all()[0].payload).size(), 2u);
}

TEST_F(TcpTlsTest, ClientThatDoesNotTrustTheServerFails) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  for (const auto& tls : {nlohmann::json{{"ca", pki.other_ca}}, nlohmann::json{{"ca", pki.ca}, {"server_name", "x.example"}}}) {
    auto d = deliver_with(tls);
    EXPECT_EQ(d.status, NEBULA_RETRY) << tls.dump();
    EXPECT_NE(std::string(d.message).find("certificate verify failed"), std::string::npos) << d.message;
  }
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(TcpTlsTest, PlainTcpToTheTlsPortIsDropped) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  RawLines raw(port());
  raw.send(record_line("n", 1) + commit(1));
  EXPECT_TRUE(raw.closed_by_server());
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_TRUE(wait_until([&] { return host_.counter("tls_handshake_failures") >= 1.0; }));
}

TEST_F(TcpTlsTest, MutualTlsRefusesClientsWithoutAGoodCertificate) {
  accept_all();
  start_server({{"tls", pki.server_tls(true)}});
  EXPECT_NE(deliver_with({{"ca", pki.ca}}).status, NEBULA_OK);
  EXPECT_NE(deliver_with({{"ca", pki.ca}, {"cert", pki.other_client_cert}, {"key", pki.other_client_key}}).status,
            NEBULA_OK);
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_TRUE(wait_until([&] { return host_.counter("tls_handshake_failures") >= 2.0; }));

  auto good = deliver_with({{"ca", pki.ca}, {"cert", pki.client_cert}, {"key", pki.client_key}});
  EXPECT_EQ(good.status, NEBULA_OK) << good.message;
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(TcpTlsTest, BadTlsConfigIsRefusedAtItsKey) {
  auto [st, msg] = validate(descriptor(), {{"tls", {{"cert", pki.not_pem}, {"key", pki.server_key}}}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_EQ(msg.rfind("/tls/cert: ", 0), 0u) << msg;
  std::tie(st, msg) = validate(descriptor(), {{"tls", {{"cert", pki.server_cert}, {"key", "/nonexistent/k.pem"}}}});
  EXPECT_EQ(msg.rfind("/tls/key: cannot read '/nonexistent/k.pem'", 0), 0u) << msg;
  EXPECT_THROW(ClientUnderTest(descriptor(), "tcp://127.0.0.1:1", {{"tls", {{"ca", pki.ca}}}}), std::runtime_error);
  EXPECT_THROW(ClientUnderTest(descriptor(), "tcp+tls://127.0.0.1:1", {{"tls", {{"ca", pki.not_pem}}}}),
               std::runtime_error);
}

}  // namespace
}  // namespace nebula::transport_test

// HTTPS on the HTTP transport: server side (tls: {cert, key[, client_ca]})
// and the plugin's client (https:// endpoints, tls: {ca, cert, key,
// server_name}), with a throwaway PKI made at test time.
#include "http_test_fixture.hpp"
#include "nebula_test/test_pki.hpp"

namespace nebula::transport_test {
namespace {

using nebula_test::TestPki;

class HttpTlsTest : public HttpTransportTest {
 protected:
  const TestPki& pki = TestPki::shared();

  std::string https() const { return "https://127.0.0.1:" + std::to_string(port()); }
  nebula_delivery deliver_with(const nlohmann::json& tls) {
    return ClientUnderTest(descriptor(), https(), {{"tls", tls}}).deliver(make_batch("node-a", 1, 2));
  }
};

TEST_F(HttpTlsTest, ClientTrustingTheCaDeliversOverHttps) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  EXPECT_EQ(server_->describe()["url"], https() + "/api/v1/pool/ingest");
  auto d = deliver_with({{"ca", pki.ca}});
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 2u);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(log_.all()[0].payload)["node_id"], "node-a");
  // Keep-alive works through TLS too: a second delivery on the same client.
  ClientUnderTest client(descriptor(), https(), {{"tls", {{"ca", pki.ca}}}});
  EXPECT_EQ(client.deliver(make_batch("node-a", 3, 1)).status, NEBULA_OK);
  EXPECT_EQ(client.deliver(make_batch("node-a", 4, 1)).status, NEBULA_OK);
}

TEST_F(HttpTlsTest, ClientThatDoesNotTrustTheServerFails) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  for (const auto& tls : {nlohmann::json{{"ca", pki.other_ca}},                              // another CA
                          nlohmann::json{{"ca", pki.ca}, {"server_name", "pool.example"}},  // wrong name
                          nlohmann::json::object()}) {                                      // system store
    auto d = deliver_with(tls);
    EXPECT_EQ(d.status, NEBULA_RETRY) << tls.dump();
    EXPECT_NE(std::string(d.message).find("TLS handshake"), std::string::npos) << d.message;
    EXPECT_NE(std::string(d.message).find("certificate verify failed"), std::string::npos) << d.message;
  }
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(HttpTlsTest, PlainHttpToTheTlsPortGetsNowhere) {
  accept_all();
  start_server({{"tls", pki.server_tls(false)}});
  ClientUnderTest plain(descriptor(), "http://127.0.0.1:" + std::to_string(port()), {{"read_timeout_ms", 2000}});
  EXPECT_NE(plain.deliver(make_batch("node-a", 1, 1)).status, NEBULA_OK);
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_TRUE(wait_until([&] { return host_.counter("tls_handshake_failures") >= 1.0; }));
}

TEST_F(HttpTlsTest, MutualTlsRefusesClientsWithoutAGoodCertificate) {
  accept_all();
  start_server({{"tls", pki.server_tls(true)}});
  EXPECT_EQ(server_->describe()["mutual_tls"], true);
  auto no_cert = deliver_with({{"ca", pki.ca}});
  EXPECT_NE(no_cert.status, NEBULA_OK) << no_cert.message;
  auto wrong_ca = deliver_with({{"ca", pki.ca}, {"cert", pki.other_client_cert}, {"key", pki.other_client_key}});
  EXPECT_NE(wrong_ca.status, NEBULA_OK) << wrong_ca.message;
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_TRUE(wait_until([&] { return host_.counter("tls_handshake_failures") >= 2.0; }));

  auto good = deliver_with({{"ca", pki.ca}, {"cert", pki.client_cert}, {"key", pki.client_key}});
  EXPECT_EQ(good.status, NEBULA_OK) << good.message;
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HttpTlsTest, BadTlsFilesAreConfigErrorsAtTheirKey) {
  const std::string absent = (dir_.path() / "absent.pem").string();
  struct Case {
    nlohmann::json tls;
    std::string pointer;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{{"cert", absent}, {"key", pki.server_key}}, "/tls/cert", "cannot read"},
           {{{"cert", pki.not_pem}, {"key", pki.server_key}}, "/tls/cert", "not a PEM certificate"},
           {{{"cert", pki.server_cert}, {"key", pki.client_key}}, "/tls/key", "does not belong"},
           {{{"cert", pki.server_cert}, {"key", pki.server_key}, {"client_ca", pki.not_pem}}, "/tls/client_ca", "not"},
           {{{"cert", pki.server_cert}}, "/tls/key", "required"},
           {{{"cert", pki.server_cert}, {"key", pki.server_key}, {"ca", pki.ca}}, "/tls/ca", "unknown key"},
           {"yes", "/tls", "must be an object"}}) {
    auto [st, msg] = validate(descriptor(), {{"tls", c.tls}});
    EXPECT_EQ(st, NEBULA_INVALID) << c.tls.dump();
    EXPECT_EQ(msg.rfind(c.pointer + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.says), std::string::npos) << msg;
  }
  EXPECT_EQ(validate(descriptor(), {{"tls", {{"cert", pki.server_cert}, {"key", pki.server_key}}}}).first, NEBULA_OK);
}

TEST_F(HttpTlsTest, ClientTlsConfigIsCheckedWhenTheClientIsCreated) {
  auto* table = static_cast<const nebula_transport_client_v1*>(descriptor()->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
  ASSERT_NE(table, nullptr);
  for (auto [endpoint, config, says] : std::vector<std::tuple<std::string, nlohmann::json, std::string>>{
           {"https://127.0.0.1:7000", {{"tls", {{"ca", pki.not_pem}}}}, "/tls/ca"},
           {"https://127.0.0.1:7000", {{"tls", {{"ca", pki.ca}, {"cert", pki.client_cert}}}}, "/tls/key"},
           {"http://127.0.0.1:7000", {{"tls", {{"ca", pki.ca}}}}, "not https://"}}) {
    void* c = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    const std::string text = config.dump();
    EXPECT_EQ(table->client_create(endpoint.c_str(), text.c_str(), &c, err, sizeof err), NEBULA_INVALID) << text;
    EXPECT_NE(std::string(err).find(says), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace nebula::transport_test

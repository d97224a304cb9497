// https:// webhooks: the receiver's certificate is verified against ca_file
// (or the system trust store), with a throwaway PKI made at test time.
#include "nebula_test/test_pki.hpp"
#include "webhook_fixture.hpp"

namespace nebula::sink_webhook_test {
namespace {

using nebula_test::TestPki;

class WebhookTlsTest : public ::testing::Test {
 protected:
  const TestPki& pki = TestPki::shared();
  nebula::testing::MockHost host_;
  HttpReceiver receiver_{security::make_server_context({pki.server_cert, pki.server_key, ""})};

  nebula_status deliver_with(nlohmann::json cfg, std::string& error) {
    cfg["url"] = receiver_.url();
    auto sink = host_.create(webhook_sink(), cfg.dump());
    const nebula_status st = sink.deliver({numbered(1)});
    error = sink.last_error();
    return st;
  }
};

TEST_F(WebhookTlsTest, TrustingTheReceiversCaDeliversOverHttps) {
  std::string error;
  auto cfg = nlohmann::json{{"ca_file", pki.ca}, {"secret", "s"}};
  ASSERT_EQ(deliver_with(cfg, error), NEBULA_OK) << error;
  ASSERT_EQ(receiver_.requests().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(receiver_.requests()[0].body)["insights"][0]["insight"]["n"], 1);
  EXPECT_EQ(receiver_.requests()[0].headers.at("x-nebula-signature").rfind("sha256=", 0), 0u);
}

TEST_F(WebhookTlsTest, AReceiverThatIsNotTrustedIsRetriedAndGetsNothing) {
  for (const auto& cfg : {nlohmann::json{{"ca_file", pki.other_ca}}, nlohmann::json::object()}) {
    std::string error;
    EXPECT_EQ(deliver_with(cfg, error), NEBULA_RETRY) << cfg.dump();
    EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
  }
  EXPECT_TRUE(receiver_.requests().empty());
}

}  // namespace
}  // namespace nebula::sink_webhook_test

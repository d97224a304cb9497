// Bad webhook configs are refused by validate, each at its JSON pointer.
#include "webhook_fixture.hpp"

namespace nebula::sink_webhook_test {
namespace {

TEST(WebhookConfigTest, BadConfigIsRefusedAtItsKey) {
  nebula_test::TempDir dir("nebula-webhook-config");
  const std::string empty_file = dir.write("empty.secret", "\n").string();
  const std::string absent = (dir / "absent").string();
  const std::string url = "https://127.0.0.1:9/hook";
  struct Case {
    nlohmann::json cfg;
    std::string expected;
  };
  const std::vector<Case> cases{
      {nlohmann::json::object(), "/url: required"},
      {{{"url", "ftp://example.com/"}}, "/url: endpoint 'ftp://example.com/': must start with http:// or https://"},
      {{{"url", "http://example.com:99999/"}}, "/url: endpoint 'http://example.com:99999/': port out of range"},
      {{{"url", url}, {"secret", ""}}, "/secret: must not be empty"},
      {{{"url", url}, {"secret", "a"}, {"secret_file", empty_file}}, "/secret_file: give secret or secret_file, not both"},
      {{{"url", url}, {"secret_file", absent}}, "/secret_file: cannot read '" + absent + "'"},
      {{{"url", url}, {"secret_file", empty_file}}, "/secret_file: '" + empty_file + "' is empty"},
      {{{"url", url}, {"timeout_ms", 0}}, "/timeout_ms: must be between 1 and 600000"},
      {{{"url", url}, {"headers", {{"X-Nebula-Signature", "forged"}}}}, "/headers/X-Nebula-Signature: is set by the sink"},
      {{{"url", url}, {"headers", {{"Bad Name", "x"}}}}, "/headers/Bad Name: is not a valid header name"},
      {{{"url", url}, {"headers", {{"X-A", "1\r\nX-B: 2"}}}}, "/headers/X-A: must not contain a line break"},
      {{{"url", url}, {"headers", {{"X-A", 1}}}}, "/headers/X-A: must be a string"},
      {{{"url", url}, {"headers", "X-A: 1"}}, "/headers: must be a mapping"},
      {{{"url", "http://127.0.0.1:9/"}, {"ca_file", absent}}, "/ca_file: only for https:// urls"},
      {{{"url", url}, {"ca_file", absent}}, "/ca_file: cannot read '" + absent + "'"},
      {{{"url", url}, {"topics", {"patterns"}}}, "/topics: unknown key"},
  };
  for (const auto& c : cases) {
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(webhook_sink()->validate_config(c.cfg.dump().c_str(), err, sizeof err), NEBULA_INVALID) << c.cfg.dump();
    EXPECT_NE(std::string(err).find(c.expected), std::string::npos) << c.cfg.dump() << " -> " << err;
  }
}

TEST(WebhookConfigTest, AUrlWithoutAPathPostsToTheRoot) {
  HttpReceiver receiver;
  nebula::testing::MockHost host;
  auto sink = host.create(webhook_sink(), nlohmann::json{{"url", receiver.url("")}}.dump());
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(receiver.requests().at(0).target, "/");
}

}  // namespace
}  // namespace nebula::sink_webhook_test

// The webhook sink POSTs each batch as one signed JSON document over a
// kept-alive connection to a real HTTP receiver started by the test.
#include <chrono>

#include "nebula_test/child_process.hpp"
#include "webhook_fixture.hpp"

namespace nebula::sink_webhook_test {
namespace {

// The receiver-side check exactly as docs/sinks.md gives it, run by python3
// on the bytes that arrived: its exit code, 0 when the signature holds.
int python_verify(const nebula_test::TempDir& dir, const std::string& secret, const Received& got) {
  dir.write("secret", secret);
  dir.write("body", got.body);
  dir.write("verify.py",
            "import hmac, hashlib, sys\n"
            "def verify(secret: bytes, body: bytes, header: str) -> bool:\n"
            "    expected = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()\n"
            "    return hmac.compare_digest(expected, header)\n"
            "secret, body = (open(p, 'rb').read() for p in sys.argv[1:3])\n"
            "sys.exit(0 if verify(secret, body, sys.argv[3]) else 1)\n");
  auto [code, output] = nebula_test::run_and_capture("cd '" + dir.path().string() + "' && python3 verify.py secret body '" +
                                                     got.headers.at("x-nebula-signature") + "'");
  if (code != 0 && code != 1) ADD_FAILURE() << "verify.py did not run: " << output;
  return code;
}

TEST_F(WebhookSinkTest, PostsEachBatchAsSignedJson) {
  auto cfg = config();
  cfg["secret"] = "s3cret";
  auto sink = make(cfg);
  ASSERT_EQ(sink.deliver({numbered(1), {"incidents", R"({"kind":"stall"})"}}, "pattern-1"), NEBULA_OK)
      << sink.last_error();

  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& got = requests[0];
  EXPECT_EQ(got.target, "/hook");
  EXPECT_EQ(got.headers.at("content-type"), "application/json");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(std::stod(got.headers.at("x-nebula-timestamp")), static_cast<double>(now), 60.0);

  const auto body = nlohmann::json::parse(got.body);
  ASSERT_EQ(body["insights"].size(), 2u);
  EXPECT_EQ(body["insights"][0]["topic"], "patterns");
  EXPECT_EQ(body["insights"][0]["source"], "pattern-1");
  EXPECT_GT(body["insights"][0]["timestamp"].get<double>(), 1.6e9);
  EXPECT_EQ(body["insights"][0]["insight"]["n"], 1);
  EXPECT_EQ(body["insights"][1]["insight"]["kind"], "stall");

  EXPECT_EQ(python_verify(dir_, "s3cret", got), 0);
  EXPECT_EQ(python_verify(dir_, "not the secret", got), 1);  // the check is not vacuous
  EXPECT_EQ(host_.counter("insights_delivered"), 2.0);
}

TEST_F(WebhookSinkTest, SecretFileSignsWithoutItsTrailingNewline) {
  const auto file = dir_.write("hook.secret", "from-a-file\n");
  auto cfg = config();
  cfg["secret_file"] = file.string();
  auto sink = make(cfg);
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  ASSERT_EQ(receiver_.requests().size(), 1u);
  EXPECT_EQ(python_verify(dir_, "from-a-file", receiver_.requests()[0]), 0);
}

TEST_F(WebhookSinkTest, WithoutASecretNothingIsSignedAndExtraHeadersAreSent) {
  auto cfg = config();
  cfg["headers"] = {{"Authorization", "Bearer abc"}, {"X-Team", "ops"}};
  auto sink = make(cfg);
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  const auto got = receiver_.requests().at(0);
  EXPECT_EQ(got.headers.count("x-nebula-signature"), 0u);
  EXPECT_EQ(got.headers.at("authorization"), "Bearer abc");
  EXPECT_EQ(got.headers.at("x-team"), "ops");
  EXPECT_EQ(got.headers.count("x-nebula-timestamp"), 1u);
}

TEST_F(WebhookSinkTest, KeepsOneConnectionAliveAcrossBatches) {
  auto sink = make(config());
  for (int n = 1; n <= 3; ++n) ASSERT_EQ(sink.deliver({numbered(n)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(receiver_.requests().size(), 3u);
  EXPECT_EQ(receiver_.connections(), 1);
}

TEST_F(WebhookSinkTest, ReconnectsWhenTheReceiverClosedTheConnection) {
  auto sink = make(config());
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  receiver_.drop_connections();  // closed while idle, without a word
  ASSERT_EQ(sink.deliver({numbered(2)}), NEBULA_OK) << sink.last_error();
  receiver_.answer({200, "ok", {}, true});  // and closed with Connection: close
  ASSERT_EQ(sink.deliver({numbered(3)}), NEBULA_OK) << sink.last_error();
  ASSERT_EQ(sink.deliver({numbered(4)}), NEBULA_OK) << sink.last_error();
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(nlohmann::json::parse(requests[3].body)["insights"][0]["insight"]["n"], 4);
  EXPECT_EQ(receiver_.connections(), 3);
}

TEST_F(WebhookSinkTest, InsightThatIsNotJsonIsInvalidAndNothingIsSent) {
  auto sink = make(config());
  EXPECT_EQ(sink.deliver({numbered(1), {"patterns", "{not json"}}), NEBULA_INVALID);
  EXPECT_NE(std::string(sink.last_error()).find("not a JSON document"), std::string::npos) << sink.last_error();
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_EQ(host_.counter("insights_failed"), 2.0);
}

}  // namespace
}  // namespace nebula::sink_webhook_test

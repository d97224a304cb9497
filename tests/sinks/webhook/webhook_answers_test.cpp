// What the receiver's answer (or its silence) makes of a batch: 2xx OK,
// 429/5xx and no answer at all RETRY, other 4xx INVALID.
#include "nebula_test/free_port.hpp"
#include "webhook_fixture.hpp"

namespace nebula::sink_webhook_test {
namespace {

TEST_F(WebhookSinkTest, ServerErrorsAreRetriedAndQuoteRetryAfter) {
  auto sink = make(config());
  receiver_.answer({503, "down for maintenance", {{"Retry-After", "30"}}, false});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_RETRY);
  const std::string error = sink.last_error();
  EXPECT_NE(error.find("HTTP 503: down for maintenance"), std::string::npos) << error;
  EXPECT_NE(error.find("Retry-After: 30"), std::string::npos) << error;

  receiver_.answer({429, "slow down", {}, false});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_RETRY);
  EXPECT_NE(std::string(sink.last_error()).find("HTTP 429"), std::string::npos) << sink.last_error();
  EXPECT_EQ(host_.counter("insights_failed"), 2.0);

  receiver_.answer({204, "", {}, false});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(host_.counter("insights_delivered"), 1.0);
}

TEST_F(WebhookSinkTest, ClientErrorsAreInvalid) {
  auto sink = make(config());
  receiver_.answer({400, "unknown topic", {}, false});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_INVALID);
  EXPECT_NE(std::string(sink.last_error()).find("HTTP 400: unknown topic"), std::string::npos) << sink.last_error();
  receiver_.answer({301, "", {{"Location", "/elsewhere"}}, false});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_INVALID);
}

TEST_F(WebhookSinkTest, ConnectionRefusedIsRetried) {
  auto sink = make({{"url", "http://127.0.0.1:" + std::to_string(nebula_test::free_port()) + "/hook"}});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_RETRY);
  EXPECT_NE(std::string(sink.last_error()).find("cannot connect"), std::string::npos) << sink.last_error();
  EXPECT_EQ(host_.counter("insights_failed"), 1.0);
}

TEST_F(WebhookSinkTest, NoAnswerWithinTheTimeoutIsRetried) {
  auto cfg = config();
  cfg["timeout_ms"] = 300;
  auto sink = make(cfg);
  receiver_.hold_answers();
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_RETRY);
  EXPECT_NE(std::string(sink.last_error()).find("no answer from 127.0.0.1:"), std::string::npos) << sink.last_error();
  EXPECT_NE(std::string(sink.last_error()).find("within 300 ms"), std::string::npos) << sink.last_error();
  receiver_.release_answers();
  // The timed-out connection is abandoned; the redelivery gets a fresh one.
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(receiver_.requests().size(), 2u);
  EXPECT_EQ(receiver_.connections(), 2);
}

}  // namespace
}  // namespace nebula::sink_webhook_test

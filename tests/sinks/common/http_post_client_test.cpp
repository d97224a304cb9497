// The shared POST client against the sinks' test receiver on 127.0.0.1: the
// request it sends, the one kept-alive connection, the reconnect after the
// peer closed it, timeouts, refused connections and TLS.
#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "http_post_client.hpp"
#include "http_receiver.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/test_pki.hpp"

namespace {

using nebula::sink_test::HttpReceiver;
using nebula::sinks::HttpPostClient;
using nebula::sinks::HttpPostOptions;
using nebula::sinks::parse_http_url;
using namespace std::chrono_literals;

HttpPostClient client_for(const std::string& url, HttpPostOptions options = {}) {
  return HttpPostClient(parse_http_url(url), std::move(options));
}

TEST(HttpPostClient, PostsTheBodyWithHostAgentAndTheCallersHeaders) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url("/in?x=1"), {.user_agent = "nebula-test"});
  const auto out = client.post({{"Content-Type", "application/json"}, {"X-Team", "ops"}}, R"({"n":1})");
  ASSERT_EQ(out.status, NEBULA_OK) << out.message;
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& got = requests[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/in?x=1");
  EXPECT_EQ(got.body, R"({"n":1})");
  EXPECT_EQ(got.headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(got.headers.at("user-agent"), "nebula-test");
  EXPECT_EQ(got.headers.at("content-type"), "application/json");
  EXPECT_EQ(got.headers.at("x-team"), "ops");
  EXPECT_EQ(got.headers.at("content-length"), "7");
}

TEST(HttpPostClient, KeepsOneConnectionAcrossPosts) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client.post({}, "x").status, NEBULA_OK);
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(HttpPostClient, ReconnectsOnceWhenThePeerClosedTheIdleConnection) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url());
  ASSERT_EQ(client.post({}, "first").status, NEBULA_OK);
  receiver.drop_connections();  // closed while idle, without a word
  const auto out = client.post({}, "second");
  EXPECT_EQ(out.status, NEBULA_OK) << out.message;
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.requests()[1].body, "second");
  EXPECT_EQ(receiver.requests()[1].connection, 2);
}

TEST(HttpPostClient, AnAnswerWithConnectionCloseIsFollowedByAFreshConnection) {
  HttpReceiver receiver;
  receiver.answer({200, "ok", {}, true});
  auto client = client_for(receiver.url());
  ASSERT_EQ(client.post({}, "a").status, NEBULA_OK);
  ASSERT_EQ(client.post({}, "b").status, NEBULA_OK);
  EXPECT_EQ(receiver.connections(), 2);
  EXPECT_EQ(receiver.requests().size(), 2u);  // nothing was sent on the closed one
}

TEST(HttpPostClient, AnswersBecomeOutcomesWithRetryAfterQuoted) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url());
  receiver.answer({503, "down for maintenance", {{"Retry-After", "30"}}});
  auto out = client.post({}, "x");
  EXPECT_EQ(out.status, NEBULA_RETRY);
  EXPECT_EQ(out.message, "HTTP 503: down for maintenance; Retry-After: 30");
  receiver.answer({400, "unknown topic"});
  out = client.post({}, "x");
  EXPECT_EQ(out.status, NEBULA_INVALID);
  EXPECT_EQ(out.message, "HTTP 400: unknown topic");
  EXPECT_EQ(receiver.connections(), 1);  // an error answer is still an answer
}

TEST(HttpPostClient, TheReasonOfAnErrorBodyIsWhatTheCallerReadsFromIt) {
  HttpReceiver receiver;
  receiver.answer({422, R"({"message":"labels are required"})"});
  auto client = client_for(receiver.url(), {.reason = [](std::string_view body) {
                                              return body.find("labels") != std::string_view::npos ? "labels" : "?";
                                            }});
  EXPECT_EQ(client.post({}, "x").message, "HTTP 422: labels");
}

TEST(HttpPostClient, NoAnswerWithinTheTimeoutIsRetriedOnAFreshConnectionNextTime) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url(), {.timeout = 300ms});
  receiver.hold_answers();
  const auto out = client.post({}, "x");
  EXPECT_EQ(out.status, NEBULA_RETRY);
  EXPECT_EQ(out.message, "no answer from 127.0.0.1:" + std::to_string(receiver.port()) + " within 300 ms");
  receiver.release_answers();
  EXPECT_EQ(client.post({}, "x").status, NEBULA_OK);
  EXPECT_EQ(receiver.connections(), 2);
}

TEST(HttpPostClient, AWholePostBudgetTimesOutToo) {
  HttpReceiver receiver;
  auto client = client_for(receiver.url(), {.timeout = 300ms, .scope = nebula::sinks::TimeoutScope::whole_post});
  receiver.hold_answers();
  const auto out = client.post({}, "x");
  EXPECT_EQ(out.status, NEBULA_RETRY);
  EXPECT_NE(out.message.find("within 300 ms"), std::string::npos) << out.message;
  receiver.release_answers();
}

TEST(HttpPostClient, NobodyListeningIsRetried) {
  auto client = client_for("http://127.0.0.1:" + std::to_string(nebula_test::free_port()) + "/hook");
  const auto out = client.post({}, "x");
  EXPECT_EQ(out.status, NEBULA_RETRY);
  EXPECT_NE(out.message.find("cannot connect"), std::string::npos) << out.message;
}

TEST(HttpPostClient, HttpsVerifiesTheCertificateAgainstTheGivenCa) {
  const auto& pki = nebula_test::TestPki::shared();
  HttpReceiver receiver(nebula::security::make_server_context({pki.server_cert, pki.server_key, ""}));
  auto trusting = client_for(receiver.url(), {.ca_file = pki.ca});
  const auto ok = trusting.post({}, "secret");
  ASSERT_EQ(ok.status, NEBULA_OK) << ok.message;
  EXPECT_EQ(receiver.requests().at(0).body, "secret");

  for (const std::string& ca : {pki.other_ca, std::string()}) {  // another CA, the system trust store
    auto doubting = client_for(receiver.url(), {.ca_file = ca});
    const auto out = doubting.post({}, "secret");
    EXPECT_EQ(out.status, NEBULA_RETRY);
    EXPECT_NE(out.message.find("certificate verify failed"), std::string::npos) << out.message;
  }
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(HttpPostClient, AnUnusableCaFileIsInvalid) {
  const auto& pki = nebula_test::TestPki::shared();
  try {
    client_for("https://127.0.0.1:1/", {.ca_file = pki.not_pem});
    FAIL() << "accepted a CA file without PEM";
  } catch (const nebula::Error& e) {
    EXPECT_EQ(e.status(), NEBULA_INVALID);
    EXPECT_EQ(std::string(e.what()).rfind("ca_file: ", 0), 0u) << e.what();
  }
}

}  // namespace

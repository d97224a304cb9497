// HTTP ingest server: what a sender sees for each kind of request.
#include <set>
#include <thread>

#include <boost/asio/read_until.hpp>

#include "http_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

const std::string kIngest = "/api/v1/pool/ingest";

TEST_F(HttpTransportTest, HandsBodyToHostUnparsedAndRelaysVerdict) {
  accept_all();
  start_server();
  const std::string batch = make_batch("node-1", 10, 3);

  RawHttp http(port());
  RawAnswer a = http.send(bhttp::verb::post, kIngest, batch);

  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(nlohmann::json::parse(a.body), (nlohmann::json{{"status", "accepted"}, {"accepted", 3}}));
  EXPECT_EQ(a.header("X-Nebula-Accepted"), "3");
  EXPECT_EQ(a.header("X-Nebula-Last-Seq"), "12");
  EXPECT_EQ(a.header("Content-Type"), "application/json");
  ASSERT_EQ(log_.size(), 1u);
  auto sub = log_.all()[0];
  EXPECT_EQ(sub.format, NEBULA_FORMAT_JSON);
  EXPECT_EQ(sub.payload, batch);  // byte for byte: the host decodes, not the transport
  EXPECT_EQ(sub.meta["transport"], "http");
  EXPECT_EQ(sub.meta["peer"].get<std::string>().rfind("127.0.0.1:", 0), 0u);
  EXPECT_FALSE(sub.meta.contains("token"));
}

TEST_F(HttpTransportTest, SynthesisesAnswerWhenHostGivesNoBody) {
  answer_with({NEBULA_OK, 2, 1, 7, 0, 0, ""});
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}");
  EXPECT_EQ(a.status, 200u);
  auto body = nlohmann::json::parse(a.body);
  EXPECT_EQ(body["status"], "accepted");
  EXPECT_EQ(body["accepted"], 2);
  EXPECT_EQ(body["rejected"], 1);
  EXPECT_EQ(body["last_seq"], 7);
}

TEST_F(HttpTransportTest, OversizedBodyIs413NamingTheLimitAndIsNeverSubmitted) {
  accept_all();
  start_server({{"body_limit", 1024}});
  const std::string big(2000, ' ');

  RawAnswer by_length = RawHttp(port()).send(bhttp::verb::post, kIngest, "{" + big + "}");
  EXPECT_EQ(by_length.status, 413u);
  EXPECT_NE(nlohmann::json::parse(by_length.body)["error"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(by_length.body)["limit"], 1024);

  // Chunked: the size is only known while reading.
  RawAnswer chunked =
      RawHttp(port()).send(bhttp::verb::post, kIngest, "{" + big + "}", {{"Content-Type", "application/json"}}, true);
  EXPECT_EQ(chunked.status, 413u);
  EXPECT_NE(chunked.body.find("1024"), std::string::npos);

  // At the limit is fine.
  RawAnswer fits = RawHttp(port()).send(bhttp::verb::post, kIngest, "{" + std::string(1022, ' ') + "}");
  EXPECT_EQ(fits.status, 200u);
  EXPECT_EQ(log_.size(), 1u);
  EXPECT_TRUE(wait_until([&] { return host_.counter("body_too_large") == 2.0; }));  // both refusals counted
}

TEST_F(HttpTransportTest, NonJsonContentTypeIs415) {
  accept_all();
  start_server();
  RawAnswer plain = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(plain.status, 415u);
  RawAnswer none = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}", {});
  EXPECT_EQ(none.status, 415u);
  RawAnswer charset =
      RawHttp(port()).send(bhttp::verb::post, kIngest, "{}", {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(charset.status, 200u);
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HttpTransportTest, UnknownPathIs404) {
  accept_all();
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, "/api/v1/pool/other", "{}");
  EXPECT_EQ(a.status, 404u);
  EXPECT_EQ(nlohmann::json::parse(a.body)["status"], "error");
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(HttpTransportTest, OtherMethodsOnIngestPathAre405) {
  accept_all();
  start_server();
  for (auto verb : {bhttp::verb::get, bhttp::verb::put, bhttp::verb::delete_}) {
    RawAnswer a = RawHttp(port()).send(verb, kIngest, verb == bhttp::verb::get ? "" : "{}");
    EXPECT_EQ(a.status, 405u) << bhttp::to_string(verb);
    EXPECT_EQ(a.header("Allow"), "POST");
  }
  EXPECT_EQ(log_.size(), 0u);
}

TEST_F(HttpTransportTest, IngestPathIsConfigurableAndQueryStringIgnored) {
  accept_all();
  start_server({{"path", "/ingest"}});
  EXPECT_EQ(RawHttp(port()).send(bhttp::verb::post, "/ingest?x=1", "{}").status, 200u);
  EXPECT_EQ(RawHttp(port()).send(bhttp::verb::post, kIngest, "{}").status, 404u);
}

TEST_F(HttpTransportTest, RetryVerdictIs503WithRetryAfterInWholeSeconds) {
  answer_with({NEBULA_RETRY, 0, 0, -1, 1500, 0, R"({"status":"retry","error":"pool queue full"})"});
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, make_batch("n", 1, 1));
  EXPECT_EQ(a.status, 503u);
  EXPECT_EQ(a.header("Retry-After"), "2");  // ceil(1500 ms)
  EXPECT_EQ(nlohmann::json::parse(a.body)["error"], "pool queue full");
}

TEST_F(HttpTransportTest, HostSuggestedStatusWins) {
  answer_with({NEBULA_RETRY, 0, 0, -1, 200, 429, ""});
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}");
  EXPECT_EQ(a.status, 429u);
  EXPECT_EQ(a.header("Retry-After"), "1");
}

TEST_F(HttpTransportTest, InvalidVerdictIs400WithHostBody) {
  const std::string body = R"({"status":"rejected","errors":["data_batch[0]: missing node_id"]})";
  answer_with({NEBULA_INVALID, 0, 1, -1, 0, 0, body});
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}");
  EXPECT_EQ(a.status, 400u);
  EXPECT_EQ(a.body, body);
  EXPECT_EQ(a.header("X-Nebula-Rejected"), "1");
}

TEST_F(HttpTransportTest, IoVerdictIs503) {
  answer_with({NEBULA_IO, 0, 0, -1, 0, 0, ""});
  start_server();
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, "{}");
  EXPECT_EQ(a.status, 503u);
  EXPECT_EQ(a.header("Retry-After"), "1");
}

TEST_F(HttpTransportTest, KeepAliveServesManyRequestsOnOneConnection) {
  accept_all();
  start_server();
  RawHttp http(port());
  for (int i = 0; i < 3; ++i) {
    RawAnswer a = http.send(bhttp::verb::post, kIngest, make_batch("n", i, 1));
    EXPECT_EQ(a.status, 200u);
    EXPECT_TRUE(a.keep_alive);
  }
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].meta["peer"], subs[2].meta["peer"]);
}

TEST_F(HttpTransportTest, ErrorAnswerStillReachesSenderThatKeepsSending) {
  // The refusal comes before the body is read; the sender must still get it
  // (no connection reset eating the answer).
  accept_all();
  start_server({{"body_limit", 4096}});
  RawAnswer a = RawHttp(port()).send(bhttp::verb::post, kIngest, std::string(512 * 1024, 'x'));
  EXPECT_EQ(a.status, 413u);
  EXPECT_FALSE(a.keep_alive);
}

TEST_F(HttpTransportTest, ExpectContinueGetsGoAheadOnlyWhenAcceptable) {
  accept_all();
  start_server();
  RawHttp http(port());
  const std::string body = make_batch("n", 1, 1);
  const std::string head = "POST " + kIngest + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  boost::asio::write(http.socket(), boost::asio::buffer(head));
  std::string interim;  // nothing else is sent before we send the body
  boost::asio::read_until(http.socket(), boost::asio::dynamic_buffer(interim), "\r\n\r\n");
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue", 0), 0u) << interim;
  boost::asio::write(http.socket(), boost::asio::buffer(body));
  bhttp::response<bhttp::string_body> res;
  boost::beast::flat_buffer fb;
  bhttp::read(http.socket(), fb, res);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(HttpTransportTest, MalformedRequestIs400AndOversizedHeaderIs431) {
  accept_all();
  start_server();
  auto answer_to = [&](const std::string& raw) {
    RawHttp http(port());
    boost::asio::write(http.socket(), boost::asio::buffer(raw));
    bhttp::response<bhttp::string_body> res;
    boost::beast::flat_buffer fb;
    bhttp::read(http.socket(), fb, res);
    return res.result_int();
  };
  EXPECT_EQ(answer_to("NOT HTTP AT ALL\r\n\r\n"), 400u);
  EXPECT_EQ(answer_to("POST " + kIngest + " HTTP/1.1\r\nX-Big: " + std::string(9000, 'h') + "\r\n\r\n"), 431u);
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_EQ(host_.counter("header_too_large"), 1.0);
}

TEST_F(HttpTransportTest, ConcurrentSendersAreEachAcceptedExactlyOnce) {
  accept_all();
  start_server({{"io_threads", 2}, {"submit_threads", 3}});
  constexpr int kSenders = 8, kBatches = 25;
  std::vector<std::thread> senders;
  std::atomic<int> ok{0};
  for (int s = 0; s < kSenders; ++s)
    senders.emplace_back([&, s] {
      ClientUnderTest client(descriptor(), endpoint());
      for (int b = 0; b < kBatches; ++b)
        if (client.deliver(make_batch("node-" + std::to_string(s), b * 2, 2)).status == NEBULA_OK) ++ok;
    });
  for (auto& t : senders) t.join();
  EXPECT_EQ(ok.load(), kSenders * kBatches);
  std::set<std::pair<std::string, int64_t>> seen;
  for (auto& sub : log_.all()) {
    auto doc = nlohmann::json::parse(sub.payload);
    for (auto& r : doc["data_batch"])
      EXPECT_TRUE(seen.emplace(r["node_id"], r["seq"]).second) << "duplicate " << r.dump();
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kSenders * kBatches * 2));
}

TEST_F(HttpTransportTest, DescribeReportsBoundPortAndUrl) {
  accept_all();
  auto& server = start_server();
  auto d = server.describe();
  EXPECT_EQ(d["address"], "127.0.0.1");
  EXPECT_GT(d["port"].get<int>(), 0);
  EXPECT_EQ(d["url"], "http://127.0.0.1:" + std::to_string(d["port"].get<int>()) + kIngest);
  EXPECT_EQ(d["running"], true);
}

TEST_F(HttpTransportTest, StopClosesIdleConnectionsAndIsIdempotent) {
  accept_all();
  auto& server = start_server();
  RawHttp http(port());
  EXPECT_EQ(http.send(bhttp::verb::post, kIngest, "{}").status, 200u);
  server.stop();
  server.stop();
  boost::system::error_code ec;
  char c;
  http.socket().read_some(boost::asio::buffer(&c, 1), ec);  // closed by the server: EOF, no hang
  EXPECT_TRUE(ec);
  EXPECT_EQ(server.describe()["running"], false);
}

TEST_F(HttpTransportTest, BusyPortFailsStartNamingTheAddress) {
  boost::asio::io_context ioc;
  tcp::acceptor taken(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  ServerUnderTest server(host_, descriptor(), {{"port", taken.local_endpoint().port()}});
  try {
    server.start();
    FAIL() << "start succeeded on a busy port";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(taken.local_endpoint().port())),
              std::string::npos)
        << e.what();
  }
}

TEST_F(HttpTransportTest, ConfigIsValidatedWithPointers) {
  EXPECT_EQ(validate(descriptor(), {{"port", 7000}, {"body_limit", 65536}}).first, NEBULA_OK);
  auto [st, msg] = validate(descriptor(), {{"bogus", 1}, {"port", 70000}, {"path", "nope"}, {"io_threads", 1.5}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_NE(msg.find("/bogus: unknown key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/port:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/path:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/io_threads:"), std::string::npos) << msg;
}

}  // namespace
}  // namespace nebula::transport_test

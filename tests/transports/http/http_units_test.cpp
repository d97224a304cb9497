// Pure pieces of the HTTP transport, tested without sockets.
#include <gtest/gtest.h>

#include "connection_limiter.hpp"
#include "http_client.hpp"
#include "http_endpoint.hpp"
#include "ingest_response.hpp"
#include "record_owner.hpp"
#include "request_check.hpp"
#include "request_facts.hpp"

namespace nebula::transport::http {
namespace {

TEST(HttpRequestFacts, PathAndQuery) {
  EXPECT_EQ(target_path("/a/b?x=1#f"), "/a/b");
  EXPECT_EQ(query_param("/p?node_id=node%2D1&x=2", "node_id"), "node-1");
  EXPECT_EQ(query_param("/p?a=1&node_id=n+1", "node_id"), "n 1");
  EXPECT_EQ(query_param("/p?x=1", "node_id"), std::nullopt);
  EXPECT_EQ(query_param("/p?node_id", "node_id"), "");
  EXPECT_EQ(query_param("/p?node_id=%zz", "node_id"), "%zz");  // not an escape: kept
}

TEST(HttpRequestFacts, JsonMediaTypes) {
  EXPECT_TRUE(is_json_media_type("application/json"));
  EXPECT_TRUE(is_json_media_type("Application/JSON ; charset=utf-8"));
  EXPECT_TRUE(is_json_media_type("application/vnd.nebula+json"));
  EXPECT_FALSE(is_json_media_type("text/json+plain"));
  EXPECT_FALSE(is_json_media_type("application/x-ndjson"));
  EXPECT_FALSE(is_json_media_type(""));
}

TEST(HttpRequestFacts, BearerToken) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc "), "abc");
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token("Bearerabc"), "");
  EXPECT_EQ(bearer_token(""), "");
}

TEST(HttpEndpointParsing, Forms) {
  auto ep = parse_http_endpoint("http://127.0.0.1:7000");
  EXPECT_EQ(ep.host, "127.0.0.1");
  EXPECT_EQ(ep.port, "7000");
  EXPECT_EQ(ep.target, "/api/v1/pool/ingest");
  auto v6 = parse_http_endpoint("http://[::1]:8080/x?y=1");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "8080");
  EXPECT_EQ(v6.target, "/x?y=1");
  EXPECT_EQ(v6.host_header, "[::1]:8080");
  EXPECT_EQ(parse_http_endpoint("http://pool.example").port, "80");
  EXPECT_FALSE(ep.tls);
  auto secure = parse_http_endpoint("https://pool.example/in");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.port, "443");
  EXPECT_EQ(secure.target, "/in");
  EXPECT_THROW(parse_http_endpoint("http://:70"), Error);
  EXPECT_THROW(parse_http_endpoint("http://h:123456"), Error);
  EXPECT_THROW(parse_http_endpoint("ftp://h:1"), Error);
}

TEST(HttpAnswerMapping, StatusesAndRetryAfter) {
  auto ok = delivery_from_answer(200, "", "5", "1", "{}");
  EXPECT_EQ(ok.status, NEBULA_OK);
  EXPECT_EQ(ok.accepted, 5u);
  EXPECT_EQ(ok.rejected, 1u);
  auto from_body = delivery_from_answer(200, "", "", "", R"({"accepted":3})");
  EXPECT_EQ(from_body.accepted, 3u);
  auto busy = delivery_from_answer(503, "7", "", "", R"({"error":"full"})");
  EXPECT_EQ(busy.status, NEBULA_RETRY);
  EXPECT_EQ(busy.retry_after_ms, 7000u);
  EXPECT_EQ(busy.message, "HTTP 503: full");
  auto dated = delivery_from_answer(429, "Wed, 21 Oct 2015 07:28:00 GMT", "", "", R"({"retry_after_ms":250})");
  EXPECT_EQ(dated.retry_after_ms, 250u);
  auto bad = delivery_from_answer(422, "", "", "", R"({"errors":["a",{"b":1}]})");
  EXPECT_EQ(bad.status, NEBULA_INVALID);
  EXPECT_EQ(bad.message, R"(HTTP 422: a; {"b":1})");
  EXPECT_EQ(delivery_from_answer(500, "", "", "", "boom").status, NEBULA_RETRY);
  EXPECT_EQ(delivery_from_answer(302, "", "", "", "").status, NEBULA_INVALID);
}

TEST(HttpVerdictResponse, RetryAfterRoundsUpAndIsNeverZero) {
  EXPECT_EQ(retry_after_seconds(0), 1u);
  EXPECT_EQ(retry_after_seconds(1), 1u);
  EXPECT_EQ(retry_after_seconds(1000), 1u);
  EXPECT_EQ(retry_after_seconds(1001), 2u);
}

// Found by fuzz/targets/http_request.cpp. Header bytes need not be UTF-8;
// a strict dump of them threw on the I/O thread and aborted the pool.
TEST(HttpRequestCheck, SubmissionMetaIsJsonForAnyHeaderBytes) {
  const std::string meta = submission_meta("127.0.0.1:1", "node\x99", "s3cr\xff");
  EXPECT_TRUE(nlohmann::json::accept(meta)) << meta;
}

// Beast reports a Content-Length over the body limit before the header is
// done, when content_length() asserts (debug builds): the check must not ask.
TEST(HttpRequestCheck, ContentLengthOverTheLimitIsNoAssertion) {
  RequestParser parser;
  parser.body_limit(10);
  const std::string head =
      "POST /api/v1/pool/ingest HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(head), ec);
  ASSERT_EQ(ec, boost::beast::http::error::body_limit);
  IngestContext ctx;
  std::string node_id, token;
  EXPECT_FALSE(check_request_header(parser, ctx, node_id, token));  // IngestSession answers 413 itself
}

TEST(RecordOwner, EveryNodeIdTheHostReadsMustBeTheAuthenticatedNode) {
  EXPECT_FALSE(foreign_node_in_document(R"({"node_id":"a","data_batch":[{"seq":1},{"node_id":"a"}]})", "a"));
  EXPECT_FALSE(foreign_node_in_document(R"({"data_batch":[{"node_id":"a","extra":{"node_id":"b"}}]})", "a"));
  EXPECT_FALSE(foreign_node_in_document(R"({"node_id":null,"data_batch":[{"node_id":"a"}]})", "a"));
  EXPECT_FALSE(foreign_node_in_document(R"({"x":[{"node_id":"b"}],"data_batch":[{"node_id":"a"}]})", "a"));
  auto entry = foreign_node_in_document(R"({"node_id":"a","data_batch":[{"node_id":"a"},{"node_id":"b"}]})", "a");
  ASSERT_TRUE(entry);
  EXPECT_FALSE(entry->unreadable);
  EXPECT_EQ(entry->reason, "node_id 'b' is not the authenticated node 'a'");
  EXPECT_TRUE(foreign_node_in_document(R"({"node_data":{"node_id":"b"}})", "a"));
  EXPECT_TRUE(foreign_node_in_document(R"({"node_id":"a","node_id":"b"})", "a"));
  auto bad = foreign_node_in_document(R"({"node_id":"a")", "a");
  ASSERT_TRUE(bad);
  EXPECT_TRUE(bad->unreadable);

  EXPECT_FALSE(foreign_node_in_lines("{\"node_id\":\"a\"}\n\n  \n{\"node_id\":\"a\",\"seq\":2}", "a"));
  auto line = foreign_node_in_lines("{\"node_id\":\"a\"}\n{\"node_id\":\"b\"}\n", "a");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->reason, "record line 2: node_id 'b' is not the authenticated node 'a'");
  // A record's own fields named like the batch keys are not special in a line.
  EXPECT_FALSE(foreign_node_in_lines(R"({"node_id":"a","data_batch":[{"node_id":"b"}]})", "a"));
  EXPECT_TRUE(foreign_node_in_lines("{\"node_id\":\"a\"}\nnot json\n", "a")->unreadable);
}

TEST(ConnectionLimiter, CountsPerClientAndGivesPlacesBack) {
  auto limiter = std::make_shared<ConnectionLimiter>(2);
  auto a1 = limiter->acquire("10.0.0.1");
  auto a2 = limiter->acquire("10.0.0.1");
  EXPECT_TRUE(a1 && a2);
  EXPECT_FALSE(limiter->acquire("10.0.0.1"));
  EXPECT_TRUE(limiter->acquire("10.0.0.2"));  // another client has its own places
  EXPECT_EQ(limiter->open("10.0.0.2"), 0u);   // ... and gave it back at once
  {
    auto moved = std::move(a1);
    EXPECT_EQ(limiter->open("10.0.0.1"), 2u);
  }
  EXPECT_EQ(limiter->open("10.0.0.1"), 1u);
  EXPECT_TRUE(limiter->acquire("10.0.0.1"));
}

}  // namespace
}  // namespace nebula::transport::http

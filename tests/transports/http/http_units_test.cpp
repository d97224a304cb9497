// Pure pieces of the HTTP transport, tested without sockets.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "http_endpoint.hpp"
#include "ingest_response.hpp"
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

}  // namespace
}  // namespace nebula::transport::http

// The server over real sockets on 127.0.0.1: routing, decoding, error answers,
// keep-alive and many clients at once.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "http/http_server.hpp"
#include "test_client.hpp"

using namespace nebula::http;
using nebula::http::testing::TestClient;
using json = nlohmann::json;

namespace {

constexpr size_t kBodyLimit = 1024;

Response json_reply(const json& body) {
  Response r;
  r.body = body.dump();
  return r;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.threads = 4;
    options.body_limit = kBodyLimit;
    server_ = std::make_unique<Server>(options);

    server_->route("GET", "/api/v1/agents/{name}/query", [](const Request& req) {
      return json_reply({{"name", req.params.at("name")}, {"query", req.query}, {"path", req.path}});
    });
    server_->route("GET", "/api/v1/agents/stats", [](const Request&) { return json_reply("stats"); });
    server_->route("GET", "/api/v1/agents/{name}", [](const Request& req) {
      return json_reply({{"agent", req.params.at("name")}});
    });
    server_->route("POST", "/echo", [](const Request& req) {
      Response r;
      r.content_type = "text/plain";
      r.body = req.body;
      r.headers.emplace_back("X-Seen-Header", req.headers.count("x-custom-header") ? req.headers.at("x-custom-header") : "");
      return r;
    });
    server_->route("GET", "/items", [](const Request&) { return json_reply("items"); });
    server_->route("PUT", "/items", [](const Request&) { return json_reply("put"); });
    server_->route("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("kaboom"); });
    server_->route("GET", "/boom-odd", [](const Request&) -> Response { throw 42; });
    server_->route("GET", "/bad-status", [](const Request&) {
      Response r;
      r.status = 42;
      return r;
    });
    server_->route("GET", "/header-injection", [](const Request&) {
      Response r;
      r.headers.emplace_back("X-Name", "evil\r\nSet-Cookie: stolen=1");
      return r;
    });
    server_->route("GET", "/whoami", [](const Request& req) { return json_reply(req.peer); });
    server_->route("GET", "/created", [](const Request&) {
      Response r;
      r.status = 201;
      r.headers.emplace_back("Location", "/items/1");
      return r;
    });
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override { server_->stop(); }

  uint16_t port() const { return server_->port(); }

  std::unique_ptr<Server> server_;
};

}  // namespace

TEST_F(HttpServerTest, RoutesWithParamsAndDecodedQuery) {
  TestClient client(port());
  const auto res = client.request("GET", "/api/v1/agents/my%20agent/query?q=J%C3%BCrgen+X&limit=10&flag");
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(res[boost::beast::http::field::server], "nebula-pool");
  const auto body = json::parse(res.body());
  EXPECT_EQ(body["name"], "my agent");
  EXPECT_EQ(body["path"], "/api/v1/agents/my agent/query");
  EXPECT_EQ(body["query"], (json{{"q", "J\xc3\xbcrgen X"}, {"limit", "10"}, {"flag", ""}}));
}

TEST_F(HttpServerTest, LiteralRouteWinsOverParam) {
  TestClient client(port());
  EXPECT_EQ(json::parse(client.request("GET", "/api/v1/agents/stats").body()), "stats");
  EXPECT_EQ(json::parse(client.request("GET", "/api/v1/agents/bob").body())["agent"], "bob");
}

TEST_F(HttpServerTest, HandlerStatusAndHeadersAreSent) {
  TestClient client(port());
  const auto res = client.request("GET", "/created");
  EXPECT_EQ(res.result_int(), 201);
  EXPECT_EQ(res["Location"], "/items/1");
}

TEST_F(HttpServerTest, HeaderNamesAreLowerCasedAndBodyPassedThrough) {
  TestClient client(port());
  const auto res = client.request("POST", "/echo", "hello body", {{"X-Custom-Header", "Foo"}});
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "hello body");
  EXPECT_EQ(res["X-Seen-Header"], "Foo");
  EXPECT_EQ(res[boost::beast::http::field::content_type], "text/plain");
}

TEST_F(HttpServerTest, UnknownPathIs404Json) {
  TestClient client(port());
  const auto res = client.request("GET", "/nope");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(json::parse(res.body())["error"], "not found");
  // The connection stays usable after an error answer.
  EXPECT_EQ(client.request("GET", "/items").result_int(), 200);
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  TestClient client(port());
  const auto res = client.request("DELETE", "/items");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[boost::beast::http::field::allow], "GET, PUT");
  EXPECT_EQ(json::parse(res.body())["error"], "method not allowed");
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  TestClient client(port());
  const auto res = client.request("POST", "/echo", std::string(kBodyLimit, 'x'));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body().size(), kBodyLimit);
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413AndCloses) {
  TestClient client(port());
  const auto res = client.request("POST", "/echo", std::string(kBodyLimit + 1, 'x'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(json::parse(res.body()), (json{{"error", "body too large"}, {"limit", kBodyLimit}}));
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  TestClient client(port());
  std::string chunk(kBodyLimit + 1, 'y');
  std::ostringstream raw;
  raw << "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      << std::hex << chunk.size() << "\r\n" << chunk << "\r\n0\r\n\r\n";
  client.write_raw(raw.str());
  EXPECT_EQ(client.read_response().result_int(), 413);
}

TEST_F(HttpServerTest, LargeUploadRefusedBeforeTheBodyIsSent) {
  // With Expect: 100-continue the client learns about the limit up front.
  TestClient client(port());
  client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_response().result_int(), 413);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimResponse) {
  TestClient client(port());
  client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_interim_status(), 100u);
  client.write_raw("hello");
  const auto res = client.read_response();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "hello");
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  TestClient client(port());
  client.write_raw("THIS IS NOT HTTP\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_TRUE(json::parse(res.body()).contains("error"));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  TestClient client(port());
  const auto res = client.request("GET", "/items", {}, {{"X-Big", std::string(16 * 1024, 'h')}});
  EXPECT_EQ(res.result_int(), 431);
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(HttpServerTest, BadPercentEscapeIs400) {
  TestClient client(port());
  EXPECT_EQ(client.request("GET", "/api/v1/agents/x/query?q=%zz").result_int(), 400);
  EXPECT_EQ(client.request("GET", "/api/v1/agents/%G1").result_int(), 400);
}

TEST_F(HttpServerTest, NonOriginTargetIs400) {
  TestClient client(port());
  EXPECT_EQ(client.request("GET", "items").result_int(), 400);
}

TEST_F(HttpServerTest, ThrowingHandlerIs500AndServerStaysUp) {
  TestClient client(port());
  const auto res = client.request("GET", "/boom");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(json::parse(res.body()), (json{{"error", "kaboom"}}));
  const auto odd = client.request("GET", "/boom-odd");
  EXPECT_EQ(odd.result_int(), 500);
  EXPECT_EQ(json::parse(odd.body())["error"], "internal error");
  EXPECT_EQ(client.request("GET", "/items").result_int(), 200);
  TestClient another(port());
  EXPECT_EQ(another.request("GET", "/items").result_int(), 200);
}

TEST_F(HttpServerTest, InvalidHandlerResultsBecome500) {
  TestClient client(port());
  EXPECT_EQ(client.request("GET", "/bad-status").result_int(), 500);
  const auto res = client.request("GET", "/header-injection");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.count(boost::beast::http::field::set_cookie), 0u);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestClient client(port());
  std::string first_peer;
  for (int i = 0; i < 10; ++i) {
    const auto res = client.request("GET", "/whoami");
    ASSERT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
    const std::string peer = json::parse(res.body());
    if (i == 0) first_peer = peer;
    EXPECT_EQ(peer, first_peer) << "request " << i << " came over another connection";
  }
  EXPECT_EQ(first_peer.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestClient client(port());
  client.write_raw(
      "GET /api/v1/agents/a HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/v1/agents/b HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(json::parse(client.read_response().body())["agent"], "a");
  EXPECT_EQ(json::parse(client.read_response().body())["agent"], "b");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  TestClient client(port());
  const auto res = client.request("GET", "/items", {}, {{"Connection", "close"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, ManyConcurrentClients) {
  constexpr int kClients = 32;
  constexpr int kRequestsEach = 20;
  std::atomic<int> ok{0};
  std::vector<std::future<void>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::async(std::launch::async, [&, c] {
      TestClient client(port());
      for (int i = 0; i < kRequestsEach; ++i) {
        const std::string name = "agent-" + std::to_string(c) + "-" + std::to_string(i);
        const auto res = client.request("GET", "/api/v1/agents/" + name);
        if (res.result_int() == 200 && json::parse(res.body())["agent"] == name) ++ok;
      }
    }));
  }
  for (auto& client : clients) client.get();  // rethrows client errors
  EXPECT_EQ(ok.load(), kClients * kRequestsEach);
}

// The admin server library over TLS (ServerOptions::tls) and with a guard
// (ServerOptions::guard) in front of the routes, on real 127.0.0.1 sockets.
#include <gtest/gtest.h>

#include <stdexcept>

#include "http/http_server.hpp"
#include "nebula_test/https_client.hpp"
#include "nebula_test/test_pki.hpp"
#include "test_client.hpp"

using namespace nebula::http;
using nebula_test::https_request;
using nebula_test::TestPki;
using nebula_test::TlsClient;

namespace {

class HttpServerTlsTest : public ::testing::Test {
 protected:
  const TestPki& pki = TestPki::shared();

  Server& start(ServerOptions options) {
    server_ = std::make_unique<Server>(std::move(options));
    server_->route("GET", "/hello", [](const Request&) {
      Response r;
      r.body = R"({"hello":true})";
      return r;
    });
    server_->start();
    return *server_;
  }
  ServerOptions tls_options(bool mutual) const {
    ServerOptions o;
    o.tls = {pki.server_cert, pki.server_key, mutual ? pki.ca : ""};
    return o;
  }
  std::unique_ptr<Server> server_;
};

TEST_F(HttpServerTlsTest, ServesHttpsToClientsThatTrustIt) {
  auto& server = start(tls_options(false));
  std::string why;
  auto ok = https_request(server.port(), "GET", "/hello", {pki.ca, "", ""}, {}, &why);
  ASSERT_TRUE(ok) << why;
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"hello":true})");

  EXPECT_FALSE(https_request(server.port(), "GET", "/hello", {pki.other_ca, "", ""}, {}, &why));
  EXPECT_NE(why.find("certificate verify failed"), std::string::npos) << why;
  // Plain HTTP on the TLS port gets no answer.
  nebula::http::testing::TestClient plain(server.port());
  EXPECT_THROW(plain.request("GET", "/hello"), std::exception);
}

TEST_F(HttpServerTlsTest, MutualTlsNeedsAClientCertificateFromTheConfiguredCa) {
  auto& server = start(tls_options(true));
  std::string why;
  EXPECT_FALSE(https_request(server.port(), "GET", "/hello", {pki.ca, "", ""}, {}, &why));
  EXPECT_FALSE(https_request(server.port(), "GET", "/hello", {pki.ca, pki.other_client_cert, pki.other_client_key}, {}, &why));
  auto ok = https_request(server.port(), "GET", "/hello", {pki.ca, pki.client_cert, pki.client_key}, {}, &why);
  ASSERT_TRUE(ok) << why;
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTlsTest, UnusableTlsFileFailsStartNamingIt) {
  ServerOptions o;
  o.tls = {pki.server_cert, "/nonexistent/server.key", ""};
  Server server(o);
  try {
    server.start();
    FAIL() << "start() should have thrown";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/server.key"), std::string::npos) << e.what();
  }
}

TEST_F(HttpServerTlsTest, GuardAnswersBeforeRouting) {
  ServerOptions o;
  o.guard = [](const Request& req) -> std::optional<Response> {
    if (req.headers.count("x-pass")) return std::nullopt;
    Response r;
    r.status = 401;
    r.body = R"({"error":"no"})";
    return r;
  };
  auto& server = start(o);
  nebula::http::testing::TestClient client(server.port());
  EXPECT_EQ(client.request("GET", "/hello").result_int(), 401u);
  EXPECT_EQ(client.request("GET", "/no-such-path").result_int(), 401u);  // unknown paths are not revealed
  EXPECT_EQ(client.request("GET", "/hello", "", {{"X-Pass", "1"}}).result_int(), 200u);
  EXPECT_EQ(client.request("GET", "/no-such-path", "", {{"X-Pass", "1"}}).result_int(), 404u);
}

}  // namespace

// Starting and stopping: bind errors, idle timeouts, and a stop() that neither
// hangs on idle keep-alive clients nor cuts an answer being produced.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>

#include "http/http_server.hpp"
#include "test_client.hpp"

using namespace nebula::http;
using nebula::http::testing::TestClient;
using namespace std::chrono_literals;

namespace {

// Far above what stop() needs, far below the idle timeout it must not wait for.
constexpr auto kStopBound = 10s;

Handler ok_handler() {
  return [](const Request&) {
    Response r;
    r.body = "{}";
    return r;
  };
}

ServerOptions options_with(unsigned idle_timeout_seconds) {
  ServerOptions options;
  options.threads = 2;
  options.idle_timeout_seconds = idle_timeout_seconds;
  return options;
}

}  // namespace

TEST(HttpServerLifecycle, BindFailureNamesTheAddress) {
  Server first(options_with(60));
  first.start();

  ServerOptions clash = options_with(60);
  clash.port = first.port();
  Server second(clash);
  try {
    second.start();
    FAIL() << "second server bound a port already in use";
  } catch (const std::runtime_error& e) {
    const std::string expected = "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": ";
    EXPECT_EQ(std::string(e.what()).rfind(expected, 0), 0u) << e.what();
  }
  second.stop();  // harmless on a server that never started
}

TEST(HttpServerLifecycle, InvalidAddressFailsToStart) {
  ServerOptions options = options_with(60);
  options.address = "999.1.2.3";
  Server server(options);
  EXPECT_THROW(server.start(), std::runtime_error);
}

TEST(HttpServerLifecycle, StopReturnsPromptlyWithIdleKeepAliveClient) {
  Server server(options_with(3600));
  server.route("GET", "/ping", ok_handler());
  server.start();

  TestClient idle(server.port());
  const auto res = idle.request("GET", "/ping");
  ASSERT_EQ(res.result_int(), 200);
  ASSERT_TRUE(res.keep_alive());

  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  ASSERT_EQ(stopped.wait_for(kStopBound), std::future_status::ready) << "stop() hung on an idle client";
  EXPECT_TRUE(idle.closed_by_server());
}

TEST(HttpServerLifecycle, StopLetsAnInFlightAnswerFinish) {
  Server server(options_with(3600));
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  server.route("GET", "/slow", [&](const Request&) {
    entered.set_value();
    released.wait();
    Response r;
    r.body = "\"done\"";
    return r;
  });
  server.start();

  TestClient client(server.port());
  client.write_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.get_future().wait();

  auto stopped = std::async(std::launch::async, [&] { server.stop(); });
  release.set_value();
  const auto res = client.read_response();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "\"done\"");
  ASSERT_EQ(stopped.wait_for(kStopBound), std::future_status::ready);
  EXPECT_TRUE(client.closed_by_server());
}

TEST(HttpServerLifecycle, StopFromOwnHandlerIsRefused) {
  Server server(options_with(60));
  server.route("POST", "/shutdown", [&server](const Request&) {
    server.stop();  // would join the thread it runs on
    return Response{};
  });
  server.start();
  TestClient client(server.port());
  EXPECT_EQ(client.request("POST", "/shutdown").result_int(), 500);
  EXPECT_EQ(client.request("POST", "/shutdown").result_int(), 500);  // still serving
}

TEST(HttpServerLifecycle, IdleKeepAliveConnectionIsClosedAfterTimeout) {
  Server server(options_with(1));
  server.route("GET", "/ping", ok_handler());
  server.start();

  TestClient client(server.port());
  ASSERT_EQ(client.request("GET", "/ping").result_int(), 200);
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_server());  // blocks until the server gives up on us
  EXPECT_GE(std::chrono::steady_clock::now() - before, 500ms);
}

TEST(HttpServerLifecycle, StopIsIdempotentAndServerCanRestart) {
  Server server(options_with(60));
  server.route("GET", "/ping", ok_handler());
  server.start();
  EXPECT_THROW(server.start(), std::logic_error);
  server.stop();
  server.stop();

  server.start();
  TestClient client(server.port());
  EXPECT_EQ(client.request("GET", "/ping").result_int(), 200);
}

TEST(HttpServerLifecycle, DestructorStopsWithClientsConnected) {
  auto server = std::make_unique<Server>(options_with(3600));
  server->route("GET", "/ping", ok_handler());
  server->start();
  TestClient a(server->port());
  TestClient b(server->port());
  ASSERT_EQ(a.request("GET", "/ping").result_int(), 200);

  auto destroyed = std::async(std::launch::async, [&] { server.reset(); });
  ASSERT_EQ(destroyed.wait_for(kStopBound), std::future_status::ready);
  EXPECT_TRUE(a.closed_by_server());
  EXPECT_TRUE(b.closed_by_server());
}

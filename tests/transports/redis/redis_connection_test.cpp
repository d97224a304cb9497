// Connection against a real redis-server: commands, pipelines, scripts,
// failures and recovery.
#include <gtest/gtest.h>

#include <functional>

#include "nebula_test/redis_server.hpp"
#include "redis_connection.hpp"

namespace nebula::redis {
namespace {

using namespace std::chrono_literals;

Endpoint endpoint_of(const nebula_test::RedisServerProcess& redis) { return parse_endpoint(redis.url()); }

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ConnectionError& e) {
    return e.what();
  }
  return "";
}

class RedisConnectionTest : public ::testing::Test {
 protected:
  nebula_test::RedisServerProcess redis_;
};

TEST_F(RedisConnectionTest, CommandsAreBinarySafeAndRepliesTyped) {
  Connection conn(endpoint_of(redis_));
  const std::string value("a\0b\r\nc", 6);
  Reply set = conn.command({"SET", "k", value});
  EXPECT_TRUE(set.is_string());
  EXPECT_EQ(set.str(), "OK");
  EXPECT_EQ(conn.command({"GET", "k"}).str(), value);
  EXPECT_TRUE(conn.command({"GET", "missing"}).is_nil());
  Reply n = conn.command({"INCRBY", "counter", "5"});
  EXPECT_TRUE(n.is_integer());
  EXPECT_EQ(n.integer(), 5);
  Reply wrong = conn.command({"LPUSH", "k", "x"});
  EXPECT_TRUE(wrong.is_error());
  EXPECT_EQ(wrong.error().substr(0, 9), "WRONGTYPE");
  EXPECT_TRUE(conn.connected());  // a Redis error is an answer, not a broken connection
}

TEST_F(RedisConnectionTest, ArraysAreViewedElementByElement) {
  Connection conn(endpoint_of(redis_));
  conn.command({"RPUSH", "list", "one", "two", "three"});
  Reply list = conn.command({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.at(0).str(), "one");
  EXPECT_EQ(list.at(2).str(), "three");
  EXPECT_THROW(list.at(3), std::out_of_range);
  Reply moved = std::move(list);
  EXPECT_EQ(moved.at(1).str(), "two");
  EXPECT_TRUE(list.is_nil());  // NOLINT(bugprone-use-after-move): a moved-from Reply is empty
}

TEST_F(RedisConnectionTest, PipelineAnswersInCommandOrder) {
  Connection conn(endpoint_of(redis_));
  auto replies = conn.pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"HGET", "a", "f"}, {"GET", "a"}});
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0].str(), "OK");
  EXPECT_EQ(replies[1].integer(), 2);
  EXPECT_TRUE(replies[2].is_error());  // one failing command does not spoil the others
  EXPECT_EQ(replies[3].str(), "2");
  EXPECT_TRUE(conn.pipeline({}).empty());
}

TEST_F(RedisConnectionTest, EvalRunsByShaAndResendsTheScriptAfterFlush) {
  Connection conn(endpoint_of(redis_));
  const Script script("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}");
  Reply first = conn.eval(script, {"hits"}, {"x"});
  ASSERT_TRUE(first.is_array()) << first.error();
  EXPECT_EQ(first.at(0).str(), "hits");
  EXPECT_EQ(first.at(1).str(), "x");
  EXPECT_EQ(first.at(2).integer(), 1);
  EXPECT_EQ(conn.command({"SCRIPT", "EXISTS", script.sha()}).at(0).integer(), 1);

  conn.command({"SCRIPT", "FLUSH"});
  EXPECT_EQ(conn.command({"SCRIPT", "EXISTS", script.sha()}).at(0).integer(), 0);
  Reply again = conn.eval(script, {"hits"}, {"y"});
  ASSERT_TRUE(again.is_array()) << again.error();
  EXPECT_EQ(again.at(2).integer(), 2);  // ran exactly once more
  EXPECT_EQ(conn.command({"SCRIPT", "EXISTS", script.sha()}).at(0).integer(), 1);
}

TEST_F(RedisConnectionTest, ScriptErrorsAreReplies) {
  Connection conn(endpoint_of(redis_));
  Reply r = conn.eval(Script("return redis.error_reply('NOPE broken')"), {}, {});
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.error(), "NOPE broken");
}

TEST_F(RedisConnectionTest, RefusedConnectionThrows) {
  Connection conn(endpoint_of(redis_));
  redis_.stop();
  const std::string why = message_of([&] { conn.command({"PING"}); });
  EXPECT_NE(why.find("connect failed"), std::string::npos) << why;
  EXPECT_NE(why.find(redis_.url()), std::string::npos) << why;
  EXPECT_FALSE(conn.connected());
}

TEST_F(RedisConnectionTest, ReconnectsOnItsOwnAfterARestart) {
  Connection conn(endpoint_of(redis_));
  conn.command({"SET", "kept", "yes"});
  redis_.kill();
  redis_.restart();
  // The dead socket is noticed before the command is sent: no error surfaces.
  EXPECT_EQ(conn.command({"GET", "kept"}).str(), "yes");  // fsynced AOF, reloaded
}

TEST_F(RedisConnectionTest, ServerDyingBetweenCommandsThrowsThenRecovers) {
  Connection conn(endpoint_of(redis_));
  conn.command({"PING"});
  redis_.kill();
  EXPECT_THROW(conn.command({"PING"}), ConnectionError);
  EXPECT_FALSE(conn.connected());
  redis_.restart();
  EXPECT_EQ(conn.command({"PING"}).str(), "PONG");
}

TEST_F(RedisConnectionTest, SilentServerTimesOut) {
  Endpoint ep = endpoint_of(redis_);
  ep.command_timeout = 200ms;
  Connection conn(ep);
  conn.command({"PING"});
  redis_.freeze();
  const auto started = std::chrono::steady_clock::now();
  const std::string why = message_of([&] { conn.command({"PING"}); });
  redis_.thaw();
  EXPECT_NE(why.find("no answer within 200 ms"), std::string::npos) << why;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(conn.command({"PING"}).str(), "PONG");
}

TEST_F(RedisConnectionTest, SelectsTheDatabase) {
  Endpoint ep = endpoint_of(redis_);
  ep.db = 3;
  Connection in_db3(ep);
  in_db3.command({"SET", "where", "three"});
  Connection in_db0(endpoint_of(redis_));
  EXPECT_TRUE(in_db0.command({"GET", "where"}).is_nil());
  EXPECT_EQ(in_db3.command({"GET", "where"}).str(), "three");
}

TEST(RedisConnectionAuth, AuthenticatesAndReportsAWrongPassword) {
  nebula_test::RedisServerProcess redis({"--requirepass", "s3cret"});
  Endpoint ep = parse_endpoint(redis.url());
  ep.password = "s3cret";
  Connection good(ep);
  EXPECT_EQ(good.command({"PING"}).str(), "PONG");

  ep.password = "guessed-pw-42";
  Connection bad(ep);
  const std::string why = message_of([&] { bad.connect(); });
  EXPECT_NE(why.find("AUTH failed"), std::string::npos) << why;
  EXPECT_EQ(why.find("guessed-pw-42"), std::string::npos) << "password leaked: " << why;
  EXPECT_FALSE(bad.connected());

  Connection none(parse_endpoint(redis.url()));
  EXPECT_TRUE(none.command({"GET", "x"}).is_error());  // NOAUTH is Redis's answer
}

}  // namespace
}  // namespace nebula::redis

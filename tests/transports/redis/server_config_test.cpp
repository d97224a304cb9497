// The server side's config, through the real module's validate_config.
#include "server_test_fixture.hpp"

#include "redis_server_config.hpp"

namespace nebula::transport_test {
namespace {

redis::ServerConfig read(const nlohmann::json& cfg, std::string* problems = nullptr) {
  ConfigErrors errors;
  auto c = redis::read_server_config(cfg, errors);
  if (problems) *problems = errors.text();
  return c;
}

TEST(RedisServerConfig, DefaultsMatchTheClientAndTheHost) {
  std::string problems;
  const auto c = read(nlohmann::json::object(), &problems);
  EXPECT_EQ(problems, "");
  EXPECT_EQ(c.endpoint.text(), "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c.stream, "nebula:records");
  EXPECT_EQ(c.shards, 8u);
  EXPECT_EQ(c.group, "nebula-pool");
  EXPECT_EQ(c.consumer, redis::default_consumer_name());
  EXPECT_FALSE(c.consumer.empty());
  EXPECT_EQ(c.claim_idle_ms, 30'000u);
  EXPECT_EQ(c.max_deliveries, 5u);
  EXPECT_EQ(c.read_count, 64u);
  EXPECT_EQ(c.shard_key(3), "nebula:records:3");
  EXPECT_EQ(c.members_key(), "nebula:records:members");
  EXPECT_EQ(c.taken_key("h1"), "nebula:records:taken:h1");
}

TEST(RedisServerConfig, PasswordAndTimeoutsReachTheEndpoint) {
  const auto c = read({{"url", "redis://10.0.0.5:7000/2"},
                       {"password", "s3cret"},
                       {"connect_timeout_ms", 300},
                       {"command_timeout_ms", 900}});
  EXPECT_EQ(c.endpoint.host, "10.0.0.5");
  EXPECT_EQ(c.endpoint.db, 2);
  EXPECT_EQ(c.endpoint.password, "s3cret");
  EXPECT_EQ(c.endpoint.connect_timeout.count(), 300);
  EXPECT_EQ(c.endpoint.command_timeout.count(), 900);
}

TEST(RedisServerConfig, ModuleReportsEveryProblemAtItsKey) {
  auto [status, message] = validate(redis_descriptor(), {{"url", "http://x"},
                                                         {"shards", 0},
                                                         {"consumer", "has space"},
                                                         {"heartbeat_ms", 1000},
                                                         {"member_timeout_ms", 1500},
                                                         {"max_deliveries", 0.5},
                                                         {"colour", "red"}});
  EXPECT_EQ(status, NEBULA_INVALID);
  EXPECT_NE(message.find("/url: redis endpoint 'http://x': must start with redis://"), std::string::npos) << message;
  EXPECT_NE(message.find("/shards: must be between 1 and 1024"), std::string::npos) << message;
  EXPECT_NE(message.find("/consumer: must not contain spaces"), std::string::npos) << message;
  EXPECT_NE(message.find("/member_timeout_ms: must be at least twice heartbeat_ms (1000)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("/max_deliveries: must be between 1 and 1000000, got 0.5"), std::string::npos) << message;
  EXPECT_NE(message.find("/colour: unknown key 'colour'"), std::string::npos) << message;
}

TEST(RedisServerConfig, ModuleAcceptsAFullConfig) {
  auto [status, message] = validate(redis_descriptor(), {{"url", "redis://127.0.0.1:6379/1"},
                                                         {"stream", "s"},
                                                         {"shards", 16},
                                                         {"group", "g"},
                                                         {"consumer", "pool-7"},
                                                         {"claim_idle_ms", 10'000},
                                                         {"max_deliveries", 3},
                                                         {"read_count", 100},
                                                         {"block_ms", 500},
                                                         {"heartbeat_ms", 200},
                                                         {"member_timeout_ms", 2000},
                                                         {"trim_interval_ms", 1000},
                                                         {"connect_timeout_ms", 1000},
                                                         {"command_timeout_ms", 2000},
                                                         {"password", "p"}});
  EXPECT_EQ(status, NEBULA_OK) << message;
}

}  // namespace
}  // namespace nebula::transport_test

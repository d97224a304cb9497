// Pure pieces of the Redis transport: endpoint URLs, the shard hash, script
// digests, backoff, splitting a batch by shard, the client config.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "batch_shards.hpp"
#include "redis_client_config.hpp"
#include "redis_connection.hpp"
#include "shard.hpp"
#include "sigpipe_guard.hpp"

namespace nebula::redis {
namespace {

using namespace std::chrono_literals;

std::string endpoint_error(const std::string& url) {
  try {
    parse_endpoint(url);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(RedisEndpoint, DefaultsPortAndDatabase) {
  const Endpoint ep = parse_endpoint("redis://cache.internal");
  EXPECT_EQ(ep.host, "cache.internal");
  EXPECT_EQ(ep.port, 6379);
  EXPECT_EQ(ep.db, 0);
  EXPECT_EQ(ep.password, "");
  EXPECT_EQ(ep.text(), "redis://cache.internal:6379/0");
}

TEST(RedisEndpoint, ReadsPortDatabaseAndTrailingSlash) {
  const Endpoint ep = parse_endpoint("redis://127.0.0.1:7000/3");
  EXPECT_EQ(ep.host, "127.0.0.1");
  EXPECT_EQ(ep.port, 7000);
  EXPECT_EQ(ep.db, 3);
  EXPECT_EQ(parse_endpoint("redis://h:7000/").db, 0);
}

TEST(RedisEndpoint, ReadsPasswordAndUserWithoutShowingThem) {
  const Endpoint ep = parse_endpoint("redis://:s%40cret@h:1/2");
  EXPECT_EQ(ep.password, "s@cret");
  EXPECT_EQ(ep.username, "");
  EXPECT_EQ(ep.text(), "redis://h:1/2");
  const Endpoint acl = parse_endpoint("redis://pool:pw@h");
  EXPECT_EQ(acl.username, "pool");
  EXPECT_EQ(acl.password, "pw");
}

TEST(RedisEndpoint, ReadsIpv6) {
  const Endpoint ep = parse_endpoint("redis://[::1]:7001/1");
  EXPECT_EQ(ep.host, "::1");
  EXPECT_EQ(ep.port, 7001);
  EXPECT_EQ(ep.db, 1);
  EXPECT_EQ(ep.text(), "redis://[::1]:7001/1");
}

TEST(RedisEndpoint, RefusesMalformedUrlsWithReasons) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"http://h:6379", "must start with redis://"},
      {"rediss://h:6379", "TLS (rediss://) is not supported"},
      {"redis://", "no host"},
      {"redis://:6379", "no host"},
      {"redis://h:", "empty port"},
      {"redis://h:0", "port must be a number from 1 to 65535"},
      {"redis://h:65536", "port must be a number from 1 to 65535"},
      {"redis://h:63x", "port must be a number"},
      {"redis://h:6379/x", "database must be a number"},
      {"redis://h:6379/-1", "database must be a number"},
      {"redis://h?db=1", "query strings"},
      {"redis://[::1:6379", "unclosed '['"},
      {"redis://pw@h", "credentials must be"},
      {"redis://:@h", "empty password"},
      {"redis://:p%4@h", "'%' not followed by two hex digits"},
  };
  for (const auto& [url, why] : cases) {
    const std::string message = endpoint_error(url);
    EXPECT_NE(message.find(why), std::string::npos) << url << " -> " << message;
    EXPECT_NE(message.find("redis endpoint"), std::string::npos) << message;
  }
}

TEST(RedisEndpoint, NeverEchoesAPassword) {
  const std::string message = endpoint_error("redis://:topsecret@h:99999");
  EXPECT_NE(message.find("port must be"), std::string::npos) << message;
  EXPECT_EQ(message.find("topsecret"), std::string::npos) << message;
}

TEST(RedisShard, Fnv1a64MatchesReferenceValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(RedisShard, ShardOfIsTheHashModuloAndKeysAreNumbered) {
  EXPECT_EQ(shard_of("foobar", 8), 0x85944171f73967e8ULL % 8);
  EXPECT_EQ(shard_of("anything", 1), 0u);
  EXPECT_THROW(shard_of("x", 0), std::invalid_argument);
  EXPECT_EQ(stream_key("nebula:records", 5), "nebula:records:5");
}

TEST(RedisScript, ShaIsTheSha1OfTheText) {
  const Script s("return 1");
  EXPECT_EQ(s.sha(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(s.text(), "return 1");
}

TEST(RedisBackoff, GrowsWithinTheCapAndResets) {
  Backoff backoff(100ms, 800ms);
  const std::vector<long long> caps{100, 200, 400, 800, 800, 800};
  for (long long cap : caps) {
    const auto d = backoff.next();
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d.count(), cap);
  }
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 100);
}

TEST(RedisBackoff, JittersAcrossTheWholeRange) {
  std::set<long long> seen;
  for (int i = 0; i < 200; ++i) {
    Backoff backoff(1000ms, 1000ms);
    seen.insert(backoff.next().count() / 250);  // which quarter of [0, 1000]
  }
  EXPECT_GE(seen.size(), 4u);
}

// The reconnect parameters the server side uses (nebula::Backoff, shared
// with the node client): ceilings 100 ms doubling to 5 s.
TEST(RedisBackoff, ReconnectCeilingsDoubleFrom100msTo5s) {
  Backoff backoff(kReconnectFirst, kReconnectMax);
  const std::vector<long long> ceilings{100, 200, 400, 800, 1600, 3200, 5000, 5000};
  for (long long ceiling : ceilings) {
    EXPECT_EQ(backoff.ceiling().count(), ceiling);
    EXPECT_LE(backoff.next().count(), ceiling);
  }
}

TEST(RedisBackoff, AZeroFirstDelayStillGrows) {
  Backoff backoff(0ms, 0ms);
  EXPECT_EQ(backoff.ceiling(), 1ms);
  EXPECT_LE(backoff.next().count(), 1);
}

TEST(RedisSigpipeGuard, WritingToAClosedSocketFailsInsteadOfKillingTheProcess) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ::close(fds[1]);
  {
    SigpipeGuard guard;
    errno = 0;
    EXPECT_EQ(::write(fds[0], "x", 1), -1);
    EXPECT_EQ(errno, EPIPE);
  }
  ::close(fds[0]);
}

TEST(RedisBatchShards, GroupsRecordsByNodeShardKeepingOrder) {
  nlohmann::json records = nlohmann::json::array();
  for (int seq = 0; seq < 4; ++seq)
    for (const char* node : {"a", "b", "c"}) records.push_back({{"node_id", node}, {"seq", seq}});
  const auto batch = split_by_shard(nlohmann::json{{"data_batch", records}}.dump(), 4);
  EXPECT_EQ(batch.records, 12u);
  size_t total = 0;
  for (const auto& shard : batch.shards) {
    std::map<std::string, int> last_seq;
    std::istringstream lines(shard.ndjson);
    size_t count = 0;
    for (std::string line; std::getline(lines, line); ++count) {
      const auto r = nlohmann::json::parse(line);
      const std::string node = r["node_id"];
      EXPECT_EQ(shard_of(node, 4), shard.shard);
      if (last_seq.count(node)) {
        EXPECT_GT(r["seq"].get<int>(), last_seq[node]);
      }
      last_seq[node] = r["seq"];
    }
    EXPECT_EQ(count, shard.records);
    total += count;
  }
  EXPECT_EQ(total, 12u);
}

TEST(RedisBatchShards, KeepsRecordsAsSentAndFillsInTheBatchNodeId) {
  const std::string batch =
      R"({"node_id":"n-1","data_batch":[{"seq":1,"zeta":{"b":2,"a":[1,"x\ny"]},"alpha":0.5}],"batch_size":1})";
  const auto out = split_by_shard(batch, 8);
  ASSERT_EQ(out.shards.size(), 1u);
  EXPECT_EQ(out.shards[0].ndjson, R"({"seq":1,"zeta":{"b":2,"a":[1,"x\ny"]},"alpha":0.5,"node_id":"n-1"})"
                                  "\n");
  EXPECT_EQ(out.shards[0].shard, shard_of("n-1", 8));
}

TEST(RedisBatchShards, RefusesWhatIsNotABatchOfIdentifiedRecords) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"not json", "not a data_batch document"},
      {R"({"node_id":"n"})", "not a data_batch document"},
      {R"({"data_batch":[1]})", "data_batch[0] is not an object"},
      {R"({"data_batch":[{"seq":1}]})", "data_batch[0] has no node_id"},
      {R"({"node_id":"n","data_batch":[{"seq":1},{"node_id":7}]})", "data_batch[1] has no node_id"},
      {R"({"data_batch":[{"node_id":""}]})", "data_batch[0] has no node_id"},
  };
  for (const auto& [text, why] : cases) {
    try {
      split_by_shard(text, 8);
      ADD_FAILURE() << "accepted " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), NEBULA_INVALID);
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << text << " -> " << e.what();
    }
  }
}

TEST(RedisClientConfig, DefaultsWhenEmpty) {
  ConfigErrors errors;
  const ClientConfig c = read_client_config(nlohmann::json::object(), errors);
  EXPECT_TRUE(errors.empty()) << errors.text();
  EXPECT_EQ(c.stream, "nebula:records");
  EXPECT_EQ(c.shards, 8u);
  EXPECT_EQ(c.max_length, 100000u);
  EXPECT_EQ(c.connect_timeout_ms, 2000u);
  EXPECT_EQ(c.command_timeout_ms, 5000u);
}

TEST(RedisClientConfig, ReportsEveryProblemAtItsPointer) {
  ConfigErrors errors;
  read_client_config({{"stream", ""},
                      {"shards", 0},
                      {"max_length", 1.5},
                      {"connect_timeout_ms", "fast"},
                      {"command_timeout_ms", -1},
                      {"password", 5},
                      {"shard", 4}},
                     errors);
  const std::string text = errors.text();
  for (const char* expected :
       {"/stream: must not be empty", "/shards: must be between 1 and 1024, got 0", "/max_length: must be a whole number",
        "/connect_timeout_ms: must be a number", "/command_timeout_ms: must be between 1 and 3600000, got -1",
        "/password: must be a string", "/shard: unknown key 'shard'"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << text;
  EXPECT_EQ(errors.size(), 7u) << text;
}

}  // namespace
}  // namespace nebula::redis

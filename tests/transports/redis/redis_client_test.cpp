// The client capability of the real nebula.transport.redis module, as the
// node library uses it, against a real redis-server.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "nebula_test/redis_server.hpp"
#include "redis_connection.hpp"
#include "shard.hpp"
#include "transport_test_support.hpp"

namespace nebula::transport_test {
namespace {

using redis::Connection;
using redis::parse_endpoint;
using redis::shard_of;

struct Entry {
  std::string id;
  std::map<std::string, std::string> fields;
  std::vector<nlohmann::json> records() const {
    std::vector<nlohmann::json> out;
    for (const auto& line : lines_of(fields.at("d"))) out.push_back(nlohmann::json::parse(line));
    return out;
  }
};

const nebula_plugin_descriptor* descriptor() { return library("nebula_transport_redis").find("nebula.transport.redis"); }

// A batch whose records carry their own node ids (several nodes per batch).
std::string multi_node_batch(const std::vector<std::pair<std::string, int64_t>>& records) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [node, seq] : records) list.push_back(make_record(node, seq));
  return nlohmann::json{{"data_batch", list}, {"batch_size", list.size()}}.dump();
}

class RedisClientTest : public ::testing::Test {
 protected:
  std::vector<Entry> entries(const std::string& key) {
    std::vector<Entry> out;
    redis::Reply r = inspect_.command({"XRANGE", key, "-", "+"});
    for (size_t i = 0; i < r.size(); ++i) {
      Entry e{std::string(r.at(i).at(0).str()), {}};
      redis::Reply fields = r.at(i).at(1);
      for (size_t f = 0; f + 1 < fields.size(); f += 2)
        e.fields[std::string(fields.at(f).str())] = std::string(fields.at(f + 1).str());
      out.push_back(std::move(e));
    }
    return out;
  }
  long long length(const std::string& key) { return inspect_.command({"XLEN", key}).integer(); }
  long long keys_in_db() { return inspect_.command({"DBSIZE"}).integer(); }
  std::string key_of(const std::string& node, size_t shards = 8, const std::string& prefix = "nebula:records") {
    return redis::stream_key(prefix, shard_of(node, shards));
  }

  nebula_test::RedisServerProcess redis_;
  Connection inspect_{parse_endpoint(redis_.url())};
};

TEST_F(RedisClientTest, PluginOffersTheClientCapability) {
  const auto* d = descriptor();
  EXPECT_EQ(d->kind, NEBULA_KIND_TRANSPORT);
  EXPECT_NE(d->get_capability(NEBULA_CAP_TRANSPORT_CLIENT), nullptr);
}

TEST_F(RedisClientTest, RecordsLandInTheirNodesShardStreams) {
  std::vector<std::pair<std::string, int64_t>> sent;
  for (int64_t seq = 0; seq < 3; ++seq)
    for (int node = 0; node < 20; ++node) sent.push_back({"node-" + std::to_string(node), seq});
  ClientUnderTest client(descriptor(), redis_.url());
  const auto d = client.deliver(multi_node_batch(sent));
  ASSERT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 60u);

  size_t records = 0;
  std::set<size_t> used_shards;
  for (size_t shard = 0; shard < 8; ++shard) {
    const auto list = entries("nebula:records:" + std::to_string(shard));
    if (list.empty()) continue;
    used_shards.insert(shard);
    ASSERT_EQ(list.size(), 1u) << "one entry per shard per batch";
    const Entry& e = list[0];
    EXPECT_EQ(e.fields.at("f"), "application/x-ndjson");
    const auto recs = e.records();
    EXPECT_EQ(e.fields.at("n"), std::to_string(recs.size()));
    std::map<std::string, int64_t> last_seq;
    for (const auto& r : recs) {
      const std::string node = r["node_id"];
      EXPECT_EQ(shard_of(node, 8), shard) << node;
      if (last_seq.count(node)) {
        EXPECT_GT(r["seq"].get<int64_t>(), last_seq[node]) << node;
      }
      last_seq[node] = r["seq"];
      EXPECT_EQ(r, make_record(node, r["seq"]));  // records unchanged
    }
    records += recs.size();
  }
  EXPECT_EQ(records, 60u);
  EXPECT_GE(used_shards.size(), 6u) << "20 node ids should spread over most of 8 shards";
}

TEST_F(RedisClientTest, KeepsEachNodesOrderAcrossBatches) {
  ClientUnderTest client(descriptor(), redis_.url(), {{"shards", 4}, {"stream", "fleet"}});
  for (int64_t first = 0; first < 30; first += 5) {
    const auto d = client.deliver(make_batch("validator-9", first, 5, /*records_carry_node=*/false));
    ASSERT_EQ(d.status, NEBULA_OK) << d.message;
  }
  const auto list = entries(key_of("validator-9", 4, "fleet"));
  ASSERT_EQ(list.size(), 6u);
  int64_t expected = 0;
  for (const auto& e : list)
    for (const auto& r : e.records()) {
      EXPECT_EQ(r["node_id"], "validator-9");  // inherited from the batch document
      EXPECT_EQ(r["seq"], expected++);
    }
  EXPECT_EQ(expected, 30);
}

TEST_F(RedisClientTest, WritesToTheSelectedDatabase) {
  ClientUnderTest client(descriptor(), redis_.url() + "/2");
  ASSERT_EQ(client.deliver(make_batch("n1", 0, 2)).status, NEBULA_OK);
  EXPECT_EQ(keys_in_db(), 0);
  Connection db2(parse_endpoint(redis_.url() + "/2"));
  EXPECT_EQ(db2.command({"XLEN", key_of("n1")}).integer(), 1);
}

TEST_F(RedisClientTest, FullStreamRefusesTheWholeBatch) {
  // Two nodes on different shards; the first node's stream reaches max_length.
  std::string crowded = "node-0", other;
  for (int i = 1; other.empty(); ++i)
    if (shard_of("node-" + std::to_string(i), 8) != shard_of(crowded, 8)) other = "node-" + std::to_string(i);
  ClientUnderTest client(descriptor(), redis_.url(), {{"max_length", 2}});
  ASSERT_EQ(client.deliver(make_batch(crowded, 0, 1)).status, NEBULA_OK);
  ASSERT_EQ(client.deliver(make_batch(crowded, 1, 1)).status, NEBULA_OK);

  const auto d = client.deliver(multi_node_batch({{other, 0}, {crowded, 2}}));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_EQ(d.retry_after_ms, 1000u);
  EXPECT_EQ(d.accepted, 0u);
  EXPECT_NE(std::string(d.message).find("max_length 2"), std::string::npos) << d.message;
  EXPECT_NE(std::string(d.message).find(key_of(crowded)), std::string::npos) << d.message;
  EXPECT_EQ(length(key_of(crowded)), 2);
  EXPECT_EQ(length(key_of(other)), 0) << "nothing of a refused batch may be added";

  inspect_.command({"XTRIM", key_of(crowded), "MAXLEN", "0"});  // the pool consumed and trimmed
  EXPECT_EQ(client.deliver(multi_node_batch({{other, 0}, {crowded, 2}})).status, NEBULA_OK);
  EXPECT_EQ(length(key_of(other)), 1);
}

TEST_F(RedisClientTest, KeyOfAnotherTypeIsRetriedAndNothingIsAdded) {
  inspect_.command({"SET", key_of("b"), "not a stream"});
  ClientUnderTest client(descriptor(), redis_.url());
  const auto d = client.deliver(multi_node_batch({{"a", 0}, {"b", 0}}));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("not a stream"), std::string::npos) << d.message;
  EXPECT_EQ(keys_in_db(), 1);
}

TEST_F(RedisClientTest, SurvivesAScriptCacheFlush) {
  ClientUnderTest client(descriptor(), redis_.url());
  ASSERT_EQ(client.deliver(make_batch("n", 0, 1)).status, NEBULA_OK);
  inspect_.command({"SCRIPT", "FLUSH"});
  const auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(length(key_of("n")), 2);
}

TEST_F(RedisClientTest, RedisDownIsRetryAndRecoversAfterRestart) {
  ClientUnderTest client(descriptor(), redis_.url());
  ASSERT_EQ(client.deliver(make_batch("n", 0, 1)).status, NEBULA_OK);
  redis_.kill();
  const auto down = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(down.status, NEBULA_RETRY);
  EXPECT_NE(std::string(down.message).find("127.0.0.1:" + std::to_string(redis_.port())), std::string::npos)
      << down.message;
  redis_.restart();
  const auto back = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(back.status, NEBULA_OK) << back.message;
  Connection after_restart(parse_endpoint(redis_.url()));
  EXPECT_EQ(after_restart.command({"XLEN", key_of("n")}).integer(), 2);  // the first entry survived in the AOF
}

TEST_F(RedisClientTest, SilentRedisIsRetryWithinTheCommandTimeout) {
  ClientUnderTest client(descriptor(), redis_.url(), {{"command_timeout_ms", 200}});
  ASSERT_EQ(client.deliver(make_batch("n", 0, 1)).status, NEBULA_OK);
  redis_.freeze();
  const auto d = client.deliver(make_batch("n", 1, 1));
  redis_.thaw();
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("no answer within 200 ms"), std::string::npos) << d.message;
}

TEST_F(RedisClientTest, UnreachableRedisIsRetry) {
  const int port = redis_.port();
  redis_.stop();
  ClientUnderTest client(descriptor(), "redis://127.0.0.1:" + std::to_string(port));
  const auto d = client.deliver(make_batch("n", 0, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("connect failed"), std::string::npos) << d.message;
}

TEST_F(RedisClientTest, BadBatchIsInvalidAndWritesNothing) {
  ClientUnderTest client(descriptor(), redis_.url());
  for (const std::string& batch : {std::string("{nope"), std::string(R"({"node_id":"n"})"),
                                  std::string(R"({"data_batch":[{"seq":1}]})"),
                                  std::string(R"({"node_id":"n","data_batch":[{"seq":1},{"node_id":3,"seq":2}]})")}) {
    const auto d = client.deliver(batch);
    EXPECT_EQ(d.status, NEBULA_INVALID) << batch;
    EXPECT_NE(std::string(d.message), "") << batch;
  }
  EXPECT_EQ(keys_in_db(), 0);
}

TEST_F(RedisClientTest, EmptyBatchIsAcceptedWithoutTouchingRedis) {
  ClientUnderTest client(descriptor(), redis_.url());
  const auto d = client.deliver(R"({"node_id":"n","data_batch":[],"batch_size":0})");
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 0u);
  EXPECT_EQ(keys_in_db(), 0);
}

TEST(RedisClientAuth, UsesThePasswordFromConfigOrUrl) {
  nebula_test::RedisServerProcess redis({"--requirepass", "pw-1"});
  ClientUnderTest from_config(descriptor(), redis.url(), {{"password", "pw-1"}});
  EXPECT_EQ(from_config.deliver(make_batch("n", 0, 1)).status, NEBULA_OK);
  ClientUnderTest from_url(descriptor(), "redis://:pw-1@127.0.0.1:" + std::to_string(redis.port()));
  EXPECT_EQ(from_url.deliver(make_batch("n", 1, 1)).status, NEBULA_OK);
  ClientUnderTest wrong(descriptor(), redis.url(), {{"password", "pw-2"}});
  const auto d = wrong.deliver(make_batch("n", 2, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("AUTH failed"), std::string::npos) << d.message;
}

// client_create's status and message.
std::pair<nebula_status, std::string> create_client(const std::string& endpoint, const nlohmann::json& config) {
  const auto* table =
      static_cast<const nebula_transport_client_v1*>(descriptor()->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
  char err[NEBULA_ERROR_CAP] = {0};
  void* client = nullptr;
  const nebula_status st = table->client_create(endpoint.c_str(), config.dump().c_str(), &client, err, sizeof err);
  if (client) table->client_destroy(client);
  return {st, err};
}

TEST(RedisClientConfigErrors, BadConfigOrEndpointIsInvalidAtCreate) {
  const std::vector<std::tuple<std::string, nlohmann::json, std::string>> cases{
      {"redis://127.0.0.1:6379", {{"shards", 2000}}, "/shards: must be between 1 and 1024, got 2000"},
      {"redis://127.0.0.1:6379", {{"max_length", 0}}, "/max_length: must be between 1"},
      {"redis://127.0.0.1:6379", {{"stream", 7}}, "/stream: must be a string"},
      {"redis://127.0.0.1:6379", {{"tls", true}}, "/tls: unknown key 'tls'"},
      {"redis://:a@127.0.0.1:6379", {{"password", "b"}}, "/password: the endpoint URL has a password too"},
      {"tcp://127.0.0.1:6379", nlohmann::json::object(), "must start with redis://"},
  };
  for (const auto& [endpoint, config, why] : cases) {
    const auto [status, message] = create_client(endpoint, config);
    EXPECT_EQ(status, NEBULA_INVALID) << config.dump();
    EXPECT_NE(message.find(why), std::string::npos) << config.dump() << " -> " << message;
  }
  EXPECT_EQ(create_client("redis://127.0.0.1:1", nlohmann::json::object()).first, NEBULA_OK)
      << "creating a client never connects";
}

}  // namespace
}  // namespace nebula::transport_test

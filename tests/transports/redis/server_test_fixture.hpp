// Fixture for the server side of nebula.transport.redis: a real redis-server,
// the real plugin module driven through its C table by the SDK's MockHost,
// and a connection of the test's own for writing entries the way the client
// does and for looking at the consumer group (XPENDING, the taken sets, ...).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "nebula_test/redis_server.hpp"
#include "redis_connection.hpp"
#include "shard.hpp"
#include "transport_test_support.hpp"

namespace nebula::transport_test {

inline const nebula_plugin_descriptor* redis_descriptor() {
  return library("nebula_transport_redis").find("nebula.transport.redis");
}

// A created redis server instance (ServerUnderTest) that also tells which
// shards it owns.
class RedisInstance : public ServerUnderTest {
 public:
  RedisInstance(testing::MockHost& host, const nlohmann::json& config)
      : ServerUnderTest(host, redis_descriptor(), config) {}

  std::vector<size_t> owned() const { return describe().at("owned_shards").get<std::vector<size_t>>(); }
};

class RedisServerTest : public ::testing::Test {
 protected:
  static constexpr const char* kGroup = "nebula-pool";

  // Fast settings so a test takes well under a second per step.
  nlohmann::json config(const std::string& consumer, nlohmann::json extra = nlohmann::json::object()) const {
    nlohmann::json c{{"url", redis_.url()},     {"shards", 2},           {"consumer", consumer},
                     {"block_ms", 50},          {"heartbeat_ms", 50},    {"member_timeout_ms", 1000},
                     {"claim_idle_ms", 60'000}, {"trim_interval_ms", 50}};
    c.update(extra);
    return c;
  }

  // The host's verdicts, in order; once used up, every submission is OK.
  void answer(std::deque<VerdictSpec> verdicts, testing::MockHost& host, SubmissionLog& log) {
    auto queue = std::make_shared<std::deque<VerdictSpec>>(std::move(verdicts));
    auto mu = std::make_shared<std::mutex>();
    host.on_submit([&log, queue, mu](const std::string& fmt, const std::string& payload, const std::string& meta,
                                     nebula_verdict* out) {
      log.add(fmt, payload, meta);
      VerdictSpec v{NEBULA_OK, 1, 0, -1, 0, 200, ""};
      std::lock_guard lock(*mu);
      if (!queue->empty()) {
        v = queue->front();
        queue->pop_front();
      }
      return fill_verdict(out, v);
    });
  }
  void answer(std::deque<VerdictSpec> verdicts) { answer(std::move(verdicts), host_, log_); }
  void accept_all(testing::MockHost& host, SubmissionLog& log) { answer({}, host, log); }
  void accept_all() { accept_all(host_, log_); }

  std::string key(size_t shard) const { return redis::stream_key("nebula:records", shard); }
  // XADD as the client writes it; returns the entry id.
  std::string add(size_t shard, const std::string& payload) {
    redis::Reply r = cmd({"XADD", key(shard), "*", "f", NEBULA_FORMAT_NDJSON, "d", payload, "n",
                          std::to_string(lines_of(payload).size())});
    return std::string(r.str());
  }
  std::string payload(const std::string& node, int64_t seq) const { return make_record(node, seq).dump() + "\n"; }

  redis::Reply cmd(const std::vector<std::string>& args) {
    redis::Reply r = conn_.command(args);
    if (r.is_error()) throw std::runtime_error(args[0] + ": " + r.error());
    return r;
  }
  void create_groups(size_t shards = 2) {
    for (size_t i = 0; i < shards; ++i) conn_.command({"XGROUP", "CREATE", key(i), kGroup, "0", "MKSTREAM"});
  }
  // A consumer that reads entries and then dies without acknowledging them.
  void read_as(const std::string& consumer, size_t shard, int count) {
    cmd({"XREADGROUP", "GROUP", kGroup, consumer, "COUNT", std::to_string(count), "STREAMS", key(shard), ">"});
  }
  long long pending(size_t shard) { return cmd({"XPENDING", key(shard), kGroup}).at(0).integer(); }
  // The consumer holding `id` ("" when it is not pending) and its delivery count.
  std::pair<std::string, long long> holder(size_t shard, const std::string& id) {
    redis::Reply r = cmd({"XPENDING", key(shard), kGroup, id, id, "1"});
    if (r.size() == 0) return {"", 0};
    return {std::string(r.at(0).at(1).str()), r.at(0).at(3).integer()};
  }
  // What taken:<consumer> holds: "<key> <id>" of entries claimed from it.
  std::vector<std::string> taken_from(const std::string& consumer) {
    redis::Reply r = cmd({"ZRANGE", "nebula:records:taken:" + consumer, "0", "-1"});
    std::vector<std::string> out;
    for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.at(i).str());
    std::sort(out.begin(), out.end());
    return out;
  }
  // Origins of what the host was handed, in order.
  static std::vector<std::string> origins(const SubmissionLog& log) {
    std::vector<std::string> out;
    for (const auto& s : log.all()) out.push_back(s.meta.value("origin", ""));
    return out;
  }
  std::vector<std::string> origins() const { return origins(log_); }
  std::string origin(size_t shard, const std::string& id) const { return key(shard) + " " + id; }

  nebula_test::RedisServerProcess redis_;
  redis::Connection conn_{redis::parse_endpoint(redis_.url())};
  TempDir dir_;
  testing::MockHost host_{dir_.path() / "host-a"};
  SubmissionLog log_;
};

}  // namespace nebula::transport_test

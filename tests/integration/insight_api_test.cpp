// The admin API's insight answers on the real nebula-pool process: history
// from a sink that keeps it (filters passed through, one answer shape), the
// in-memory answer and its refusals without one, and the live server-sent
// event stream, read off a raw socket as a browser's EventSource would.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>
#include <sstream>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

const char* kPipeline =
    "  - {id: http_in, plugin: nebula.transport.http, config: {address: 127.0.0.1, port: 0}}\n"
    "  - {id: count, plugin: nebula.test.counting, inputs: [http_in]}\n";

const char* kFastBatches = "pool: {batch_max_records: 10, batch_max_wait_ms: 20}\n";

std::string payload(const std::string& node, int seq) {
  return nlohmann::json{{"node_id", node},
                        {"data_batch",
                         {{{"timestamp", 1767225600 + seq}, {"seq", seq}, {"chain_id", "testnet"},
                           {"network", {{"peer_count", 8}}}}}},
                        {"batch_size", 1}}
      .dump();
}

void send(PoolProcess& pool, int seq) {
  const auto port = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  auto r = nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest", payload("n1", seq));
  ASSERT_EQ(r.status, 200) << r.body;
}

nlohmann::json get_json(PoolProcess& pool, const std::string& target, int expect_status = 200) {
  auto r = http_get(pool.admin_port, target);
  EXPECT_EQ(r.status, expect_status) << target << ": " << r.body;
  return nlohmann::json::parse(r.body);
}

}  // namespace

TEST(InsightApi, HistoryComesFromTheSinkThatKeepsItWithEveryFilterPassedOn) {
  PoolProcess pool(std::string(kPipeline) + "  - {id: history, plugin: nebula.test.recording_sink, inputs: [count]}\n",
                   std::string(kFastBatches) + "sinks: {batch_max_wait_ms: 20}", true);
  ASSERT_TRUE(pool.start()) << pool.log();
  send(pool, 1);
  ASSERT_TRUE(wait_until([&] { return !get_json(pool, "/api/v1/pool/insights?topic=counts")["insights"].empty(); }));
  auto doc = get_json(pool, "/api/v1/pool/insights?topic=counts&node_id=n1&chain_id=testnet&since=1.5&until=2e9&after="
                            "c1&limit=7");
  EXPECT_EQ(doc["from"], "history");
  EXPECT_EQ(doc["sink"], "history");
  // The test sink echoes the request it was given: every filter, typed.
  EXPECT_EQ(doc["request"], nlohmann::json({{"topic", "counts"},
                                            {"node_id", "n1"},
                                            {"chain_id", "testnet"},
                                            {"since", 1.5},
                                            {"until", 2e9},
                                            {"after", "c1"},
                                            {"limit", 7}}));
  EXPECT_EQ(doc["count"], doc["insights"].size());
  EXPECT_EQ(doc["insights"][0]["topic"], "counts");
  EXPECT_EQ(get_json(pool, "/api/v1/pool/insights?since=yesterday", 400)["error"],
            "since must be a number of seconds since the Unix epoch");
  EXPECT_EQ(get_json(pool, "/api/v1/pool/insights?limit=0", 400)["error"], "limit must be an integer between 1 and 1000");
}

// The history sink keeps `counts` only; `tallies` (another processor, not
// among its inputs) would always answer empty from it, so by topic alone it is
// served from memory, and the answer says so. A history filter still goes to
// the sink.
TEST(InsightApi, ATopicTheHistorySinkDoesNotKeepIsServedFromMemoryNotEmpty) {
  PoolProcess pool(std::string(kPipeline) +
                       "  - {id: tally, plugin: nebula.test.counting, inputs: [http_in], config: {topic: tallies}}\n"
                       "  - {id: history, plugin: nebula.test.recording_sink, inputs: [count]}\n",
                   std::string(kFastBatches) + "sinks: {batch_max_wait_ms: 20}", true);
  ASSERT_TRUE(pool.start()) << pool.log();
  send(pool, 1);
  ASSERT_TRUE(wait_until([&] { return !get_json(pool, "/api/v1/pool/insights?topic=tallies")["insights"].empty(); }));
  auto doc = get_json(pool, "/api/v1/pool/insights?topic=tallies&limit=5");
  EXPECT_EQ(doc["from"], "memory");
  EXPECT_EQ(doc["insights"][0]["source"], "tally");
  EXPECT_EQ(get_json(pool, "/api/v1/pool/insights?topic=counts&limit=5")["from"], "history");
  EXPECT_EQ(get_json(pool, "/api/v1/pool/insights?topic=tallies&node_id=n1")["from"], "history");
}

// Two processors emit `counts` and the history sink keeps one of them. Which
// one emitted last must not decide where the answer comes from: the sink keeps
// the topic, so history answers. (Seen in the real-chain test: `blockchain`
// comes from block_data and transactions, history keeps the latter's, and a
// run where block_data's came last was answered from memory every time.)
TEST(InsightApi, ATopicTheHistoryKeepsFromOneOfItsEmittersIsServedFromHistory) {
  PoolProcess pool(std::string(kPipeline) +
                       "  - {id: late, plugin: nebula.test.counting, inputs: [http_in], config: {delay_ms: 200}}\n"
                       "  - {id: history, plugin: nebula.test.recording_sink, inputs: [count]}\n",
                   std::string(kFastBatches) + "sinks: {batch_max_wait_ms: 20}", true);
  ASSERT_TRUE(pool.start()) << pool.log();
  send(pool, 1);
  // `late` emits 200 ms after `count` in the same cycle: the newest `counts` is its.
  ASSERT_TRUE(wait_until([&] {
    const std::string metrics = http_get(pool.admin_port, "/metrics").body;
    std::istringstream lines(metrics);
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("nebula_insights_total{") && line.find("component=\"late\"") != std::string::npos) return true;
    return false;
  }));
  const auto doc = get_json(pool, "/api/v1/pool/insights?topic=counts&limit=5");
  EXPECT_EQ(doc["from"], "history") << doc.dump();
}

TEST(InsightApi, WithoutAHistorySinkTheNewestAreServedFromMemoryAndHistoryFiltersAreRefused) {
  PoolProcess pool(kPipeline, kFastBatches, true);
  ASSERT_TRUE(pool.start()) << pool.log();
  send(pool, 1);
  ASSERT_TRUE(wait_until([&] { return !get_json(pool, "/api/v1/pool/insights?topic=counts")["insights"].empty(); }));
  auto doc = get_json(pool, "/api/v1/pool/insights?topic=counts&limit=5");
  EXPECT_EQ(doc["from"], "memory");
  EXPECT_TRUE(doc["insights"][0]["data"].is_object());
  const auto refused = get_json(pool, "/api/v1/pool/insights?node_id=n1", 400);
  EXPECT_NE(refused["error"].get<std::string>().find("nebula.sink.sqlite"), std::string::npos) << refused.dump();
}

TEST(InsightApi, TheStreamSendsEachNewInsightAsAServerSentEvent) {
  PoolProcess pool(kPipeline, kFastBatches, true);
  ASSERT_TRUE(pool.start()) << pool.log();
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::asio::ip::tcp::resolver resolver(io);
  boost::asio::connect(socket, resolver.resolve("127.0.0.1", std::to_string(pool.admin_port)));
  const std::string request = "GET /api/v1/pool/insights/stream?topic=counts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Accept: text/event-stream\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  boost::asio::streambuf buffer;
  boost::asio::read_until(socket, buffer, "\r\n\r\n");
  std::istream in(&buffer);
  std::string status;
  std::getline(in, status);
  EXPECT_EQ(status, "HTTP/1.1 200 OK\r");
  std::string header, headers;
  while (std::getline(in, header) && header != "\r") headers += header + "\n";
  EXPECT_NE(headers.find("Content-Type: text/event-stream"), std::string::npos) << headers;

  // The subscription comment comes first: from then on nothing is missed.
  boost::asio::read_until(socket, buffer, "\n\n");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, ": subscribed to topic counts");
  std::getline(in, line);  // the blank line ending it
  // One record at a time, each awaited as its event: two quick sends could share a batch.
  std::vector<nlohmann::json> events;
  for (int seq = 1; seq <= 2; ++seq) {
    send(pool, seq);
    boost::asio::read_until(socket, buffer, "\n\n");
    std::string id, event, data;
    std::getline(in, id);
    std::getline(in, event);
    std::getline(in, data);
    std::getline(in, line);
    ASSERT_EQ(id.rfind("id: ", 0), 0u) << id;
    EXPECT_EQ(event, "event: counts");
    ASSERT_EQ(data.rfind("data: ", 0), 0u) << data;
    auto item = nlohmann::json::parse(data.substr(6));
    EXPECT_EQ(item["topic"], "counts");
    EXPECT_EQ(std::to_string(item["sequence"].get<uint64_t>()), id.substr(4));
    EXPECT_EQ(item["data"]["total"], seq);  // the counting processor's running total
    events.push_back(std::move(item));
  }
  EXPECT_LT(events[0]["sequence"].get<uint64_t>(), events[1]["sequence"].get<uint64_t>());
}

// Conformance with the architecture document (shared/seed/): its nodes'
// payloads, character for character as Python's json.dumps writes them, sent
// to the real pool over HTTP, TCP and the file spool. Every metric sent must
// come out of the processors in its column (an echo processor publishes each
// record as the processors saw it), and the real network monitor must count
// the peers the document's records carry.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

namespace {

using nlohmann::json;

// A float as Python's json.dumps writes it (repr: shortest, "1765000000.0").
std::string py(double v) { return json(v).dump(); }
std::string py(int v) { return std::to_string(v); }

// NodePoolInterface.submit_buffered_data(): one batch of
// collect_node_metrics() records. A Basic node has no performance_metrics.
std::string node_pool_batch(const std::string& node, const std::string& type, const std::string& chain, double t0,
                            bool performance) {
  std::string records;
  for (int i = 0; i < 2; ++i) {
    const double t = t0 + 5 * i;
    records += std::string(i ? ", " : "") + "{\"timestamp\": " + py(t) + ", \"node_id\": \"" + node +
               "\", \"node_type\": \"" + type + "\", \"chain_id\": \"" + chain +
               "\", \"blockchain_metrics\": {\"current_height\": " + py(1200 + i) +
               ", \"blocks_processed_last_interval\": 1, \"transaction_count\": " + py(5400 + 37 * i) +
               ", \"mining_hash_rate\": 0}, \"network_metrics\": {\"peer_count\": " + py(17 + i) +
               ", \"average_latency\": 80.5, \"bandwidth_usage\": 1536.25, \"connection_quality\": 0.93}";
    if (performance)
      records += ", \"performance_metrics\": {\"cpu_usage\": 31.5, \"memory_usage\": 44.25, \"uptime\": " + py(86400.5 + 5 * i) + "}";
    records += "}";
  }
  return "{\"node_id\": \"" + node + "\", \"data_batch\": [" + records +
         "], \"batch_size\": 2, \"submission_time\": " + py(t0 + 10) + "}";
}

// UniversalDataCollector.send_to_processing_pool(): no node id anywhere.
std::string contribution(double t, const std::string& type, const std::string& chain, bool full) {
  std::string data = "{\"blocks_processed\": 2, \"transactions_seen\": 340, \"network_latency\": 41.5, "
                     "\"peer_count\": 8, \"node_type\": \"" +
                     type + "\", \"chain_id\": \"" + chain + "\"";
  if (full)
    data += ", \"transaction_analysis\": {\"tx_rate\": 4.5, \"mempool_size\": 812, \"average_fee\": 0.0021}, "
            "\"ai_metrics\": {\"anomaly_score\": 0.12, \"model_confidence\": 0.8}";
  data += "}";
  return "{\"timestamp\": " + py(t) + ", \"node_data\": " + data +
         ", \"data_type\": \"node_contribution\"}";
}

// The records a payload should produce, as canonical columns.
json expected_rows(const std::string& payload) {
  const json doc = json::parse(payload);
  json rows = json::array();
  if (doc.contains("node_data")) {
    const json& d = doc["node_data"];
    json row{{"timestamp", doc["timestamp"]},
             {"node_type", d["node_type"]},
             {"chain_id", d["chain_id"]},
             {"blockchain.blocks_processed_last_interval", d["blocks_processed"]},
             {"blockchain.transaction_count", d["transactions_seen"]},
             {"network.average_latency", d["network_latency"]},
             {"network.peer_count", d["peer_count"]}};
    json extra = json::object();
    for (const char* key : {"transaction_analysis", "ai_metrics"})
      if (d.contains(key)) extra[key] = d[key];
    if (!extra.empty()) row["extra"] = extra;
    rows.push_back(row);
    return rows;
  }
  for (const json& r : doc["data_batch"]) {
    json row{{"timestamp", r["timestamp"]}, {"node_id", r["node_id"]}, {"node_type", r["node_type"]},
             {"chain_id", r["chain_id"]}};
    for (const char* group : {"blockchain", "network", "performance"})
      if (auto it = r.find(std::string(group) + "_metrics"); it != r.end())
        for (const auto& [leaf, value] : it->items()) row[std::string(group) + "." + leaf] = value;
    rows.push_back(row);
  }
  return rows;
}

class SeedPayloads : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(pool.dir / "spool");
    pool.dir.write("pipeline.yaml",
                   "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR "\"]\n"
                   "state_dir: state\nadmin: {port: 0}\npool: {batch_max_records: 50, batch_max_wait_ms: 50}\n"
                   "components:\n"
                   "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
                   "  - {id: tcp_in, plugin: nebula.transport.tcp, config: {port: 0}}\n"
                   "  - {id: file_in, plugin: nebula.transport.file, config: {paths: [\"" +
                       (pool.dir / "spool").string() +
                       "/*.jsonl\"], poll_interval_ms: 20}}\n"
                       "  - {id: echo, plugin: nebula.test.echo, inputs: [http_in, tcp_in, file_in]}\n"
                       "  - {id: network, plugin: nebula.processor.network_monitor, inputs: [http_in, tcp_in, "
                       "file_in]}\n");
    ASSERT_TRUE(pool.start()) << pool.log();
  }

  void TearDown() override {
    pool.process->signal(SIGTERM);
    auto code = pool.process->wait_exit(std::chrono::seconds(20));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << pool.log();
  }

  unsigned short port(const char* transport) {
    return pool.endpoints["transports"][transport]["port"].get<unsigned short>();
  }

  // Every row the echo processor has published so far.
  json echoed() {
    auto doc = json::parse(nebula_test::http_get(pool.admin_port, "/api/v1/pool/insights?topic=records&limit=1000").body);
    json rows = json::array();
    for (auto& in : doc["insights"])
      for (auto& row : in["data"]["rows"]) rows.push_back(row);
    return rows;
  }

  // Waits for a row with this timestamp and returns it; null if none came.
  json row_at(double timestamp) {
    json found;
    nebula_test::wait_until([&] {
      for (auto& row : echoed())
        if (row.value("timestamp", 0.0) == timestamp) found = row;
      return !found.is_null();
    });
    return found;
  }

  // Every sent value is in the echoed row of the same timestamp.
  void expect_every_metric_arrived(const std::string& payload, const std::string& via) {
    for (const json& want : expected_rows(payload)) {
      const json got = row_at(want["timestamp"].get<double>());
      ASSERT_FALSE(got.is_null()) << via << ": no record with timestamp " << want["timestamp"] << "; the echo saw " << echoed().dump()
                                  << "\n" << pool.log();
      for (const auto& [column, value] : want.items())
        EXPECT_EQ(got.value(column, json()), value) << via << ": column " << column << " of " << got.dump();
      EXPECT_FALSE(got.value("node_id", "").empty()) << via;
    }
  }

  PoolProcess pool{""};
};

// One batch over TCP: the payload's records (or the contribution) as lines, then a commit.
json send_tcp(unsigned short port, const std::vector<std::string>& lines) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::connect(socket, asio::ip::tcp::resolver(io).resolve("127.0.0.1", std::to_string(port)));
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  out += R"({"nebula":"commit","batch":1})" "\n";
  asio::write(socket, asio::buffer(out));
  asio::streambuf in;
  asio::read_until(socket, in, '\n');
  std::string ack((std::istreambuf_iterator<char>(&in)), std::istreambuf_iterator<char>());
  return json::parse(ack.substr(0, ack.find('\n')));
}

std::vector<std::string> record_lines(const std::string& batch_payload) {
  std::vector<std::string> lines;
  const json doc = json::parse(batch_payload);  // named: a range-for over a temporary's member dangles
  for (const json& r : doc["data_batch"]) lines.push_back(r.dump());
  return lines;
}

// The document's payloads of one round, with timestamps from `t0`.
std::vector<std::string> round_of_payloads(double t0) {
  return {node_pool_batch("mainnet-node-1", "mainnet", "mainnet", t0, true),
          node_pool_batch("testnet-node-1", "testnet", "testnet", t0 + 1, true),
          node_pool_batch("basic-node-1", "basic", "testnet", t0 + 2, false),
          contribution(t0 + 3, "full", "mainnet", true), contribution(t0 + 4, "simple", "testnet", false)};
}

constexpr double kT0 = 1'765'000'000.0;

TEST_F(SeedPayloads, OverHttpEveryMetricArrivesAndContributionsGetAnIdentity) {
  for (const auto& payload : round_of_payloads(kT0)) {
    auto res = nebula_test::http_request("127.0.0.1", port("http_in"), "POST", "/api/v1/pool/ingest", payload);
    ASSERT_EQ(res.status, 200) << res.body;
    const json answer = json::parse(res.body);
    EXPECT_EQ(answer["status"], "accepted") << res.body;
    if (payload.find("node_data") != std::string::npos) {
      EXPECT_EQ(answer["identity"]["source"], "derived") << res.body;
      EXPECT_EQ(answer["identity"]["node_id"].get<std::string>().rfind("anon:", 0), 0u) << res.body;
    } else {
      EXPECT_FALSE(answer.contains("warnings")) << res.body;
    }
    expect_every_metric_arrived(payload, "http");
  }
  // The full and the simple node behind one address stay two nodes.
  EXPECT_NE(row_at(kT0 + 3)["node_id"], row_at(kT0 + 4)["node_id"]);

  // The real network monitor reads the peers the document's records carry
  // (before, every peer_count was null: the groups were unknown extras).
  double most_peers = 0;
  EXPECT_TRUE(nebula_test::wait_until([&] {
    auto doc = json::parse(nebula_test::http_get(pool.admin_port, "/api/v1/pool/insights?topic=network&limit=100").body);
    for (auto& in : doc["insights"]) {
      const json peers = in["data"].value("/chains/mainnet/peer_count/max"_json_pointer, json());
      if (peers.is_number()) most_peers = std::max(most_peers, peers.get<double>());
    }
    return most_peers == 18.0;
  })) << "largest mainnet peer_count seen: " << most_peers;
}

TEST_F(SeedPayloads, OverTcpEveryMetricArrives) {
  for (const auto& payload : round_of_payloads(kT0 + 100)) {
    const bool single = payload.find("node_data") != std::string::npos;
    const json ack = send_tcp(port("tcp_in"), single ? std::vector<std::string>{json::parse(payload).dump()}
                                                     : record_lines(payload));
    ASSERT_EQ(ack["status"], "accepted") << ack.dump();
    if (single) {
      EXPECT_EQ(ack["identity"]["source"], "derived") << ack.dump();
    }
    expect_every_metric_arrived(payload, "tcp");
  }
}

TEST_F(SeedPayloads, ThroughTheFileSpoolEveryMetricArrives) {
  std::ofstream spool(pool.dir / "spool" / "seed.jsonl", std::ios::app);
  const auto payloads = round_of_payloads(kT0 + 200);
  for (const auto& payload : payloads) {
    const bool single = payload.find("node_data") != std::string::npos;
    for (const auto& line : single ? std::vector<std::string>{json::parse(payload).dump()} : record_lines(payload))
      spool << line << "\n";
  }
  spool.close();
  for (const auto& payload : payloads) expect_every_metric_arrived(payload, "file");
}

TEST_F(SeedPayloads, ARecordWithNoKnownMetricIsAcceptedWithAWarningAndCounted) {
  const std::string payload =
      R"({"node_id": "odd-1", "data_batch": [{"timestamp": 1765000300.0, "chain_stats": {"height": 5}}], "batch_size": 1})";
  auto res = nebula_test::http_request("127.0.0.1", port("http_in"), "POST", "/api/v1/pool/ingest", payload);
  ASSERT_EQ(res.status, 200) << res.body;
  const json answer = json::parse(res.body);
  ASSERT_EQ(answer["warnings"].size(), 1u) << res.body;
  EXPECT_EQ(answer["warnings"][0]["reason"], "no known metric found; unknown groups: chain_stats");
  const std::string metrics = nebula_test::http_get(pool.admin_port, "/metrics").body;
  EXPECT_NE(metrics.find("nebula_ingest_empty_records_total{component=\"http_in\"} 1"), std::string::npos) << metrics;
}

}  // namespace

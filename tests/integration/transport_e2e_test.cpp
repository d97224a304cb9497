// Each transport end to end: nebula-node simulate (the real node client
// library and the transport plugin's client side) sends a fleet to the real
// nebula-pool (the plugin's server side); every (node_id, seq) arrives at the
// processors exactly once — none missing, none duplicated.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

constexpr int kNodes = 6;
constexpr int kSteps = 30;

struct Case {
  const char* name;
  std::string component;  // YAML for the transport component, id "in"
  std::string endpoint;   // for nebula-node; "{dir}" is replaced by the test dir
};

class TransportEndToEnd : public ::testing::TestWithParam<Case> {};

std::string replace_dir(std::string s, const std::string& dir) {
  for (size_t p; (p = s.find("{dir}")) != std::string::npos;) s.replace(p, 5, dir);
  return s;
}

}  // namespace

TEST_P(TransportEndToEnd, EveryRecordArrivesExactlyOnce) {
  const Case& c = GetParam();
  PoolProcess pool("", "pool: {batch_max_records: 50, batch_max_wait_ms: 50}");
  const std::string dir = pool.dir.path().string();
  std::filesystem::create_directories(pool.dir / "spool");
  pool.dir.write("pipeline.yaml",
                 "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR "\"]\n"
                 "state_dir: state\nadmin: {port: 0}\npool: {batch_max_records: 50, batch_max_wait_ms: 50}\n"
                 "components:\n" + replace_dir(c.component, dir) +
                 "  - {id: count, plugin: nebula.test.counting, inputs: [in]}\n");
  ASSERT_TRUE(pool.start()) << pool.log();

  std::string endpoint = replace_dir(c.endpoint, dir);
  if (endpoint.find("{port}") != std::string::npos)
    endpoint.replace(endpoint.find("{port}"), 6, std::to_string(pool.endpoints["transports"]["in"]["port"].get<int>()));
  auto [code, out] = nebula_test::run_and_capture(
      std::string(NEBULA_NODE_BIN) + " simulate --testnet 2 --mainnet 2 --basic 1 --full 1 --steps " +
      std::to_string(kSteps) + " --max-rate --seed 3 --stats-every 0 --batch-size 7 --plugin-dir " NEBULA_PLUGIN_DIR
      " --spill-dir " + dir + "/node-spill --endpoint " + endpoint);
  ASSERT_EQ(code, 0) << out;

  const int expected = kNodes * kSteps;
  ASSERT_TRUE(wait_until([&] {
    auto stats = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body);
    return stats["pool"]["records_processed"].get<int>() >= expected;
  })) << pool.log();

  // The counting processor lists the (node_id, seq) of every record it saw.
  auto doc = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/insights?topic=counts&limit=1000").body);
  std::map<std::pair<std::string, int64_t>, int> seen;
  for (auto& in : doc["insights"])
    if (in["data"].contains("seqs"))
      for (auto& pair : in["data"]["seqs"]) ++seen[{pair[0].get<std::string>(), pair[1].get<int64_t>()}];
  int duplicates = 0;
  std::map<std::string, std::set<int64_t>> per_node;
  for (auto& [key, n] : seen) {
    duplicates += n - 1;
    per_node[key.first].insert(key.second);
  }
  EXPECT_EQ(duplicates, 0);
  ASSERT_EQ(per_node.size(), static_cast<size_t>(kNodes));
  for (auto& [node, seqs] : per_node) {
    EXPECT_EQ(seqs.size(), static_cast<size_t>(kSteps)) << node;
    EXPECT_EQ(*seqs.begin(), 0) << node;
    EXPECT_EQ(*seqs.rbegin(), kSteps - 1) << node;
  }
  auto stats = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body);
  EXPECT_EQ(stats["pool"]["records_accepted"].get<int>(), expected);
  EXPECT_EQ(stats["pool"]["records_rejected"].get<int>(), 0);

  pool.process->signal(SIGTERM);
  auto exit_code = pool.process->wait_exit(std::chrono::seconds(20));
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 0) << pool.log();
}

INSTANTIATE_TEST_SUITE_P(
    Transports, TransportEndToEnd,
    ::testing::Values(Case{"http", "  - {id: in, plugin: nebula.transport.http, config: {port: 0}}\n",
                           "http://127.0.0.1:{port}"},
                      Case{"tcp", "  - {id: in, plugin: nebula.transport.tcp, config: {port: 0}}\n",
                           "tcp://127.0.0.1:{port}"},
                      Case{"file",
                           "  - id: in\n    plugin: nebula.transport.file\n    config:\n"
                           "      paths: [\"{dir}/spool/*.jsonl\"]\n      poll_interval_ms: 20\n",
                           "file://{dir}/spool/fleet.jsonl"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// One transport end to end: nebula-node simulate (the real node client
// library and the transport plugin's client side) sends a fleet to the real
// nebula-pool (the plugin's server side); every (node_id, seq) must arrive
// at the processors exactly once — none missing, none duplicated. Shared by
// the plain transport cases and the TLS ones (tests/security).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>
#include <string>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

namespace nebula_e2e {

struct Case {
  const char* name;
  std::string component;   // YAML for the transport component, id "in"
  std::string endpoint;    // for nebula-node; "{dir}" is the test dir, "{port}" the transport's port
  std::string node_flags;  // more nebula-node flags, e.g. --transport-config '{...}'
};

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, from.size(), to);
  return s;
}

inline void expect_every_record_exactly_once(const Case& c) {
  constexpr int kNodes = 6;
  constexpr int kSteps = 30;
  using nebula_test::http_get;
  PoolProcess pool("", "pool: {batch_max_records: 50, batch_max_wait_ms: 50}");
  const std::string dir = pool.dir.path().string();
  std::filesystem::create_directories(pool.dir / "spool");
  pool.dir.write("pipeline.yaml",
                 "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR "\"]\n"
                 "state_dir: state\nadmin: {port: 0}\npool: {batch_max_records: 50, batch_max_wait_ms: 50}\n"
                 "components:\n" + replace_all(c.component, "{dir}", dir) +
                 "  - {id: count, plugin: nebula.test.counting, inputs: [in]}\n");
  ASSERT_TRUE(pool.start()) << pool.log();

  std::string endpoint = replace_all(c.endpoint, "{dir}", dir);
  if (endpoint.find("{port}") != std::string::npos)  // the file transport has no port
    endpoint = replace_all(endpoint, "{port}", std::to_string(pool.endpoints["transports"]["in"]["port"].get<int>()));
  auto [code, out] = nebula_test::run_and_capture(
      std::string(NEBULA_NODE_BIN) + " simulate --testnet 2 --mainnet 2 --basic 1 --full 1 --steps " +
      std::to_string(kSteps) + " --max-rate --seed 3 --stats-every 0 --batch-size 7 --plugin-dir " NEBULA_PLUGIN_DIR
      " --spill-dir " + dir + "/node-spill --endpoint " + endpoint + " " + c.node_flags);
  ASSERT_EQ(code, 0) << out;

  const int expected = kNodes * kSteps;
  ASSERT_TRUE(nebula_test::wait_until([&] {
    auto stats = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/stats").body);
    return stats["pool"]["records_processed"].get<int>() >= expected;
  })) << pool.log();

  // The counting processor lists the (node_id, seq) of every record it saw.
  // Its last insights reach the admin API a little after their batch counts
  // as processed, so the pairs are awaited, not read once.
  std::map<std::pair<std::string, int64_t>, int> seen;
  const bool all_seen = nebula_test::wait_until([&] {
    seen.clear();
    auto doc = nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/pool/insights?topic=counts&limit=1000").body);
    for (auto& in : doc["insights"])
      if (in["data"].contains("seqs"))
        for (auto& pair : in["data"]["seqs"]) ++seen[{pair[0].get<std::string>(), pair[1].get<int64_t>()}];
    return seen.size() >= static_cast<size_t>(expected);
  });
  EXPECT_TRUE(all_seen) << seen.size() << " of " << expected << " (node_id, seq) pairs seen";
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

}  // namespace nebula_e2e

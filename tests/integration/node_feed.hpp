// Eight testnet nodes' records over HTTP, shaped so the pattern and learning
// processors produce training examples an agent learns from.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

// Steps from..from+steps-1 (5 s apart) of each node, one request per node.
inline void send_node_records(unsigned short port, int from, int steps) {
  for (int node = 0; node < 8; ++node) {
    nlohmann::json batch = nlohmann::json::array();
    for (int s = from; s < from + steps; ++s)
      batch.push_back({{"timestamp", 1767225600.0 + 5.0 * s}, {"seq", s}, {"chain_id", "testnet"},
                       {"node_type", "testnet"},
                       {"blockchain", {{"current_height", 1000 + s}, {"blocks_processed_last_interval", 1},
                                       {"transaction_count", 30 * s}, {"mining_hash_rate", 50.0 + node}}},
                       {"network", {{"peer_count", 10 + node}, {"average_latency", 30.0 + 2 * node},
                                    {"bandwidth_usage", 200.0}, {"connection_quality", 0.9}}},
                       {"performance", {{"cpu_usage", 25.0}, {"memory_usage", 40.0}, {"uptime", 5.0 * s}}}});
    auto r = nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest",
                                       nlohmann::json{{"node_id", "node-" + std::to_string(node)}, {"data_batch", batch}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
}

// The components that turn send_node_records() into training examples:
// HTTP ingest ("http_in") → pattern processor ("patterns") → learning
// processor ("learning"). Append an agent reading [learning, patterns].
inline const std::string kNodeFeedComponents =
    "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
    "  - {id: patterns, plugin: nebula.processor.pattern, inputs: [http_in]}\n"
    "  - {id: learning, plugin: nebula.processor.learning, inputs: [http_in, patterns]}\n";

// The smallest pipeline that feeds the real Analyst (HTTP → pattern and
// learning processors → analyst); start it after use_in_tree_plugins().
inline const std::string kAnalystComponents =
    kNodeFeedComponents + "  - {id: analyst, plugin: nebula.agent.analyst, inputs: [learning, patterns]}\n";

// Adds the in-tree plugin folder to the pool's plugin paths (before start()).
inline void use_in_tree_plugins(PoolProcess& pool) {
  std::string yaml = nebula_test::read_file(pool.yaml());
  yaml.replace(yaml.find("test-plugins\"]"), 14, "test-plugins\", \"" NEBULA_PLUGIN_DIR "\"]");
  pool.dir.write("pipeline.yaml", yaml);
}

// Makes the in-tree plugin folder the pool's only plugin path (before
// start()), for test targets that do not build the test fixture plugins.
inline void only_in_tree_plugins(PoolProcess& pool) {
  const std::string fixtures = NEBULA_BINARY_DIR "/test-plugins";
  std::string yaml = nebula_test::read_file(pool.yaml());
  yaml.replace(yaml.find(fixtures), fixtures.size(), NEBULA_PLUGIN_DIR);
  pool.dir.write("pipeline.yaml", yaml);
}

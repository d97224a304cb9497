// Shared pieces of the durability (and scale-out) tests: fixed ports that
// survive a restart, simulated node fleets, the ledger the test processor
// writes and the exactly-once check on it, and pool stats.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

namespace durability {

// Rewrites the pool's pipeline.yaml: the test plugins and the real ones.
inline void write_pipeline(PoolProcess& pool, const std::string& settings, const std::string& components) {
  pool.dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR
                                  "\"]\nstate_dir: state\nadmin: {port: 0}\nshutdown: {timeout_ms: 20000}\n" +
                                      settings + "\ncomponents:\n" + components);
}

// A port nothing listens on right now (the pool binds it with SO_REUSEADDR,
// so it stays usable across kill -9 and restart).
using nebula_test::free_port;

// A `nebula-node simulate` fleet: `nodes` nodes of network `kind` ("testnet",
// "mainnet"), `steps` records each at full rate, sent to `endpoint`.
struct Fleet {
  std::string kind;
  int nodes = 0;
  int steps = 0;
  int seed = 0;
};

// Where start_fleet() has the fleet log: dir/fleet-<kind>.log.
inline std::filesystem::path fleet_log(const std::filesystem::path& dir, const Fleet& fleet) {
  return dir / ("fleet-" + fleet.kind + ".log");
}

// Runs the fleet, spilling to dir/spill-<kind>; it exits 0 once every record
// it made was accepted.
inline std::unique_ptr<nebula_test::ChildProcess> start_fleet(const Fleet& fleet, const std::string& endpoint,
                                                              const std::filesystem::path& dir) {
  return std::make_unique<nebula_test::ChildProcess>(
      std::vector<std::string>{NEBULA_NODE_BIN, "simulate", "--" + fleet.kind, std::to_string(fleet.nodes),
                               "--steps", std::to_string(fleet.steps), "--max-rate", "--seed",
                               std::to_string(fleet.seed), "--stats-every", "0", "--batch-size", "10",
                               "--flush-timeout-ms", "240000", "--plugin-dir", NEBULA_PLUGIN_DIR, "--spill-dir",
                               (dir / ("spill-" + fleet.kind)).string(), "--endpoint", endpoint},
      fleet_log(dir, fleet).string());
}

// (node_id, seq) -> how many times the ledger processor applied it.
using Ledger = std::map<std::pair<std::string, int64_t>, int>;

inline Ledger read_ledger(const std::filesystem::path& file) {
  Ledger out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    int64_t lsn = 0, seq = 0;
    std::string node;
    if (f >> lsn >> node >> seq) ++out[{node, seq}];
  }
  return out;
}

inline size_t ledger_total(const Ledger& l) {
  size_t n = 0;
  for (auto& [k, v] : l) n += size_t(v);
  return n;
}

// Every record of `nodes` nodes with `steps` records each, applied exactly
// once: no duplicates, every node, every node's full count.
inline void expect_exactly_once(const Ledger& ledger, size_t nodes, int steps) {
  size_t duplicates = 0;
  std::map<std::string, int> per_node;
  for (const auto& [key, times] : ledger) {
    duplicates += size_t(times - 1);
    ++per_node[key.first];
  }
  EXPECT_EQ(duplicates, 0u);
  EXPECT_EQ(ledger.size(), nodes * size_t(steps));
  EXPECT_EQ(per_node.size(), nodes);
  for (const auto& [node, n] : per_node) EXPECT_EQ(n, steps) << node;
}

inline nlohmann::json stats(const PoolProcess& pool) {
  return nlohmann::json::parse(nebula_test::http_get(pool.admin_port, "/api/v1/pool/stats").body);
}

// One HTTP batch of `count` records for `node`, seqs first..first+count-1.
inline std::string batch(const std::string& node, int64_t first, int count, const std::string& pad = "") {
  nlohmann::json records = nlohmann::json::array();
  for (int i = 0; i < count; ++i)
    records.push_back({{"timestamp", 1.7e9 + double(first + i)},
                       {"node_id", node},
                       {"node_type", "testnet"},
                       {"chain_id", "test"},
                       {"seq", first + i},
                       {"blockchain", {{"current_height", first + i}}},
                       {"note", pad}});
  return nlohmann::json{{"node_id", node}, {"data_batch", records}, {"batch_size", count}}.dump();
}

inline nebula_test::HttpResult post(unsigned short port, const std::string& body) {
  return nebula_test::http_request("127.0.0.1", port, "POST", "/api/v1/pool/ingest", body);
}

}  // namespace durability

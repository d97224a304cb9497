// Shared pieces of the durability tests: fixed ports that survive a
// restart, the ledger the test processor writes, and pool stats.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula_test/http_client.hpp"
#include "pool_harness.hpp"

namespace durability {

// A port nothing listens on right now (the pool binds it with SO_REUSEADDR,
// so it stays usable across kill -9 and restart).
// Rewrites the pool's pipeline.yaml: the test plugins and the real ones.
inline void write_pipeline(PoolProcess& pool, const std::string& settings, const std::string& components) {
  pool.dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\", \"" NEBULA_PLUGIN_DIR
                                  "\"]\nstate_dir: state\nadmin: {port: 0}\nshutdown: {timeout_ms: 20000}\n" +
                                      settings + "\ncomponents:\n" + components);
}

inline unsigned short free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
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

// `nebula-node run --ethereum URL`: one record's worth of an Ethereum node's
// state per sample, over standard JSON-RPC. Height (eth_blockNumber), blocks
// and transactions counted from the blocks themselves (ethereum_blocks.hpp,
// its state in a small file so a restart neither recounts nor skips), sync
// status (eth_syncing), peers (net_peerCount), RPC latency, and the
// `economics` group (eth_gasPrice, eth_feeHistory, txpool_status; schema:
// sdk/schemas/records/economics.schema.json). Methods the node does not
// offer are skipped (ethereum_rpc.hpp).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "ethereum_blocks.hpp"
#include "ethereum_rpc.hpp"

namespace nebula::node::collect::ethereum {

// Reward percentiles asked of eth_feeHistory, and their names in the record.
inline constexpr int kFeePercentiles[] = {10, 50, 90};

// The economics fields of one eth_feeHistory answer: base fee of the next
// block, priority fee percentiles averaged over the blocks weighted by the
// gas they used (empty blocks say nothing of what users bid and weigh
// nothing; when all were empty the percentiles are left out), mean gas used
// ratio, and how many blocks that covers. Fees in gwei.
// Throws std::invalid_argument on an answer of another shape.
nlohmann::json fee_summary(const nlohmann::json& fee_history);

struct CollectorOptions {
  std::string url;                    // http://host:port[/path]
  std::filesystem::path state_file;   // where the block tracker's state is kept
  std::chrono::milliseconds timeout{2000};
  size_t keep_blocks = 64;            // deepest reorg followed
  int64_t max_blocks_per_sample = 256;
  int64_t max_fee_blocks = 16;        // blocks one eth_feeHistory call covers at most
};

class Collector {
 public:
  Collector(const CollectorOptions& options, RpcClient::Log log);

  // The sample's record fields, nested by group; {} when the node did not
  // answer eth_blockNumber.
  nlohmann::json sample();

  const BlockTracker& tracker() const { return tracker_; }

 private:
  void load_state();
  void save_state();
  nlohmann::json economics(int64_t new_blocks);

  CollectorOptions options_;
  RpcClient::Log log_;
  RpcClient rpc_;
  BlockTracker tracker_;
  std::string last_state_error_;
};

}  // namespace nebula::node::collect::ethereum

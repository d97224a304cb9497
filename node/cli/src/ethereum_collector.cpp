#include "ethereum_collector.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nebula/atomic_file.hpp>

namespace nebula::node::collect::ethereum {

namespace {

constexpr double kWeiPerGwei = 1e9;

std::optional<BlockInfo> block_info(const nlohmann::json& b) {
  if (!b.is_object()) return std::nullopt;  // null: not (yet) known to the node
  BlockInfo out;
  out.number = hex_integer(b.at("number"));
  out.hash = b.at("hash").get<std::string>();
  out.parent_hash = b.at("parentHash").get<std::string>();
  const auto& txs = b.at("transactions");
  if (!txs.is_array()) throw std::invalid_argument("block transactions is not an array");
  out.transactions = static_cast<int64_t>(txs.size());
  return out;
}

std::string hex(int64_t n) {
  std::ostringstream s;
  s << "0x" << std::hex << n;
  return s.str();
}

}  // namespace

nlohmann::json fee_summary(const nlohmann::json& h) {
  if (!h.is_object()) throw std::invalid_argument("eth_feeHistory answer is not an object");
  const auto& base = h.at("baseFeePerGas");
  const auto& ratios = h.at("gasUsedRatio");
  if (!base.is_array() || base.empty() || !ratios.is_array())
    throw std::invalid_argument("eth_feeHistory answer lacks baseFeePerGas or gasUsedRatio");
  const nlohmann::json no_rewards = nlohmann::json::array();
  const auto& rewards = h.contains("reward") ? h["reward"] : no_rewards;

  constexpr size_t kCount = std::size(kFeePercentiles);
  double tips[kCount] = {0, 0, 0};
  double weight = 0, ratio_sum = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    const double ratio = std::clamp(ratios[i].get<double>(), 0.0, 1.0);
    ratio_sum += ratio;
    if (ratio <= 0 || i >= rewards.size() || rewards[i].size() != kCount) continue;
    for (size_t k = 0; k < kCount; ++k) tips[k] += ratio * hex_quantity(rewards[i][k]);
    weight += ratio;
  }
  nlohmann::json out = {{"base_fee_gwei", hex_quantity(base.back()) / kWeiPerGwei},  // the next block's
                        {"fee_blocks", ratios.size()}};
  if (weight > 0) {  // empty blocks say nothing about what users bid
    auto& percentiles = out["priority_fee_gwei"];
    for (size_t k = 0; k < kCount; ++k) percentiles["p" + std::to_string(kFeePercentiles[k])] = tips[k] / weight / kWeiPerGwei;
  }
  if (!ratios.empty()) out["gas_used_ratio"] = ratio_sum / static_cast<double>(ratios.size());
  return out;
}

Collector::Collector(const CollectorOptions& o, RpcClient::Log log)
    : options_(o),
      log_(std::move(log)),
      rpc_(collect::parse_http_url(o.url, "/"), o.timeout, log_),
      tracker_(o.keep_blocks, o.max_blocks_per_sample) {
  load_state();
}

void Collector::load_state() {
  std::ifstream in(options_.state_file);
  if (!in) return;  // first run: the tracker starts at the chain's head
  std::stringstream text;
  text << in.rdbuf();
  try {
    tracker_.load(nlohmann::json::parse(text.str()));
  } catch (const std::exception& e) {
    // Counting on from a state we cannot read could count twice; starting at
    // the head may miss the blocks since it was written. Say which.
    log_("ignoring " + options_.state_file.string() + " (" + e.what() +
         "): counting starts at the chain's head; the transaction counter restarts from 0");
  }
}

void Collector::save_state() {
  try {
    if (options_.state_file.has_parent_path()) std::filesystem::create_directories(options_.state_file.parent_path());
    nebula::write_file_atomically(options_.state_file, tracker_.to_json().dump());
    if (!last_state_error_.empty()) log_("state file written again: " + options_.state_file.string());
    last_state_error_.clear();
  } catch (const std::exception& e) {
    if (last_state_error_ != e.what()) log_(std::string("cannot save block state: ") + e.what());
    last_state_error_ = e.what();
  }
}

nlohmann::json Collector::economics(int64_t new_blocks) {
  nlohmann::json out = nlohmann::json::object();
  try {
    if (auto price = rpc_.call("eth_gasPrice")) out["gas_price_gwei"] = hex_quantity(*price) / kWeiPerGwei;
    const int64_t blocks = std::clamp<int64_t>(new_blocks, 1, options_.max_fee_blocks);
    nlohmann::json percentiles = nlohmann::json::array();
    for (const int p : kFeePercentiles) percentiles.push_back(p);
    if (auto history = rpc_.call("eth_feeHistory", {hex(blocks), "latest", percentiles}))
      out.merge_patch(fee_summary(*history));
    if (auto pool = rpc_.call("txpool_status"); pool && pool->is_object()) {
      out["mempool_pending"] = hex_integer(pool->at("pending"));
      out["mempool_queued"] = hex_integer(pool->at("queued"));
    }
  } catch (const std::exception& e) {
    log_(std::string("economics: unexpected answer: ") + e.what());
  }
  return out;
}

nlohmann::json Collector::sample() {
  nlohmann::json record = nlohmann::json::object();
  const auto head_answer = rpc_.call("eth_blockNumber");
  if (!head_answer) return record;
  int64_t head = 0;
  try {
    head = hex_integer(*head_answer);
  } catch (const std::exception& e) {
    log_(std::string("eth_blockNumber: ") + e.what());
    return record;
  }

  const BlockSource fetch = [this](int64_t n) -> std::optional<BlockInfo> {
    auto b = rpc_.call("eth_getBlockByNumber", {hex(n), false});
    if (!b) return std::nullopt;
    try {
      return block_info(*b);
    } catch (const std::exception& e) {
      log_("eth_getBlockByNumber " + std::to_string(n) + ": unexpected answer: " + e.what());
      return std::nullopt;
    }
  };
  const BlockStep step = tracker_.advance(head, fetch);
  if (tracker_.started()) save_state();

  auto& chain = record["blockchain"];
  chain["current_height"] = head;
  if (tracker_.started()) {
    chain["blocks_processed_last_interval"] = step.blocks;
    chain["transaction_count"] = tracker_.total_transactions();
  }
  if (step.replaced) chain["reorged_blocks"] = step.replaced;
  if (auto sync = rpc_.call("eth_syncing")) {
    chain["syncing"] = !sync->is_boolean() || sync->get<bool>();
    if (sync->is_object() && sync->contains("highestBlock")) {
      try {
        chain["highest_block"] = hex_integer((*sync)["highestBlock"]);
      } catch (const std::exception&) {
      }
    }
  }
  if (auto peers = rpc_.call("net_peerCount")) {
    try {
      record["network"]["peer_count"] = hex_integer(*peers);
    } catch (const std::exception& e) {
      log_(std::string("net_peerCount: ") + e.what());
    }
  }
  if (auto econ = economics(step.blocks); !econ.empty()) record["economics"] = std::move(econ);
  if (auto latency = rpc_.take_latency_ms()) record["network"]["average_latency"] = *latency;
  return record;
}

}  // namespace nebula::node::collect::ethereum

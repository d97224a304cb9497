// Counts an Ethereum chain's blocks and transactions from the blocks
// themselves, exactly once each: the tracker remembers the last blocks it
// counted (number, hash, transactions) and follows the chain by parent hash,
// so a reorg of up to `keep` blocks is found and the replaced blocks are
// taken back, and a restart (the state saved to a file) resumes where it
// stopped instead of counting again or skipping. Pure logic: blocks come from
// a callback, so tests drive it with made-up chains.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nebula::node::collect::ethereum {

struct BlockInfo {
  int64_t number = 0;
  std::string hash;
  std::string parent_hash;
  int64_t transactions = 0;
};

// The block at a height, or nullopt when the node could not answer (the
// tracker then stops for this step and resumes there next time).
using BlockSource = std::function<std::optional<BlockInfo>(int64_t number)>;

// What one step found.
struct BlockStep {
  int64_t blocks = 0;        // blocks newly counted (each block hash once)
  int64_t transactions = 0;  // their transactions, less those of replaced blocks (never below 0)
  int64_t replaced = 0;      // counted blocks a reorg replaced
  bool anchored = false;     // first look, or the chain was unrecognisable: (re)started at the head, nothing counted
  bool complete = true;      // reached the head (false: a fetch failed or max_blocks was hit)
};

class BlockTracker {
 public:
  // `keep`: counted blocks remembered (the deepest reorg that is followed);
  // `max_blocks`: blocks fetched per step at most, so a long catch-up is
  // spread over several steps instead of blocking one.
  explicit BlockTracker(size_t keep = 64, int64_t max_blocks = 256);

  // Follows the chain from the last counted block to `head`.
  BlockStep advance(int64_t head, const BlockSource& fetch);

  bool started() const { return !recent_.empty(); }
  int64_t last_number() const { return recent_.empty() ? -1 : recent_.back().number; }
  // Cumulative and monotone: the record's blockchain.transaction_count.
  uint64_t total_transactions() const { return total_; }
  uint64_t reorgs() const { return reorgs_; }

  // The state file's content, and back; from_json throws std::invalid_argument
  // on a document it did not write.
  nlohmann::json to_json() const;
  void load(const nlohmann::json& state);

 private:
  void count(const BlockInfo& block, BlockStep& step);
  // Takes the newest counted block back (a reorg replaced it).
  void take_back(BlockStep& step);
  void anchor(const BlockInfo& block, BlockStep& step);

  size_t keep_;
  int64_t max_blocks_;
  std::deque<BlockInfo> recent_;  // counted blocks, ascending, at most keep_
  uint64_t total_ = 0;
  // Transactions of replaced blocks not yet subtracted: taken from the next
  // blocks' transactions so the cumulative counter never goes down (a pool
  // reads a decrease as a node restart).
  uint64_t debit_ = 0;
  uint64_t reorgs_ = 0;
};

}  // namespace nebula::node::collect::ethereum

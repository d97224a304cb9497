#include "ethereum_blocks.hpp"

#include <algorithm>
#include <stdexcept>

namespace nebula::node::collect::ethereum {

namespace {
constexpr int kStateVersion = 1;
}

BlockTracker::BlockTracker(size_t keep, int64_t max_blocks) : keep_(std::max<size_t>(keep, 1)), max_blocks_(max_blocks) {}

void BlockTracker::anchor(const BlockInfo& block, BlockStep& step) {
  recent_.clear();
  recent_.push_back(block);
  step.anchored = true;
}

void BlockTracker::count(const BlockInfo& block, BlockStep& step) {
  recent_.push_back(block);
  while (recent_.size() > keep_) recent_.pop_front();
  ++step.blocks;
  const auto txs = static_cast<uint64_t>(std::max<int64_t>(block.transactions, 0));
  const uint64_t repaid = std::min(debit_, txs);
  debit_ -= repaid;
  total_ += txs - repaid;
  step.transactions += static_cast<int64_t>(txs - repaid);
}

void BlockTracker::take_back(BlockStep& step) {
  debit_ += static_cast<uint64_t>(std::max<int64_t>(recent_.back().transactions, 0));
  ++step.replaced;
  recent_.pop_back();
}

BlockStep BlockTracker::advance(int64_t head, const BlockSource& fetch) {
  BlockStep step;
  const auto restart_at_head = [&] {
    // Nothing we counted is on this chain (a reorg deeper than we remember,
    // or another chain behind the same URL): start over at its head. The
    // replaced blocks' transactions are not held against another chain.
    debit_ = 0;
    if (auto b = fetch(head)) anchor(*b, step);
    else step.complete = false;
  };
  if (recent_.empty()) {
    restart_at_head();
    return step;
  }
  const uint64_t debit_before = debit_;
  bool reorg = false;
  int64_t fetched = 0;

  // The chain is now shorter than what we counted: the blocks above its head
  // are gone, and the one at its head must be checked too.
  if (head < recent_.back().number) {
    reorg = true;
    while (!recent_.empty() && recent_.back().number > head) take_back(step);
    while (!recent_.empty()) {
      auto b = fetch(recent_.back().number);
      ++fetched;
      if (!b) {
        step.complete = false;
        ++reorgs_;
        return step;
      }
      if (b->hash == recent_.back().hash) break;
      take_back(step);
    }
    if (recent_.empty()) {
      debit_ = debit_before;
      restart_at_head();
      ++reorgs_;
      return step;
    }
  }

  // Forward by parent hash: a block whose parent is not the last one counted
  // means that one was replaced; take it back and look one height lower.
  int64_t n = recent_.back().number + 1;
  while (n <= head) {
    if (fetched >= max_blocks_) {
      step.complete = false;
      break;
    }
    auto b = fetch(n);
    ++fetched;
    if (!b) {
      step.complete = false;
      break;
    }
    if (b->parent_hash != recent_.back().hash) {
      reorg = true;
      take_back(step);
      if (recent_.empty()) {
        restart_at_head();
        break;
      }
      n = recent_.back().number + 1;
      continue;
    }
    count(*b, step);
    ++n;
  }
  if (reorg) ++reorgs_;
  return step;
}

nlohmann::json BlockTracker::to_json() const {
  nlohmann::json recent = nlohmann::json::array();
  for (const auto& b : recent_) recent.push_back({b.number, b.hash, b.parent_hash, b.transactions});
  return {{"version", kStateVersion},
          {"total_transactions", total_},
          {"debit", debit_},
          {"reorgs", reorgs_},
          {"recent", std::move(recent)}};
}

void BlockTracker::load(const nlohmann::json& s) {
  try {
    if (!s.is_object() || s.value("version", 0) != kStateVersion) throw std::invalid_argument("not a version 1 state");
    std::deque<BlockInfo> recent;
    for (const auto& r : s.at("recent")) {
      BlockInfo b{r.at(0).get<int64_t>(), r.at(1).get<std::string>(), r.at(2).get<std::string>(), r.at(3).get<int64_t>()};
      if (!recent.empty() && b.number != recent.back().number + 1) throw std::invalid_argument("blocks not consecutive");
      recent.push_back(std::move(b));
    }
    while (recent.size() > keep_) recent.pop_front();
    total_ = s.at("total_transactions").get<uint64_t>();
    debit_ = s.at("debit").get<uint64_t>();
    reorgs_ = s.at("reorgs").get<uint64_t>();
    recent_ = std::move(recent);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace nebula::node::collect::ethereum

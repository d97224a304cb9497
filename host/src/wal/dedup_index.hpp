// Which (node_id, seq) pairs the pool has already accepted, so a client retry
// or a replay never counts a record twice. Per node it keeps the highest seq
// and a window of the kWindow seqs below it; nodes are kept in an LRU of
// bounded size. A seq far below the window means the node started over (its
// sequence was reset), not a duplicate: dropping its data would be worse.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebula/lru_map.hpp"

namespace nebula::wal {

// One record's identity as dedup sees it; views, so asking copies nothing.
struct SeqKey {
  std::string_view node;
  std::optional<int64_t> seq;  // records without one are never duplicates
};

class DedupIndex {
 public:
  static constexpr int64_t kWindow = 512;

  explicit DedupIndex(size_t max_nodes) : nodes_(max_nodes) {}

  bool seen(std::string_view node, int64_t seq) const;
  // Which of one payload's `keys` are new: false for a key already accepted
  // (seen) or one that repeats an earlier key of the same payload. Marks
  // nothing. Allocates a few flat buffers per call, never a node id.
  std::vector<bool> fresh(std::span<const SeqKey> keys) const;
  // Marks the pair as accepted. `replaying`: rebuilding from the log, where
  // older seqs are history, never a reset.
  void mark(std::string_view node, int64_t seq, bool replaying = false);

  size_t nodes() const { return nodes_.size(); }
  uint64_t resets() const { return resets_; }

  // Binary snapshot (for the file beside the log) and its inverse; load
  // returns false and leaves the index empty when the bytes are damaged.
  std::string snapshot() const;
  bool load(std::string_view bytes);

 private:
  struct Window {
    int64_t max_seq = -1;
    std::bitset<kWindow> seen;  // bit i: max_seq - i was accepted
  };
  LruMap<Window> nodes_;
  uint64_t resets_ = 0;
};

}  // namespace nebula::wal

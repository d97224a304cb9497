// Per-chain tumbling windows over event time, with de-duplication by
// (node_id, seq) and a watermark for late samples. Closed windows queue up
// until the plugin has published them. Plain values in, JSON out; no ABI types.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nebula/lru_map.hpp>
#include <nebula/state_table.hpp>
#include <nlohmann/json.hpp>

#include "data_stream_config.hpp"
#include "seq_dedup.hpp"
#include "stream_sample.hpp"
#include "window_aggregate.hpp"

namespace nebula::data_stream {

class StreamWindower {
 public:
  enum class Outcome { Accepted, Duplicate, Late, Skipped };

  explicit StreamWindower(Config config);

  Outcome observe(const StreamSample& sample);

  // Closes every open window of every chain (drain).
  void close_all();

  // The insight (kind "window") for the windows closed and not yet
  // published, or nullopt if there are none.
  std::optional<nlohmann::json> pending_insight() const;
  // Forget the pending windows once their insight was published.
  void clear_pending() { pending_.clear(); }

  size_t pending_windows() const { return pending_.size(); }
  size_t open_windows() const;
  size_t tracked_nodes() const { return nodes_.size(); }
  // The bounded tables, for the plugin's cap report (nebula/state_caps.hpp).
  std::array<StateTable, 2> state_tables() const {
    return {state_table("nodes", "max_nodes", nodes_), state_table("chains", "max_chains", chains_)};
  }

  // Pending windows kept while the host cannot take insights; the oldest
  // are dropped (and counted) beyond this.
  static constexpr size_t kMaxPendingWindows = 4096;

 private:
  struct ChainStreams {
    bool started = false;
    double newest = 0;                           // newest accepted timestamp
    std::map<int64_t, WindowAggregate> open;     // by window index
  };
  struct ClosedWindow {
    std::string chain_id;
    WindowAggregate window;
  };
  struct Totals {
    uint64_t accepted = 0, duplicates = 0, stale_seqs = 0, late = 0, seq_restarts = 0, skipped = 0;
    uint64_t dropped_windows = 0;
  };

  WindowAggregate& window_at(ChainStreams& chain, double time);
  WindowAggregate& tally_window(ChainStreams& chain, double time);
  void close_until(std::string_view chain_id, ChainStreams& chain, double watermark);
  void push_closed(std::string_view chain_id, WindowAggregate&& window);

  Config config_;
  LruMap<SeqDedup> nodes_;  // key: chain_id '\x1f' node_id
  LruMap<ChainStreams> chains_;
  std::deque<ClosedWindow> pending_;
  Totals totals_;
  std::optional<double> generated_at_;
  std::string key_;
};

}  // namespace nebula::data_stream

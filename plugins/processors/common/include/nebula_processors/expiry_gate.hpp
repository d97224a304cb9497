// Tells a processor when a sweep for expired nodes can find none, so that it
// does not walk every node after each batch only to learn that (#15: the
// Transaction Analyzer's and the Network Monitor's expiry sweeps were 11 and
// 14 % of those plugins at 5,000 nodes, and grew with the fleet).
//
// The rule it guards: a node expires when its newest time is more than
// `expiry_s` behind its chain's newest time, or when its chain was evicted.
// The gate keeps a lower bound of the nodes' newest times. A node's time
// only rises, so only a node seen for the first time can lower the bound,
// and a sweep resets it to the oldest node that remains. While the newest
// time anywhere is within `expiry_s` of that bound and no chain was evicted,
// no node can have expired, and skipping the sweep changes nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace nebula::processors {

class ExpiryGate {
 public:
  // A node's newest time is now `time` (only a node seen for the first time
  // can lower the bound; later times of known nodes need not be reported).
  void observe(double time) {
    if (time < oldest_) oldest_ = time;
  }

  // The sweep, only when it can find something: erases from `nodes` (an
  // LruMap) every node `expired(id, node)` names, and resets the bound to
  // the oldest `newest_of(node)` among the nodes that remain. `newest`: the
  // newest time of any chain (or later); `chain_evictions`: the chain
  // table's eviction count. Returns how many nodes it erased.
  template <class Nodes, class Expired, class NewestOf>
  std::size_t sweep(Nodes& nodes, double newest, double expiry_s, std::uint64_t chain_evictions, Expired expired,
                    NewestOf newest_of) {
    if (chain_evictions == chain_evictions_ && oldest_ >= newest - expiry_s) return 0;
    double oldest = std::numeric_limits<double>::infinity();
    const std::size_t erased = nodes.erase_if([&](const auto& id, const auto& node) {
      if (expired(id, node)) return true;
      oldest = std::min(oldest, newest_of(node));
      return false;
    });
    oldest_ = oldest;
    chain_evictions_ = chain_evictions;
    return erased;
  }

 private:
  double oldest_ = std::numeric_limits<double>::infinity();
  std::uint64_t chain_evictions_ = 0;
};

}  // namespace nebula::processors

// One canonical chain: Poisson block arrivals, per-block transactions with a
// diurnal cycle, a mempool backlog, and the history nodes look heights up in.
#pragma once

#include <cstdint>
#include <vector>

#include "nebula_sim/fleet_config.hpp"
#include "nebula_sim/random.hpp"

namespace nebula_sim {

class ChainModel {
 public:
  // The first block lands at history_start with height params.start_height,
  // so nodes lagging behind the start time still find blocks.
  ChainModel(const ChainParams& params, std::uint64_t seed, double history_start);

  // Chain-wide tx_flood: offered tx rate x multiplier during [start, end).
  void add_flood(double start, double end, double multiplier);

  // Mines every block whose arrival time is <= t.
  void generate_until(double t);

  // Height a node sees when it has every block up to view_time. `hint` is a
  // height already known to be visible at view_time (the node's last height),
  // so the usual lookup is a short forward scan.
  std::int64_t height_at(double view_time, std::int64_t hint) const;
  std::int64_t height_at(double view_time) const;  // binary search
  std::int64_t tip_height() const { return first_height_ + static_cast<std::int64_t>(times_.size()) - 1; }

  // Transactions in all blocks up to and including `height` (relative origin).
  std::int64_t cumulative_tx(std::int64_t height) const;

  // Offered tx/s at t: base rate x diurnal cycle x slow noise x chain floods.
  double offered_rate(double t) const;
  // Product of the chain-wide floods active at t (1 when none).
  double flood_multiplier(double t) const;
  std::int64_t backlog() const { return backlog_; }
  const ChainParams& params() const { return params_; }

  // Forgets blocks below `height` (no node can look them up any more).
  void trim_below(std::int64_t height);

 private:
  void mine_block(double time);

  struct Flood {
    double start, end, multiplier;
  };

  ChainParams params_;
  Rng rng_;
  std::int64_t first_height_;       // height of times_[0]
  std::vector<double> times_;       // block arrival times, ascending
  std::vector<std::int64_t> cum_tx_;
  double next_block_time_;
  double noise_ = 0.0;              // log-space AR(1) on the tx rate
  std::int64_t backlog_ = 0;        // mempool transactions waiting for a block
  std::vector<Flood> floods_;
};

}  // namespace nebula_sim

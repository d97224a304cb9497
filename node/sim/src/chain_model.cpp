#include "chain_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace nebula_sim {
namespace {

constexpr double kDay = 86400.0;
constexpr double kNoiseSigma = 0.12;        // stationary sd of the log tx-rate noise
constexpr double kNoiseCorrelation = 600.0; // s: traffic moods last ~10 minutes

}  // namespace

ChainModel::ChainModel(const ChainParams& params, std::uint64_t seed, double history_start)
    : params_(params), rng_(seed), first_height_(params.start_height) {
  times_.push_back(history_start);
  cum_tx_.push_back(0);
  next_block_time_ = history_start + rng_.exponential(params_.block_interval);
}

void ChainModel::add_flood(double start, double end, double multiplier) {
  floods_.push_back({start, end, multiplier});
}

double ChainModel::flood_multiplier(double t) const {
  double m = 1.0;
  for (const Flood& f : floods_) {
    if (f.start <= t && t < f.end) m *= f.multiplier;
  }
  return m;
}

double ChainModel::offered_rate(double t) const {
  // Peak at 12:00 UTC, trough at 00:00 UTC.
  const double phase = 2.0 * std::numbers::pi * (std::fmod(t, kDay) - kDay / 4.0) / kDay;
  const double diurnal = 1.0 + params_.diurnal_amplitude * std::sin(phase);
  return params_.tx_rate * diurnal * std::exp(noise_) * flood_multiplier(t);
}

void ChainModel::generate_until(double t) {
  while (next_block_time_ <= t) {
    mine_block(next_block_time_);
    // Memoryless arrivals: that is what PoW block discovery looks like.
    next_block_time_ += rng_.exponential(params_.block_interval);
  }
}

void ChainModel::mine_block(double time) {
  const double gap = time - times_.back();
  // Arrivals since the previous block join the mempool; the block takes what fits.
  backlog_ += rng_.poisson(offered_rate(time) * gap);
  const std::int64_t included = std::min(backlog_, params_.block_capacity);
  backlog_ -= included;
  times_.push_back(time);
  cum_tx_.push_back(cum_tx_.back() + included);

  // Exact AR(1) discretisation of an Ornstein-Uhlenbeck process, so the noise
  // has the same time scale on a 5 s chain and a 30 s chain.
  const double rho = std::exp(-gap / kNoiseCorrelation);
  noise_ = rho * noise_ + kNoiseSigma * std::sqrt(1.0 - rho * rho) * rng_.normal();
}

std::int64_t ChainModel::height_at(double view_time, std::int64_t hint) const {
  auto i = static_cast<std::size_t>(std::max<std::int64_t>(hint - first_height_, 0));
  while (i + 1 < times_.size() && times_[i + 1] <= view_time) ++i;
  return first_height_ + static_cast<std::int64_t>(i);
}

std::int64_t ChainModel::height_at(double view_time) const {
  const auto it = std::upper_bound(times_.begin(), times_.end(), view_time);
  const auto seen = std::max<std::ptrdiff_t>(it - times_.begin(), 1);  // block 0 is always known
  return first_height_ + seen - 1;
}

std::int64_t ChainModel::cumulative_tx(std::int64_t height) const {
  const std::int64_t i = std::clamp<std::int64_t>(height - first_height_, 0,
                                                  static_cast<std::int64_t>(cum_tx_.size()) - 1);
  return cum_tx_[static_cast<std::size_t>(i)];
}

void ChainModel::trim_below(std::int64_t height) {
  const std::int64_t drop = std::min<std::int64_t>(
      height - first_height_, static_cast<std::int64_t>(times_.size()) - 1);
  // Erase in large bites only: amortised O(1) per block.
  if (drop < 4096) return;
  times_.erase(times_.begin(), times_.begin() + drop);
  cum_tx_.erase(cum_tx_.begin(), cum_tx_.begin() + drop);
  first_height_ += drop;
}

}  // namespace nebula_sim

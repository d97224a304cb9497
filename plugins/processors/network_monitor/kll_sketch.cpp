#include "kll_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace nebula::network_monitor {
namespace {

constexpr double kCapacityDecay = 2.0 / 3.0;
constexpr size_t kMinCapacity = 2;

}  // namespace

KllSketch::KllSketch(uint32_t k) : k_(std::max<uint32_t>(k, 8)) { add_level(); }

double KllSketch::rank_error(uint32_t k) { return 2.296 / std::pow(static_cast<double>(k), 0.9723); }

void KllSketch::add_level() {
  levels_.emplace_back();
  capacities_.resize(levels_.size());
  total_capacity_ = 0;
  for (size_t h = 0; h < levels_.size(); ++h) {
    const size_t depth = levels_.size() - 1 - h;  // 0 at the top level
    const double c = std::ceil(static_cast<double>(k_) * std::pow(kCapacityDecay, static_cast<double>(depth)));
    capacities_[h] = std::max(kMinCapacity, static_cast<size_t>(c));
    total_capacity_ += capacities_[h];
  }
}

bool KllSketch::coin() {
  // xorshift64: deterministic, cheap, good enough for choosing an offset.
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return rng_ & 1;
}

void KllSketch::insert(double value) {
  if (!std::isfinite(value)) return;
  if (count_ == 0) min_ = max_ = value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  ++count_;
  levels_[0].push_back(value);
  ++retained_;
  compress();
}

void KllSketch::merge(const KllSketch& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  while (levels_.size() < other.levels_.size()) add_level();
  for (size_t h = 0; h < other.levels_.size(); ++h)
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
  retained_ += other.retained_;
  compress();
}

void KllSketch::compress() {
  while (retained_ > total_capacity_) {
    for (size_t h = 0; h < levels_.size(); ++h) {
      if (levels_[h].size() < capacities_[h]) continue;
      if (h + 1 == levels_.size()) add_level();
      auto& level = levels_[h];
      std::sort(level.begin(), level.end());
      // An odd item stays behind so that weight is conserved exactly.
      const size_t keep = level.size() % 2;
      auto& up = levels_[h + 1];
      for (size_t i = keep + (coin() ? 1 : 0); i < level.size(); i += 2) up.push_back(level[i]);
      retained_ -= (level.size() - keep) / 2;
      level.resize(keep);
      break;
    }
  }
}

double KllSketch::quantile(double q) const { return quantiles({q}).front(); }

std::vector<double> KllSketch::quantiles(std::initializer_list<double> qs) const {
  std::vector<double> out;
  out.reserve(qs.size());
  std::vector<std::pair<double, uint64_t>> weighted;
  for (const double q : qs) {
    if (count_ == 0) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    if (q <= 0) {
      out.push_back(min_);
      continue;
    }
    if (q >= 1) {
      out.push_back(max_);
      continue;
    }
    if (weighted.empty()) {
      weighted.reserve(retained());
      for (size_t h = 0; h < levels_.size(); ++h)
        for (double v : levels_[h]) weighted.emplace_back(v, uint64_t{1} << h);
      std::sort(weighted.begin(), weighted.end());
    }
    const double target = q * static_cast<double>(count_);
    uint64_t cumulative = 0;
    double answer = max_;
    for (const auto& [value, weight] : weighted) {
      cumulative += weight;
      if (static_cast<double>(cumulative) >= target) {
        answer = value;
        break;
      }
    }
    out.push_back(answer);
  }
  return out;
}

}  // namespace nebula::network_monitor

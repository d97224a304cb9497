#include "nebula_processors/economics.hpp"

#include <algorithm>
#include <cmath>

namespace nebula::processors {

namespace {

// Bound on held tips per node (samples far faster than the hold).
constexpr std::size_t kMaxHeld = 512;

double leaf(const RecordExtras& x, std::string_view key) { return x.number(kEconomicsGroup, key).value_or(kMissing); }

}  // namespace

bool Economics::any() const {
  for (const double v : {base_fee_gwei, gas_price_gwei, tip_p10_gwei, tip_p50_gwei, tip_p90_gwei, gas_used_ratio,
                         mempool_pending, mempool_queued})
    if (!std::isnan(v)) return true;
  return false;
}

Economics read_economics(const RecordExtras& x) {
  Economics e;
  const nlohmann::json* group = x.group(kEconomicsGroup);
  if (!group) return e;
  e.base_fee_gwei = leaf(x, "base_fee_gwei");
  e.gas_price_gwei = leaf(x, "gas_price_gwei");
  e.gas_used_ratio = leaf(x, "gas_used_ratio");
  e.mempool_pending = leaf(x, "mempool_pending");
  e.mempool_queued = leaf(x, "mempool_queued");
  if (const auto tips = group->find("priority_fee_gwei"); tips != group->end() && tips->is_object()) {
    const auto tip = [&](const char* key) {
      const auto it = tips->find(key);
      return it != tips->end() && it->is_number() ? it->get<double>() : kMissing;
    };
    e.tip_p10_gwei = tip("p10");
    e.tip_p50_gwei = tip("p50");
    e.tip_p90_gwei = tip("p90");
  }
  return e;
}

Economics read_economics(std::string_view text) {
  if (text.find(kEconomicsGroup) == std::string_view::npos) return {};
  return read_economics(RecordExtras(text));
}

const char* demand_name(Demand d) {
  switch (d) {
    case Demand::SpamFlood: return "spam_flood";
    case Demand::OrganicSurge: return "organic_surge";
    case Demand::Unknown: break;
  }
  return "unknown";
}

void FeeBaseline::learn(double tip, const FeeRule& rule) {
  if (!std::isfinite(tip) || tip < 0) return;
  usual_ = learned_ == 0 ? tip : usual_ + rule.alpha * (tip - usual_);
  ++learned_;
}

void FeeBaseline::hold(double ts, double tip, double hold_s, const FeeRule& rule) {
  std::size_t learned = 0;
  for (; learned < held_.size() && ts - held_[learned].ts >= hold_s; ++learned) learn(held_[learned].tip_gwei, rule);
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(learned));
  if (std::isfinite(tip) && tip >= 0) held_.push_back({ts, tip});
  if (held_.size() > kMaxHeld) {  // samples far faster than the window: the oldest has waited longest
    learn(held_.front().tip_gwei, rule);
    held_.erase(held_.begin());
  }
}

double FeeBaseline::pressure(double tip, const FeeRule& rule) const {
  if (!ready(rule) || !std::isfinite(tip)) return kMissing;
  return tip / std::max(usual_, rule.floor_gwei);
}

Demand FeeBaseline::classify(double tip, const FeeRule& rule) const {
  if (!ready(rule) || !std::isfinite(tip)) return Demand::Unknown;
  const bool rose = tip >= rule.rise_factor * usual_ && tip - usual_ >= rule.floor_gwei;
  return rose ? Demand::OrganicSurge : Demand::SpamFlood;
}

}  // namespace nebula::processors

#include "fee_market.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nebula::transaction_analyzer {

namespace {

using processors::kMissing;

nlohmann::json number_or_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

// Mean and maximum of the present values.
struct Stat {
  double sum = 0, max = kMissing;
  std::size_t n = 0;
  void add(double v) {
    if (std::isnan(v)) return;
    sum += v;
    max = std::isnan(max) ? v : std::max(max, v);
    ++n;
  }
  nlohmann::json mean() const { return n ? nlohmann::json(sum / double(n)) : nlohmann::json(nullptr); }
  nlohmann::json largest() const { return number_or_null(max); }
};

}  // namespace

FeeReport fee_report(const processors::Economics& e, NodeFees& node, const processors::FeeRule& rule) {
  FeeReport r;
  r.economics = e;
  if (node.baseline.ready(rule)) r.usual_tip_gwei = node.baseline.usual();
  r.pressure = node.baseline.pressure(e.tip_p50_gwei, rule);
  if (!std::isnan(e.mempool_pending)) {
    if (!std::isnan(node.last_pending)) r.mempool_growth = e.mempool_pending - node.last_pending;
    node.last_pending = e.mempool_pending;
  }
  return r;
}

nlohmann::json fee_summary(const std::map<std::string, FeeReport>& reports, std::size_t max_listed) {
  Stat base, tip, ratio, pressure, pending, queued;
  std::vector<std::pair<const std::string*, const FeeReport*>> order;
  for (const auto& [id, r] : reports) {
    base.add(r.economics.base_fee_gwei);
    tip.add(r.economics.tip_p50_gwei);
    ratio.add(r.economics.gas_used_ratio);
    pressure.add(r.pressure);
    pending.add(r.economics.mempool_pending);
    queued.add(r.economics.mempool_queued);
    order.emplace_back(&id, &r);
  }
  // Highest pressure first; nodes without one (no tip, baseline warming up) last, by id.
  const auto key = [](const FeeReport* r) { return std::isnan(r->pressure) ? -1.0 : r->pressure; };
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) { return key(a.second) > key(b.second); });
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& [id, r] : order) {
    if (nodes.size() >= max_listed) break;
    const auto& e = r->economics;
    nodes.push_back({{"node_id", *id},
                     {"base_fee_gwei", number_or_null(e.base_fee_gwei)},
                     {"priority_fee_p50_gwei", number_or_null(e.tip_p50_gwei)},
                     {"usual_priority_fee_gwei", number_or_null(r->usual_tip_gwei)},
                     {"fee_pressure", number_or_null(r->pressure)},
                     {"gas_used_ratio", number_or_null(e.gas_used_ratio)},
                     {"mempool_pending", number_or_null(e.mempool_pending)},
                     {"mempool_queued", number_or_null(e.mempool_queued)},
                     {"mempool_growth", number_or_null(r->mempool_growth)}});
  }
  return {{"nodes_reporting", reports.size()},
          {"base_fee_gwei", base.mean()},
          {"priority_fee_p50_gwei", tip.mean()},
          {"gas_used_ratio", ratio.mean()},
          {"fee_pressure", pressure.largest()},
          {"mempool_pending", pending.largest()},
          {"mempool_queued", queued.largest()},
          {"nodes", std::move(nodes)}};
}

}  // namespace nebula::transaction_analyzer

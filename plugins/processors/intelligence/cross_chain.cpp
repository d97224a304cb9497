#include "cross_chain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <utility>

#include <nebula/json_numbers.hpp>

namespace nebula::intelligence {
namespace {

double ratio(double other, double reference) {
  if (!std::isfinite(other) || !std::isfinite(reference) || reference == 0) return std::nan("");
  return other / reference;
}

std::string times(double r) {
  if (!std::isfinite(r)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", r);
  return buf;
}

using Metric = std::pair<const char*, std::function<double(const ChainNumbers&)>>;
const std::vector<Metric>& metrics() {
  static const std::vector<Metric> list{
      {"lag_seconds", [](const ChainNumbers& n) { return n.lag_seconds; }},
      {"lag_blocks", [](const ChainNumbers& n) { return n.lag_blocks; }},
      {"stalls_per_node_hour", [](const ChainNumbers& n) { return n.stalls_per_node_hour; }},
      {"throughput_tx_per_s", [](const ChainNumbers& n) { return n.tx_per_s; }},
      {"cadence_cv", [](const ChainNumbers& n) { return n.cadence_cv; }},
  };
  return list;
}

}  // namespace

nlohmann::json compare_chains(std::vector<ChainNumbers> chains) {
  nlohmann::json out = nlohmann::json::array();
  if (chains.size() < 2) return out;
  std::sort(chains.begin(), chains.end(), [](const ChainNumbers& a, const ChainNumbers& b) {
    return a.block_time_s != b.block_time_s ? a.block_time_s < b.block_time_s : a.chain < b.chain;
  });
  const ChainNumbers& ref = chains.front();
  for (size_t i = 1; i < chains.size(); ++i) {
    const ChainNumbers& o = chains[i];
    const double bt = ratio(o.block_time_s, ref.block_time_s), lag_s = ratio(o.lag_seconds, ref.lag_seconds),
                 lag_b = ratio(o.lag_blocks, ref.lag_blocks), tx = ratio(o.tx_per_s, ref.tx_per_s),
                 stalls = ratio(o.stalls_per_node_hour, ref.stalls_per_node_hour),
                 cv = ratio(o.cadence_cv, ref.cadence_cv);
    out.push_back({{"chain_id", o.chain},
                   {"reference", ref.chain},
                   {"block_time_ratio", number_or_null(bt)},
                   {"lag_seconds_ratio", number_or_null(lag_s)},
                   {"lag_blocks_ratio", number_or_null(lag_b)},
                   {"throughput_ratio", number_or_null(tx)},
                   {"stall_rate_ratio", number_or_null(stalls)},
                   {"cadence_cv_ratio", number_or_null(cv)},
                   {"summary", o.chain + " vs " + ref.chain + ": block time " + times(bt) + ", lag (s) " +
                                   times(lag_s) + ", lag (blocks) " + times(lag_b) + ", throughput " + times(tx) +
                                   ", stalls/node-hour " + times(stalls)}});
  }
  return out;
}

double least_squares_slope(const std::vector<double>& xs, const std::vector<double>& ys) {
  const size_t n = std::min(xs.size(), ys.size());
  if (n < 2) return std::nan("");
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) mx += xs[i], my += ys[i];
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
  }
  return sxx > 1e-12 ? sxy / sxx : std::nan("");
}

nlohmann::json block_time_effects(const std::vector<ChainNumbers>& chains) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, get] : metrics()) {
    std::vector<double> xs, ys;
    for (const auto& c : chains) {
      const double v = get(c);
      if (c.block_time_s > 0 && std::isfinite(v) && v > 0) {
        xs.push_back(std::log(c.block_time_s));
        ys.push_back(std::log(v));
      }
    }
    const double e = least_squares_slope(xs, ys);
    // |elasticity| under 0.1: a 10x longer block time moves the metric < 26%.
    const char* direction = !std::isfinite(e) ? "unknown"
                            : e > 0.1         ? "increases with block time"
                            : e < -0.1        ? "decreases with block time"
                                              : "insensitive to block time";
    out[name] = {{"elasticity", number_or_null(e)}, {"direction", direction}, {"chains", xs.size()}};
  }
  return out;
}

}  // namespace nebula::intelligence

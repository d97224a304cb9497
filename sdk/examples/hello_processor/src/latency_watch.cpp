#include "latency_watch.hpp"

#include <map>
#include <utility>

namespace hello {
namespace {

struct Sum {
  double total = 0;
  int64_t count = 0;
  double mean() const { return count ? total / static_cast<double>(count) : 0.0; }
};

}  // namespace

Report summarise(const std::vector<Sample>& samples, int64_t records, const Settings& settings) {
  std::map<std::string, Sum> per_chain;
  std::map<std::pair<std::string, std::string>, Sum> per_node;  // (chain, node)
  for (const Sample& s : samples) {
    auto& chain = per_chain[s.chain_id];
    chain.total += s.latency_ms;
    ++chain.count;
    auto& node = per_node[{s.chain_id, s.node_id}];
    node.total += s.latency_ms;
    ++node.count;
  }

  Report report;
  report.records = records;
  report.samples = static_cast<int64_t>(samples.size());
  for (const auto& [chain_id, sum] : per_chain) {
    ChainSummary c{chain_id, sum.count, 0, sum.mean()};
    for (const auto& [key, node] : per_node)
      if (key.first == chain_id) ++c.nodes;
    report.chains.push_back(std::move(c));
  }
  for (const auto& [key, sum] : per_node)
    if (sum.count >= settings.min_samples && sum.mean() > settings.threshold_ms)
      report.flagged.push_back(FlaggedNode{key.first, key.second, sum.count, sum.mean()});
  return report;
}

nlohmann::json to_json(const Report& report, const Settings& settings) {
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& c : report.chains)
    chains.push_back({{"chain_id", c.chain_id},
                      {"samples", c.samples},
                      {"nodes", c.nodes},
                      {"mean_latency_ms", c.mean_latency_ms}});
  nlohmann::json flagged = nlohmann::json::array();
  for (const auto& f : report.flagged)
    flagged.push_back({{"chain_id", f.chain_id},
                       {"node_id", f.node_id},
                       {"samples", f.samples},
                       {"mean_latency_ms", f.mean_latency_ms},
                       {"over_by_ms", f.mean_latency_ms - settings.threshold_ms}});
  return {{"kind", "latency_watch"},
          {"threshold_ms", settings.threshold_ms},
          {"records", report.records},
          {"samples", report.samples},
          {"chains", chains},
          {"flagged", flagged}};
}

}  // namespace hello

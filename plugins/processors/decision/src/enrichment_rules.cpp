#include "nebula_decision/enrichment_rules.hpp"

#include <algorithm>
#include <cmath>

#include "reason_text.hpp"

namespace nebula::decision {

namespace {

using nlohmann::json;

Recommendation make(Action action, const std::string& target, const std::string& chain_id, double score,
                    std::string reason, const char* source, double since) {
  Recommendation r;
  r.action = action;
  r.target = target;
  r.chain_id = chain_id;
  r.score = std::clamp(score, 0.0, 1.0);
  r.reason = std::move(reason);
  r.since = since;
  r.evidence = {{"incidents", json::array()}, {"sources", json::array({source})}};
  return r;
}

}  // namespace

std::vector<Recommendation> recommend_from_network(const std::map<std::string, NetworkFacts>& network) {
  std::vector<Recommendation> out;
  for (const auto& [chain_id, f] : network) {
    for (const auto& node : f.isolated)
      out.push_back(make(Action::AddPeers, node, chain_id, 0.5,
                         "The network monitor reports node " + node + " (" + chain_id +
                             ") isolated (its peers collapsed); connect it to additional peers.",
                         "network", f.at));
    for (const auto& group : f.partitions) {
      if (group.empty()) continue;
      std::string members;
      for (std::size_t i = 0; i < group.size(); ++i) members += (i ? ", " : "") + group[i];
      Recommendation r = make(Action::Investigate, chain_id, chain_id, 0.55,
                              "The network monitor sees chain " + chain_id + " split: " +
                                  std::to_string(group.size()) + " nodes (" + members +
                                  ") form a separate group; investigate connectivity between them.",
                              "network", f.at);
      r.chain_target = true;
      r.evidence["nodes"] = group;
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::vector<Recommendation> recommend_from_blocks(const std::map<std::string, BlockFacts>& blocks) {
  std::vector<Recommendation> out;
  for (const auto& [chain_id, f] : blocks) {
    for (const auto& s : f.stalled) {
      const double intervals =
          std::isfinite(f.expected_interval_s) && f.expected_interval_s > 0 ? s.stalled_for_s / f.expected_interval_s
                                                                            : std::nan("");
      Recommendation r = make(Action::Resync, s.node_id, chain_id,
                              0.5 + (std::isfinite(intervals) ? std::min(0.3, intervals / 100) : 0.0),
                              "Block data analysis reports node " + s.node_id + " (" + chain_id +
                                  ") without progress for " + num(s.stalled_for_s, 0) + " s, " + num(s.lag, 0) +
                                  " blocks behind the tip " + num(f.tip_height, 0) + "; resync it.",
                              "block_data", f.at);
      r.evidence["stalled_for_s"] = std::isfinite(s.stalled_for_s) ? json(s.stalled_for_s) : json(nullptr);
      r.evidence["lag"] = std::isfinite(s.lag) ? json(s.lag) : json(nullptr);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace nebula::decision

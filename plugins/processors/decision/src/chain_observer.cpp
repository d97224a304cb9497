#include "nebula_decision/chain_observer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "reason_text.hpp"

namespace nebula::decision {

namespace {

using nlohmann::json;

// No block for this many expected intervals: the chain itself has stopped.
constexpr double kHaltedRatio = 10;

double first_finite(std::initializer_list<double> values) {
  for (double v : values)
    if (std::isfinite(v)) return v;
  return kUnknown;
}

json maybe(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

struct ChainIncidents {
  std::map<std::string, int> by_kind;
  std::set<std::string> nodes;
  int partitions = 0;
  double earliest = kUnknown;
};

std::map<std::string, ChainIncidents> group_incidents(const IncidentRefs& active) {
  std::map<std::string, ChainIncidents> out;
  for (const IncidentView& inc : active) {
    if (inc.chain_id.empty()) continue;
    auto& c = out[inc.chain_id];
    ++c.by_kind[inc.kind];
    if (!inc.node_id.empty()) c.nodes.insert(inc.node_id);
    for (const auto& n : inc.nodes) c.nodes.insert(n);
    if (inc.kind == "partition") ++c.partitions;
    if (!(c.earliest <= inc.start)) c.earliest = inc.start;
  }
  return out;
}

}  // namespace

ChainObservations observe_chains(const std::map<std::string, ChainInputs>& chains,
                                 const IncidentRefs& active, const DecisionConfig& config) {
  ChainObservations out;
  const auto incidents = group_incidents(active);
  std::set<std::string> ids;
  for (const auto& [id, in] : chains) ids.insert(id);
  for (const auto& [id, c] : incidents) ids.insert(id);

  for (const auto& id : ids) {
    const ChainInputs in = chains.count(id) ? chains.at(id) : ChainInputs{};
    const ChainIncidents inc = incidents.count(id) ? incidents.at(id) : ChainIncidents{};
    const PatternChainFacts pat = in.patterns ? *in.patterns : PatternChainFacts{};
    const BlockFacts blk = in.blocks ? *in.blocks : BlockFacts{};

    const double expected = first_finite({pat.expected_interval_s, blk.expected_interval_s});
    const double observed = first_finite({blk.observed_interval_s, pat.observed_interval_s});
    const double ratio = expected > 0 ? observed / expected : kUnknown;
    const double nodes = pat.nodes;
    const int affected = static_cast<int>(inc.nodes.size());
    const double share = nodes > 0 ? affected / nodes : kUnknown;
    const int net_partitions = in.network ? static_cast<int>(in.network->partitions.size()) : 0;
    const int hash_drops = inc.by_kind.count("hashrate_drop") ? inc.by_kind.at("hashrate_drop") : 0;

    std::vector<std::string> notes;
    if (std::isfinite(ratio))
      notes.push_back("Blocks arrive every " + num(observed, 1) + " s vs " + num(expected, 1) + " s expected (" +
                      num(ratio, 2) + "x).");
    if (affected > 0) {
      std::string kinds;
      for (const auto& [k, n] : inc.by_kind) kinds += (kinds.empty() ? "" : ", ") + k + " x" + std::to_string(n);
      notes.push_back(std::to_string(affected) + (std::isfinite(nodes) ? " of " + num(nodes, 0) : "") +
                      " nodes have open incidents (" + kinds + ").");
    }
    if (inc.partitions + net_partitions > 0) notes.push_back("Part of the network is split off (partition).");
    if (hash_drops >= 2)
      notes.push_back("Hash rate dropped on " + std::to_string(hash_drops) + " nodes: mining power is leaving the chain.");
    if (!blk.stalled.empty()) notes.push_back(std::to_string(blk.stalled.size()) + " nodes reported stalled by block data.");

    std::string status = "healthy";
    double score = 0;
    if (std::isfinite(ratio) && ratio >= kHaltedRatio) {
      status = "halted";
      score = 0.85;
    } else if (inc.partitions + net_partitions > 0) {
      status = "partitioned";
    } else if (std::isfinite(ratio) && ratio >= config.slow_chain_factor) {
      status = "slow_blocks";
      score = 0.45 + 0.3 * std::min(1.0, (ratio - config.slow_chain_factor) / config.slow_chain_factor);
    } else if (std::isfinite(share) && share >= config.chain_incident_share && affected >= 2) {
      status = "degraded";
      score = 0.4 + 0.3 * std::min(1.0, share);
    }
    if (hash_drops >= 2) score = std::max(score, 0.5);

    json sources = json::array();
    if (in.patterns) sources.push_back("patterns");
    if (in.blocks) sources.push_back("block_data");
    if (in.network) sources.push_back("network");
    json obs = {{"chain_id", id},
                {"status", status},
                {"tip_height", maybe(first_finite({pat.tip_height, blk.tip_height}))},
                {"expected_interval_s", maybe(expected)},
                {"observed_interval_s", maybe(observed)},
                {"interval_ratio", maybe(ratio)},
                {"nodes", maybe(nodes)},
                {"nodes_with_incidents", affected},
                {"incidents", inc.by_kind},
                {"stalled_nodes", blk.stalled.size()},
                {"lagging_nodes", maybe(blk.lagging_count)},
                {"isolated_nodes", in.network ? in.network->isolated.size() : 0},
                {"partitions", inc.partitions + net_partitions},
                {"latency_ms", in.network ? in.network->latency : json(nullptr)},
                {"notes", notes},
                {"sources", sources}};
    out.observations.push_back(std::move(obs));

    // A partition already has its own "investigate"; the others get observe_chain.
    if (score > 0) {
      Recommendation r;
      r.action = Action::ObserveChain;
      r.target = id;
      r.chain_target = true;
      r.chain_id = id;
      r.score = score;
      std::string why;
      for (const auto& n : notes) why += (why.empty() ? "" : " ") + n;
      r.reason = "Chain " + id + " looks " + (hash_drops >= 2 && status == "healthy" ? "at risk" : status) + ": " +
                 why + " Watch block production and consensus closely.";
      r.since = std::isfinite(inc.earliest) ? inc.earliest : 0;
      r.evidence = {{"incidents", json::array()},
                    {"sources", sources},
                    {"status", status},
                    {"interval_ratio", maybe(ratio)},
                    {"nodes_with_incidents", affected}};
      out.recommendations.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace nebula::decision

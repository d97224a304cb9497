#include "nebula_decision/chain_facts.hpp"

#include <cmath>

#include "nebula_decision/json_read.hpp"

namespace nebula::decision {

using nlohmann::json;

std::map<std::string, NetworkFacts> parse_network(const json& doc, double at) {
  std::map<std::string, NetworkFacts> out;
  for (const auto& [chain_id, c] : chain_entries(doc)) {
    NetworkFacts f;
    f.at = at;
    f.isolated = node_list(field_at(*c, {"isolated_nodes", "isolated"}));
    if (const auto* parts = field_at(*c, {"partitions"}); parts && parts->is_array()) {
      for (const auto& p : *parts) {
        auto members = node_list(field_at(p, {"nodes"}));
        if (!members.empty()) f.partitions.push_back(std::move(members));
      }
    }
    if (const auto* lat = field_at(*c, {"latency_quantiles", "latency_ms", "latency"}); lat && lat->is_object())
      f.latency = *lat;
    out.emplace(chain_id, std::move(f));
  }
  return out;
}

std::map<std::string, BlockFacts> parse_block_data(const json& doc, double at) {
  std::map<std::string, BlockFacts> out;
  for (const auto& [chain_id, c] : chain_entries(doc)) {
    BlockFacts f;
    f.at = at;
    f.tip_height = number_at(*c, {"tip_height", "tip"});
    if (const auto* iv = field_at(*c, {"block_interval_s", "block_interval", "interval"}); iv && iv->is_object()) {
      f.expected_interval_s = number_at(*iv, {"expected", "expected_s"});
      f.observed_interval_s = number_at(*iv, {"observed", "observed_s"});
    }
    if (std::isnan(f.expected_interval_s))
      f.expected_interval_s = number_at(*c, {"expected_interval_s", "expected_block_interval_s"});
    if (std::isnan(f.observed_interval_s))
      f.observed_interval_s = number_at(*c, {"observed_interval_s", "observed_block_interval_s"});
    if (const auto* st = field_at(*c, {"stalled", "stalled_nodes"}); st && st->is_array()) {
      for (const auto& s : *st) {
        StalledNode n;
        n.node_id = s.is_string() ? s.get<std::string>() : text_at(s, {"node_id", "node", "id"});
        if (n.node_id.empty()) continue;
        n.stalled_for_s = number_at(s, {"stalled_for_s", "duration_s"});
        n.lag = number_at(s, {"lag", "blocks_behind"});
        f.stalled.push_back(std::move(n));
      }
    }
    if (const auto* lag = field_at(*c, {"lagging_nodes", "lagging"})) {
      if (lag->is_number()) f.lagging_count = lag->get<double>();
      else f.lagging = node_list(lag);
    }
    if (f.lagging.empty()) f.lagging = node_list(field_at(*c, {"worst_lagging"}));
    if (std::isnan(f.lagging_count) && !f.lagging.empty()) f.lagging_count = static_cast<double>(f.lagging.size());
    out.emplace(chain_id, std::move(f));
  }
  return out;
}

std::map<std::string, PatternChainFacts> parse_pattern_chains(const json& doc, double at) {
  std::map<std::string, PatternChainFacts> out;
  for (const auto& [chain_id, c] : chain_entries(doc)) {
    PatternChainFacts f;
    f.at = at;
    f.tip_height = number_at(*c, {"tip_height"});
    f.expected_interval_s = number_at(*c, {"expected_interval_s"});
    f.observed_interval_s = number_at(*c, {"observed_interval_s"});
    f.nodes = number_at(*c, {"nodes"});
    out.emplace(chain_id, f);
  }
  return out;
}

}  // namespace nebula::decision

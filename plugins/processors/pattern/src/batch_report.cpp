#include "nebula_pattern/batch_report.hpp"

#include <cmath>

#include <nebula/json_numbers.hpp>

namespace nebula::pattern {

namespace {

nlohmann::json list(const std::vector<Incident>& incidents, std::size_t max_listed, std::size_t* cut) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < incidents.size() && i < max_listed; ++i) out.push_back(to_json(incidents[i]));
  *cut = incidents.size() > max_listed ? incidents.size() - max_listed : 0;
  return out;
}

}  // namespace

nlohmann::json to_json(const BatchReport& r, std::size_t max_listed) {
  nlohmann::json j;
  j["kind"] = "patterns";
  j["generated_at"] = number_or_null(r.generated_at);
  std::size_t cut_active = 0, cut_started = 0, cut_ended = 0;
  j["active"] = list(r.active, max_listed, &cut_active);
  j["started"] = list(r.started, max_listed, &cut_started);
  j["ended"] = list(r.ended, max_listed, &cut_ended);
  if (cut_active + cut_started + cut_ended > 0)
    j["truncated"] = {{"active", cut_active}, {"started", cut_started}, {"ended", cut_ended}};
  nlohmann::json chains = nlohmann::json::object();
  for (const auto& c : r.chains)
    chains[c.chain_id] = {{"tip_height", number_or_null(c.tip_height)},
                          {"expected_interval_s", number_or_null(c.expected_interval_s)},
                          {"observed_interval_s", number_or_null(c.observed_interval_s)},
                          {"nodes", c.nodes}};
  j["chains"] = std::move(chains);
  j["stats"] = {{"records", r.stats.records},
                {"invalid_records", r.stats.invalid_records},
                {"out_of_order", r.stats.out_of_order},
                {"evicted_nodes", r.stats.evicted_nodes},
                {"counter_resets", r.stats.counter_resets},
                {"nodes", r.stats.nodes},
                {"chains", r.stats.chains}};
  return j;
}

}  // namespace nebula::pattern

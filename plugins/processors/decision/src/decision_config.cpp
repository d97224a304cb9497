#include "nebula_decision/decision_config.hpp"

#include "nebula/config_helpers.hpp"
#include "nebula/config_whole_number.hpp"

namespace nebula::decision {

DecisionConfig DecisionConfig::parse(const nlohmann::json& cfg, ConfigErrors* errors) {
  ConfigErrors local;
  ConfigErrors& e = errors ? *errors : local;
  DecisionConfig c;
  config::reject_unknown_keys(cfg,
                              {"topic", "max_recommendations", "max_nodes", "max_chains", "max_sources",
                               "repeat_window_s", "quarantine_after", "quarantine_severity", "input_ttl_s",
                               "slow_chain_factor", "chain_incident_share", "emit_unchanged", "agent_evidence_ttl_s",
                               "agent_score_step"},
                              e);
  c.topic = config::text(cfg, "topic", c.topic, &e);
  if (c.topic.empty()) e.add("/topic", "must not be empty");
  c.max_recommendations = config::whole_number(cfg, "max_recommendations", c.max_recommendations, 1, 10000, &e);
  c.max_nodes = config::whole_number(cfg, "max_nodes", c.max_nodes, 1, 10'000'000, &e);
  c.max_chains = config::whole_number(cfg, "max_chains", c.max_chains, 1, 100000, &e);
  c.max_sources = config::whole_number(cfg, "max_sources", c.max_sources, 1, 1000, &e);
  c.repeat_window_s = config::number(cfg, "repeat_window_s", c.repeat_window_s, 1, 30 * 86400.0, &e);
  c.quarantine_after = config::whole_number(cfg, "quarantine_after", c.quarantine_after, 2, 1000, &e);
  c.quarantine_severity = config::number(cfg, "quarantine_severity", c.quarantine_severity, 0, 1, &e);
  c.input_ttl_s = config::number(cfg, "input_ttl_s", c.input_ttl_s, 1, 7 * 86400.0, &e);
  c.slow_chain_factor = config::number(cfg, "slow_chain_factor", c.slow_chain_factor, 1.01, 1000, &e);
  c.chain_incident_share = config::number(cfg, "chain_incident_share", c.chain_incident_share, 0.01, 1, &e);
  c.emit_unchanged = config::flag(cfg, "emit_unchanged", c.emit_unchanged, &e);
  c.agent_evidence_ttl_s = config::number(cfg, "agent_evidence_ttl_s", c.agent_evidence_ttl_s, 1, 7 * 86400.0, &e);
  c.agent_score_step = config::number(cfg, "agent_score_step", c.agent_score_step, 0, 0.2, &e);
  if (!errors && !local.empty()) throw Error(NEBULA_INVALID, local.text());
  return c;
}

}  // namespace nebula::decision

// Config keys every agent accepts (model size, training schedule,
// optimisation, threads), validated with JSON pointers like the rest of
// the pool: unknown keys are errors.
#pragma once

#include <string>
#include <vector>

#include <nebula/host.hpp>
#include <nlohmann/json.hpp>

#include "nebula_agents/evidence_publisher.hpp"
#include "nebula_agents/evolving_model.hpp"
#include "nebula_agents/federation_settings.hpp"

namespace nebula::agents {

struct AgentSettings {
  ModelSettings model;
  int torch_threads = 1;    // intra-op threads of the training thread (at::set_num_threads)
  size_t max_nodes = 10000; // per-node tables are bounded; least recently seen evicted
  FederationSettings federation;  // parameter averaging across hosts (off by default)
  PublishSettings publish;        // publish_interval_s, publish_max_nodes: the evidence insight after learn()
};

// The shared keys; an agent adds its own through `extra_keys`.
const std::vector<std::string>& common_setting_keys();

// Checks the shared keys and rejects keys that are neither shared nor extra.
void validate_settings(const nlohmann::json& cfg, const std::vector<std::string>& extra_keys, ConfigErrors& errors);

// Expects a config that passed validate_settings. `defaults` carries the
// agent's architecture (inputs/outputs fixed, hidden overridable by "hidden").
AgentSettings parse_settings(const nlohmann::json& cfg, const ModelSettings& defaults);

}  // namespace nebula::agents

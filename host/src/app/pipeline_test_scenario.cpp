#include "app/pipeline_test_scenario.hpp"

#include <cmath>
#include <stdexcept>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/wire.hpp>

namespace nebula::host {
namespace {

nebula_sim::FleetConfig fleet_config(const Scenario& s) {
  nebula_sim::FleetConfig cfg;
  cfg.testnet_nodes = s.testnet_nodes;
  cfg.mainnet_nodes = s.mainnet_nodes;
  cfg.basic_nodes = s.basic_nodes;
  cfg.full_nodes = s.full_nodes;
  cfg.simple_nodes = s.simple_nodes;
  cfg.seed = s.seed;
  cfg.sample_interval = s.sample_interval_s;
  if (s.start_time) cfg.start_time = *s.start_time;
  cfg.restart_rate_per_node_hour = s.restarts_per_node_hour;
  cfg.incidents.random = s.random_incidents;
  for (const auto& in : s.incidents) {
    auto kind = nebula_sim::parse_incident_kind(in.kind);
    if (!kind)
      throw std::invalid_argument("unknown incident kind '" + in.kind +
                                  "' (stall, eclipse, partition, tx_flood, hashrate_drop, hashrate_surge, "
                                  "resource_exhaustion)");
    nebula_sim::Incident incident;
    incident.kind = *kind;
    incident.chain_id = in.chain;
    incident.nodes = in.nodes;
    incident.start = cfg.start_time + in.start_s;
    incident.end = incident.start + in.duration_s;
    incident.magnitude = in.magnitude;
    cfg.incidents.scripted.push_back(std::move(incident));
  }
  return cfg;
}

}  // namespace

ScenarioPayloads::ScenarioPayloads(const Scenario& scenario)
    : fleet_(std::make_unique<nebula_sim::Fleet>(fleet_config(scenario))),
      steps_(static_cast<size_t>(std::ceil(scenario.duration_s / scenario.sample_interval_s))) {}

ScenarioPayloads::~ScenarioPayloads() = default;

bool ScenarioPayloads::next(std::string& payload) {
  if (taken_ == steps_) return false;
  ++taken_;
  payload.clear();
  for (const auto& record : fleet_->step()) {
    payload += nebula_sim::to_wire(record).dump();
    payload += '\n';
  }
  return true;
}

}  // namespace nebula::host

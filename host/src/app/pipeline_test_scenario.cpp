#include "app/pipeline_test_scenario.hpp"

#include <cmath>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/fleet_builder.hpp>
#include <nebula_sim/wire.hpp>

namespace nebula::host {
namespace {

nebula_sim::FleetConfig fleet_config(const Scenario& s) {
  nebula_sim::FleetBuilder fleet;
  fleet.nodes({s.testnet_nodes, s.mainnet_nodes, s.basic_nodes, s.full_nodes, s.simple_nodes})
      .seed(s.seed)
      .sample_interval(s.sample_interval_s)
      .restarts_per_node_hour(s.restarts_per_node_hour)
      .random_incidents(s.random_incidents);
  if (s.start_time) fleet.start_time(*s.start_time);
  for (const auto& in : s.incidents) fleet.incident(in.kind, in.chain, in.nodes, in.start_s, in.duration_s, in.magnitude);
  return fleet.build();
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

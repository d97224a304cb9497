#include "nebula_sim/fleet_builder.hpp"

#include <stdexcept>
#include <utility>

namespace nebula_sim {

FleetBuilder& FleetBuilder::nodes(const NodeCounts& counts) {
  config_.testnet_nodes = counts.testnet;
  config_.mainnet_nodes = counts.mainnet;
  config_.basic_nodes = counts.basic;
  config_.full_nodes = counts.full;
  config_.simple_nodes = counts.simple;
  return *this;
}

FleetBuilder& FleetBuilder::seed(std::uint64_t seed) {
  config_.seed = seed;
  return *this;
}

FleetBuilder& FleetBuilder::sample_interval(double seconds) {
  config_.sample_interval = seconds;
  return *this;
}

FleetBuilder& FleetBuilder::start_time(double unix_seconds) {
  config_.start_time = unix_seconds;
  return *this;
}

FleetBuilder& FleetBuilder::restarts_per_node_hour(double rate) {
  config_.restart_rate_per_node_hour = rate;
  return *this;
}

FleetBuilder& FleetBuilder::random_incidents(bool on) {
  config_.incidents.random = on;
  return *this;
}

FleetBuilder& FleetBuilder::incident_rate(double per_node_hour) {
  config_.incidents.rate_per_node_hour = per_node_hour;
  return *this;
}

FleetBuilder& FleetBuilder::incident(IncidentKind kind, std::string chain_id, std::vector<std::string> nodes,
                                     double start_s, double duration_s, double magnitude) {
  Incident incident;
  incident.kind = kind;
  incident.chain_id = std::move(chain_id);
  incident.nodes = std::move(nodes);
  incident.magnitude = magnitude;
  scripted_.push_back({std::move(incident), start_s, duration_s});
  return *this;
}

FleetBuilder& FleetBuilder::incident(std::string_view kind, std::string chain_id, std::vector<std::string> nodes,
                                     double start_s, double duration_s, double magnitude) {
  const auto parsed = parse_incident_kind(kind);
  if (!parsed) {
    std::string known;
    for (IncidentKind k : kAllIncidentKinds) known += (known.empty() ? "" : ", ") + std::string(to_string(k));
    throw std::invalid_argument("unknown incident kind '" + std::string(kind) + "' (" + known + ")");
  }
  return incident(*parsed, std::move(chain_id), std::move(nodes), start_s, duration_s, magnitude);
}

FleetConfig FleetBuilder::build() const {
  FleetConfig config = config_;
  for (const auto& s : scripted_) {
    Incident incident = s.incident;
    incident.start = config.start_time + s.start_s;
    incident.end = incident.start + s.duration_s;
    config.incidents.scripted.push_back(std::move(incident));
  }
  return config;
}

}  // namespace nebula_sim

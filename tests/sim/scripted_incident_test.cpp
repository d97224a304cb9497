// Explicit incident plans: validation, default magnitudes, chain-wide floods.
#include <gtest/gtest.h>

#include <stdexcept>

#include "sim_test_support.hpp"

using nebula_sim::FleetConfig;
using nebula_sim::Incident;
using nebula_sim::IncidentKind;

namespace {

FleetConfig small_config() {
  FleetConfig config;
  config.testnet_nodes = 4;
  config.mainnet_nodes = 4;
  config.basic_nodes = 2;
  config.full_nodes = 2;
  config.seed = 99;
  config.incidents.random = false;
  config.restart_rate_per_node_hour = 0.0;
  return config;
}

Incident make(IncidentKind kind, std::string chain, std::vector<std::string> nodes, double start,
              double end) {
  Incident incident;
  incident.kind = kind;
  incident.chain_id = std::move(chain);
  incident.nodes = std::move(nodes);
  incident.start = start;
  incident.end = end;
  return incident;
}

void expect_rejected(const Incident& incident) {
  FleetConfig config = small_config();
  config.incidents.scripted = {incident};
  EXPECT_THROW(nebula_sim::Fleet{config}, std::invalid_argument);
}

}  // namespace

TEST(ScriptedIncidents, BadIncidentsAreRejected) {
  const double t0 = small_config().start_time + 60;
  expect_rejected(make(IncidentKind::Stall, "testnet", {"testnet-99999"}, t0, t0 + 60));
  expect_rejected(make(IncidentKind::Stall, "mainnet", {"testnet-00000"}, t0, t0 + 60));
  expect_rejected(make(IncidentKind::HashrateDrop, "testnet", {"basic-00000"}, t0, t0 + 60));
  expect_rejected(make(IncidentKind::Partition, "testnet", {"testnet-00000", "testnet-00001"}, t0, t0 + 60));
  expect_rejected(make(IncidentKind::Stall, "testnet", {}, t0, t0 + 60));
  expect_rejected(make(IncidentKind::Stall, "testnet", {"testnet-00000"}, t0 + 60, t0));
  expect_rejected(make(IncidentKind::Stall, "nochain", {"testnet-00000"}, t0, t0 + 60));

  FleetConfig overlapping = small_config();
  overlapping.incidents.scripted = {
      make(IncidentKind::Stall, "testnet", {"testnet-00000"}, t0, t0 + 120),
      make(IncidentKind::Eclipse, "testnet", {"testnet-00000"}, t0 + 60, t0 + 180)};
  EXPECT_THROW(nebula_sim::Fleet{overlapping}, std::invalid_argument);
}

TEST(ScriptedIncidents, DefaultsFillMagnitudeAndLabelsFollow) {
  FleetConfig config = small_config();
  const double t0 = config.start_time + 100;
  config.incidents.scripted = {
      make(IncidentKind::HashrateSurge, "mainnet", {"mainnet-00001"}, t0, t0 + 300),
      make(IncidentKind::Partition, "testnet", {"testnet-00000", "testnet-00001", "basic-00000"}, t0,
           t0 + 300)};
  nebula_sim::Fleet fleet(config);
  ASSERT_EQ(fleet.incidents().size(), 2u);
  EXPECT_EQ(fleet.incidents()[0].magnitude, 3.0);
  IncidentKind kind{};
  EXPECT_TRUE(fleet.in_incident("basic-00000", t0 + 10, &kind));
  EXPECT_EQ(kind, IncidentKind::Partition);
  EXPECT_FALSE(fleet.in_incident("basic-00001", t0 + 10));  // mainnet, not in the group
  EXPECT_TRUE(fleet.ground_truth().empty());                  // nothing has started yet
  for (int s = 0; s < 40; ++s) fleet.step();
  EXPECT_EQ(fleet.ground_truth().size(), 2u);
}

TEST(ScriptedIncidents, ChainWideFloodRaisesEveryNodesTxRate) {
  FleetConfig config = small_config();
  const double t0 = config.start_time + 1800;
  Incident flood = make(IncidentKind::TxFlood, "mainnet", {}, t0, t0 + 1200);
  flood.magnitude = 8.0;
  config.incidents.scripted = {flood};
  sim_test::Run run(config);
  run.advance(720);  // one hour: 30 min quiet, 20 min flood, 10 min after

  const auto json = nebula_sim::to_json(run.fleet.incidents().front());
  EXPECT_TRUE(json.at("node_id").is_null());
  EXPECT_TRUE(json.at("nodes").empty());

  for (const auto& series : run.series) {
    const auto& first = series.front();
    EXPECT_EQ(run.fleet.in_incident(first.node_id, t0 + 1), first.chain_id == "mainnet");
    if (first.minimal() || first.chain_id != "mainnet") continue;
    const auto quiet = sim_test::between(series, t0 - 1200, t0);
    const auto busy = sim_test::between(series, t0, t0 + 1200);
    const auto txs = [](const std::vector<nebula_sim::SimRecord>& r) {
      return static_cast<double>(r.back().transaction_count - r.front().transaction_count);
    };
    // Blocks cap at 4000 tx, so the rise is at least capacity-limited x5.
    EXPECT_GT(txs(busy), 4.0 * txs(quiet)) << first.node_id;
  }
}

TEST(ScriptedIncidents, RandomPlanAvoidsScriptedWindows) {
  FleetConfig config = small_config();
  config.incidents.random = true;
  config.incidents.rate_per_node_hour = 2.0;  // crowded on purpose
  const double t0 = config.start_time + 1200;
  config.incidents.scripted = {make(IncidentKind::Stall, "testnet", {"testnet-00002"}, t0, t0 + 1800)};
  nebula_sim::Fleet fleet(config);
  for (int s = 0; s < 1440; ++s) fleet.step();
  for (const Incident& incident : fleet.incidents()) {
    if (&incident == &fleet.incidents().front()) continue;
    for (const std::string& id : incident.nodes) {
      if (id != "testnet-00002") continue;
      EXPECT_TRUE(incident.end + config.incidents.cooldown <= t0 ||
                  incident.start >= t0 + 1800 + config.incidents.cooldown);
    }
  }
}

TEST(ScriptedIncidents, BadConfigIsRejected) {
  FleetConfig config = small_config();
  config.sample_interval = 0;
  EXPECT_THROW(nebula_sim::Fleet{config}, std::invalid_argument);
  config = small_config();
  config.mainnet.chain_id = "testnet";
  EXPECT_THROW(nebula_sim::Fleet{config}, std::invalid_argument);
}

// Resonant: latency / peer expectations and network health on simulated
// fleets (real processor logic upstream).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "agent_plugin_checks.hpp"
#include "fleet_feed.hpp"
#include "model_probe.hpp"
#include "resonant_engine.hpp"

namespace {

using namespace nebula::agents::testing;
using nebula::resonant::ResonantEngine;

constexpr int kHourSteps = 720;

ResonantEngine make_engine(nlohmann::json cfg = nlohmann::json::object()) {
  return ResonantEngine(nebula::resonant::parse_config(cfg));
}

void train(ResonantEngine& engine, FleetFeed& feed, int steps) {
  std::vector<TopicDoc> batch;
  for (int i = 0; i < steps; ++i)
    for (auto& d : only(feed.step(), {"network", "learning"})) {
      batch.push_back(std::move(d));
      if (batch.size() == 20) {
        engine.learn_batch(agent_inputs(batch, "network"));
        batch.clear();
      }
    }
  if (!batch.empty()) engine.learn_batch(agent_inputs(batch, "network"));
}

TEST(Resonant, ValidationLossFalls) {
  FleetFeed feed(small_fleet(7));
  auto engine = make_engine();
  train(engine, feed, 20);  // the first batch of 20 insights
  std::stringstream early_checkpoint;
  engine.save(early_checkpoint);
  auto early = make_engine();
  early.load(early_checkpoint);
  train(engine, feed, kHourSteps - 20);
  // Both models on the same held-out samples: the final validation reservoir
  // (every 10th example of the last ~25 minutes, never trained on).
  const auto samples = validation_samples(engine.model());
  ASSERT_GT(samples.size(), 500u);
  const double before = loss_on(early.model(), samples), after = loss_on(engine.model(), samples);
  std::printf("resonant val loss on the final validation reservoir: model after the first batch %.4f, after 1 h %.4f\n",
              before, after);
  EXPECT_LT(after, 0.7 * before);
}

TEST(Resonant, NetworkIncidentsLowerHealth) {
  FleetFeed feed(small_fleet(21, 0.5));
  auto engine = make_engine();
  train(engine, feed, kHourSteps);
  double sick = 0, well = 0;
  size_t n_sick = 0, n_well = 0;
  for (int i = 0; i < kHourSteps / 2; ++i) {
    for (auto& [topic, doc] : only(feed.step(), {"network", "learning"})) {
      if (topic == "network") {
        engine.on_network(doc);
        continue;
      }
      const auto examples = examples_of(doc);
      for (const auto& e : examples) {
        nebula_sim::IncidentKind kind;
        // Latency / peers targets describe t+1: label by the next sample's time.
        const bool in = feed.fleet().in_incident(e.node_id, e.timestamp + 5, &kind);
        const double h = engine.assess(e).health;
        if (in && (kind == nebula_sim::IncidentKind::Eclipse || kind == nebula_sim::IncidentKind::Partition)) {
          sick += h;
          ++n_sick;
        } else if (!in) {
          well += h;
          ++n_well;
        }
      }
      engine.learn(examples);
    }
  }
  ASSERT_GT(n_sick, 50u);
  sick /= static_cast<double>(n_sick);
  well /= static_cast<double>(n_well);
  std::printf("resonant held-out mean health: eclipse/partition %.3f (n=%zu), no incident %.3f (n=%zu)\n", sick, n_sick,
              well, n_well);
  EXPECT_GT(well, 0.9);
  EXPECT_LT(sick, well - 0.3);

  const auto worst = engine.query({{"limit", 3}});
  ASSERT_EQ(worst["nodes"].size(), 3u);
  EXPECT_LE(worst["nodes"][0]["health"].get<double>(), worst["nodes"][2]["health"].get<double>());
  const auto one = engine.query({{"node_id", "mainnet-00001"}});
  EXPECT_GT(one["latency_ms"]["expected"].get<double>(), 0.0);
  EXPECT_TRUE(one["peers"]["observed"].is_number());
}

class ResonantPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lib_ = new nebula::testing::PluginLibrary(NEBULA_PLUGIN_DIR "/libnebula_agent_resonant.so");
    batches_ = new auto(simulate_batches(5, 240, {"network", "learning"}));
  }
  static const nebula_plugin_descriptor* desc() { return lib_->find("nebula.agent.resonant"); }
  static inline nebula::testing::PluginLibrary* lib_ = nullptr;
  static inline std::vector<std::vector<EmittedInsight>>* batches_ = nullptr;
};

TEST_F(ResonantPlugin, DescribesItself) {
  EXPECT_STREQ(desc()->id, "nebula.agent.resonant");
  EXPECT_EQ(desc()->kind, NEBULA_KIND_AGENT);
}

// `batch` with one node eclipsed, as the pattern recognizer flags it: latency
// x20, one peer left. Flagged examples are judged but not learned from.
std::vector<EmittedInsight> with_sick_node(const std::vector<EmittedInsight>& batch, const std::string& node) {
  std::vector<EmittedInsight> out = batch;
  for (auto& in : out) {
    if (in.topic != "learning") continue;
    auto doc = nlohmann::json::parse(in.json);
    for (auto& e : doc["examples"]) {
      if (e["node_id"] != node || !e["targets"]["next_latency"].is_number()) continue;
      e["targets"]["next_latency"] = e["targets"]["next_latency"].get<double>() * 20;
      e["targets"]["next_peers"] = 1;
      e["anomaly"] = {{"active", true}, {"kinds", {"eclipse"}}};
    }
    in.json = doc.dump();
  }
  return out;
}

// nodes_by_health against the query, which lists every node (those not yet
// assessed at health 1): the bands below "healthy" match it exactly.
void expect_bands_match_query(const nebula::testing::MockHost& host, nebula::testing::Instance& inst) {
  std::map<std::string, double> listed;
  const auto all = inst.query({{"limit", 100000}});
  for (const auto& n : all["nodes"]) listed[nebula::resonant::health_band(n["health"].get<double>())] += 1;
  EXPECT_DOUBLE_EQ(host.metric("nodes_by_health", {"degraded"}), listed["degraded"]);
  EXPECT_DOUBLE_EQ(host.metric("nodes_by_health", {"unhealthy"}), listed["unhealthy"]);
  EXPECT_LE(host.metric("nodes_by_health", {"healthy"}), listed["healthy"]);
}

TEST_F(ResonantPlugin, NodesByHealthCountsTheAssessedNodesInEveryBand) {
  nebula::testing::MockHost host;
  auto inst = host.create(desc());
  EXPECT_EQ(host.metric_type("nodes_by_health"), NEBULA_METRIC_GAUGE);
  EXPECT_EQ(host.metric_labels("nodes_by_health"), std::vector<std::string>{"band"});
  const size_t sick_at = batches_->size() - 8;
  learn_all(inst, *batches_, 0, sick_at);
  EXPECT_EQ(host.metric_series("nodes_by_health").size(), 3u) << "every band, 0 when empty";
  expect_bands_match_query(host, inst);
  const double unhealthy_before = host.metric("nodes_by_health", {"unhealthy"});

  const std::string sick = "testnet-00000";
  ASSERT_GE(inst.query({{"node_id", sick}})["health"].get<double>(), 0.8);
  for (size_t b = sick_at; b < sick_at + 2; ++b) ASSERT_EQ(inst.learn(with_sick_node((*batches_)[b], sick)), NEBULA_OK);
  EXPECT_LT(inst.query({{"node_id", sick}})["health"].get<double>(), 0.4);
  EXPECT_GE(host.metric("nodes_by_health", {"unhealthy"}), unhealthy_before + 1);
  expect_bands_match_query(host, inst);

  learn_all(inst, *batches_, sick_at + 2);  // normal again: its health recovers, its band empties
  EXPECT_GE(inst.query({{"node_id", sick}})["health"].get<double>(), 0.8);
  expect_bands_match_query(host, inst);
}

TEST_F(ResonantPlugin, QueriesAndStatsAreSafeDuringTraining) { check_concurrent_queries(desc(), *batches_); }

TEST_F(ResonantPlugin, CheckpointRoundTrip) { check_checkpoint_round_trip(desc(), "{}", *batches_, 0.8); }

TEST_F(ResonantPlugin, DamagedCheckpointIsRefusedAndAgentStaysUsable) {
  check_damaged_checkpoints(desc(), "{}", *batches_, {{"limit", 3}});
}

TEST_F(ResonantPlugin, OptimisationPromotesOnlyOnBetterValidationLossAndRollsBack) {
  check_optimisation_and_rollback(desc(), nlohmann::json::object(), *batches_);
}

}  // namespace

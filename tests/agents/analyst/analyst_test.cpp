// Analyst: anomaly scores on simulated fleets (real processor logic
// upstream), judged against the simulator's incident labels, which the
// model never sees.
#include <gtest/gtest.h>

#include <sstream>

#include <cmath>

#include "agent_plugin_checks.hpp"
#include "analyst_engine.hpp"
#include "fleet_feed.hpp"
#include "model_probe.hpp"
#include "roc_auc.hpp"

namespace {

using namespace nebula::agents::testing;
using nebula::analyst::AnalystEngine;

constexpr int kHourSteps = 720;

AnalystEngine make_engine(nlohmann::json cfg = nlohmann::json::object()) {
  return AnalystEngine(nebula::analyst::parse_config(cfg));
}

nebula::analyst::PatternUpdate patterns_of(const nlohmann::json& doc) {
  return nebula::analyst::read_pattern_update(doc.dump()).value();
}

// "node:kind,kind node:kind", "no active" or "not json".
std::string render(const std::optional<nebula::analyst::PatternUpdate>& u) {
  if (!u) return "not json";
  if (!u->has_active) return "no active";
  std::string out;
  for (const auto& [node, kinds] : u->active) {
    out += (out.empty() ? "" : " ") + node + ":";
    for (const auto& k : kinds) out += (out.back() == ':' ? "" : ",") + k;
  }
  return out;
}

// The `patterns` insight read without a DOM; each expected result is what the
// analyst's nlohmann DOM walker gave (compared on these and 20 of the pool's
// real patterns insights before it was deleted, #15).
TEST(Analyst, ReadsPatternUpdatesAsItsDomReaderDid) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"", "not json"},
      {R"({"active":[)", "not json"},
      {"[]", "no active"},
      {R"({"active":{}})", "no active"},
      {R"({"active":[]})", ""},
      {R"({"active":[1,"x",null,{},{"kind":5,"node_id":"a"},{"kind":"k"},{"kind":"k","node_id":5},)"
       R"({"kind":"k","node_id":"a","nodes":["b",3,"c","a"]}]})",
       "a:k b:k c:k"},
      {R"({"active":[{"kind":"k","kind":"j","node_id":"a","node_id":"b"}],"active":[{"kind":"z","nodes":["q"],"nodes":"r"}]})", ""},
      {R"({"active":[{"kind":"k","kind":"j","node_id":"a","node_id":"b"}]})", "b:j"},
      {R"({"active":[{"kind":"k","node_id":"a"}],"active":5})", "no active"},
      {R"({"active":[{"kind":"k","node_id":"a"},{"kind":"k2","node_id":"a"},{"kind":"k","nodes":["a"]}]})", "a:k,k2"},
      {"\xef\xbb\xbf{\"active\":[{\"kind\":\"k\",\"node_id\":\"a\"}]}", "a:k"},
      {R"({"active":[{"kind":"k","node_id":"a","x":100000000000000000000}]})", "a:k"},
  };
  for (const auto& [text, expected] : table)
    EXPECT_EQ(render(nebula::analyst::read_pattern_update(text)), expected) << text;
}

void train(AnalystEngine& engine, FleetFeed& feed, int steps, std::vector<double>* val = nullptr) {
  std::vector<TopicDoc> batch;
  auto flush = [&] {
    engine.learn_batch(agent_inputs(batch, "patterns", nebula::analyst::read_pattern_update));
    batch.clear();
    if (val && engine.stats()["val_loss"].is_number()) val->push_back(engine.stats()["val_loss"].get<double>());
  };
  for (int i = 0; i < steps; ++i)
    for (auto& d : only(feed.step(), {"patterns", "learning"})) {
      batch.push_back(std::move(d));
      if (batch.size() == 20) flush();
    }
  if (!batch.empty()) flush();
}

struct HeldOut {
  std::vector<std::pair<double, bool>> combined, autoencoder, patterns_only;
};

// Scores the next `steps` of the fleet before the agent sees each example;
// only node baselines move (no training).
HeldOut score_held_out(AnalystEngine& engine, FleetFeed& feed, int steps) {
  HeldOut h;
  for (int i = 0; i < steps; ++i)
    for (auto& [topic, doc] : feed.step()) {
      if (topic == "patterns") engine.on_patterns(patterns_of(doc), "patterns");
      if (topic != "learning") continue;
      const auto examples = examples_of(doc);
      for (const auto& e : examples) {
        const auto s = engine.score(e);
        const bool label = feed.fleet().in_incident(e.node_id, e.timestamp);
        h.combined.emplace_back(s.score, label);
        h.autoencoder.emplace_back(s.autoencoder + 1e-9 * s.reconstruction_z, label);
        h.patterns_only.emplace_back(s.patterns.empty() ? 0.0 : 1.0, label);
      }
      engine.learn(examples, /*train=*/false);
    }
  return h;
}

TEST(Analyst, ScoresSeparateInjectedIncidentsOnHeldOutData) {
  FleetFeed feed(small_fleet(21, 0.5));
  auto engine = make_engine();
  train(engine, feed, kHourSteps);
  const auto h = score_held_out(engine, feed, kHourSteps / 2);
  size_t positives = 0;
  for (const auto& [s, y] : h.combined) positives += y;
  const double auc = roc_auc(h.combined), auc_ae = roc_auc(h.autoencoder), auc_p = roc_auc(h.patterns_only);
  std::printf("analyst held-out ROC AUC: combined %.3f, autoencoder alone %.3f, patterns alone %.3f (%zu examples, %zu in incidents)\n",
              auc, auc_ae, auc_p, h.combined.size(), positives);
  ASSERT_GT(positives, 200u);
  EXPECT_GE(auc, 0.9);
  EXPECT_GT(auc_ae, 0.75);  // the autoencoder carries real signal on its own
}

TEST(Analyst, ValidationLossFalls) {
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
  std::printf("analyst val loss on the final validation reservoir: model after the first batch %.4f, after 1 h %.4f\n",
              before, after);
  EXPECT_LT(after, 0.7 * before);
}

TEST(Analyst, QueryNamesTheSuspiciousNodesAndTheirDrivers) {
  FleetFeed feed(small_fleet(21, 0.5));
  auto engine = make_engine();
  train(engine, feed, kHourSteps);
  const auto top = engine.query({{"limit", 5}});
  ASSERT_EQ(top["nodes"].size(), 5u);
  EXPECT_GE(top["nodes"][0]["score"].get<double>(), top["nodes"][4]["score"].get<double>());
  const auto& first = top["nodes"][0];
  EXPECT_EQ(first["drivers"].size(), 3u);
  EXPECT_TRUE(first["drivers"][0]["feature"].is_string());
  const auto one = engine.query({{"node_id", first["node_id"]}});
  EXPECT_EQ(one["score"], first["score"]);
  EXPECT_THROW(engine.query({{"node_id", "nope"}}), nebula::Error);
}

TEST(Analyst, ActivePatternRaisesTheScore) {
  FleetFeed feed(small_fleet(3));
  auto engine = make_engine();
  train(engine, feed, 200);
  auto doc = only(feed.step(), {"learning"}).at(0).second;
  auto e = examples_of(doc).at(0);
  e.anomalous = false;
  e.anomaly_kinds.clear();
  engine.on_patterns(patterns_of({{"kind", "patterns"}, {"active", nlohmann::json::array()}}), "p");
  const double before = engine.score(e).score;
  engine.on_patterns(patterns_of({{"kind", "patterns"}, {"active", {{{"kind", "eclipse"}, {"node_id", e.node_id}}}}}), "p");
  const auto after = engine.score(e);
  EXPECT_GE(after.score, 0.7);
  EXPECT_GT(after.score, before);
  EXPECT_EQ(after.patterns, std::vector<std::string>{"eclipse"});
}

TEST(Analyst, PastMaxPatternSourcesTheLeastRecentlyHeardGoesAndIsCounted) {
  FleetFeed feed(small_fleet(3));
  auto engine = make_engine({{"max_pattern_sources", 2}});
  std::vector<nebula::agents::TrainingExample> examples;
  for (int i = 0; i < 10 && examples.empty(); ++i)
    for (const auto& [topic, doc] : only(feed.step(), {"learning"}))
      for (auto& ex : examples_of(doc)) examples.push_back(ex);
  ASSERT_FALSE(examples.empty()) << "the fleet gave no training example";
  auto e = examples.front();
  e.anomaly_kinds.clear();
  auto says = [&](const char* source, const char* kind) {
    engine.on_patterns(patterns_of({{"kind", "patterns"}, {"active", {{{"kind", kind}, {"node_id", e.node_id}}}}}), source);
  };
  says("a", "eclipse");
  says("b", "stall");
  EXPECT_EQ(engine.score(e).patterns, (std::vector<std::string>{"eclipse", "stall"}));
  says("c", "partition");  // a third source: "a" was heard least recently
  EXPECT_EQ(engine.score(e).patterns, (std::vector<std::string>{"partition", "stall"}));
  const auto table = engine.pattern_source_table();
  EXPECT_EQ(table.config_key, "max_pattern_sources");
  EXPECT_EQ(table.size, 2u);
  EXPECT_EQ(table.capacity, 2u);
  EXPECT_EQ(table.evictions, 1u);
}

class AnalystPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lib_ = new nebula::testing::PluginLibrary(NEBULA_PLUGIN_DIR "/libnebula_agent_analyst.so");
    batches_ = new auto(simulate_batches(5, 240, {"patterns", "learning"}));
  }
  static const nebula_plugin_descriptor* desc() { return lib_->find("nebula.agent.analyst"); }
  static inline nebula::testing::PluginLibrary* lib_ = nullptr;
  static inline std::vector<std::vector<EmittedInsight>>* batches_ = nullptr;
};

TEST_F(AnalystPlugin, DescribesItself) {
  EXPECT_STREQ(desc()->id, "nebula.agent.analyst");
  EXPECT_EQ(desc()->kind, NEBULA_KIND_AGENT);
  char err[512] = {0};
  EXPECT_EQ(desc()->validate_config(R"({"pattern_weight":0.5,"drivers":4})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(desc()->validate_config(R"({"pattern_weight":2})", err, sizeof err), NEBULA_INVALID);
}

TEST_F(AnalystPlugin, AnomalousNodesCountsTheNodesScoredAtLeastHalf) {
  nebula::testing::MockHost host;
  auto inst = host.create(desc());
  EXPECT_EQ(host.metric_type("anomalous_nodes"), NEBULA_METRIC_GAUGE);
  EXPECT_TRUE(host.metric_labels("anomalous_nodes").empty());
  learn_all(inst, *batches_);
  const auto scored = inst.query({{"limit", 100000}});
  ASSERT_GT(scored["count"].get<int>(), 0);
  double anomalous = 0;
  for (const auto& n : scored["nodes"]) {
    if (n["score"].get<double>() >= 0.5) anomalous += 1;
  }
  EXPECT_DOUBLE_EQ(host.metric("anomalous_nodes"), anomalous);
  std::printf("analyst anomalous_nodes after 240 steps: %.0f of %d scored\n", anomalous, scored["count"].get<int>());
}

TEST_F(AnalystPlugin, QueriesAndStatsAreSafeDuringTraining) { check_concurrent_queries(desc(), *batches_); }

TEST_F(AnalystPlugin, CheckpointRoundTrip) { check_checkpoint_round_trip(desc(), "{}", *batches_, 0.9); }

TEST_F(AnalystPlugin, DamagedCheckpointIsRefusedAndAgentStaysUsable) {
  check_damaged_checkpoints(desc(), "{}", *batches_, {{"limit", 3}});
}

TEST_F(AnalystPlugin, OptimisationPromotesOnlyOnBetterValidationLossAndRollsBack) {
  check_optimisation_and_rollback(desc(), nlohmann::json::object(), *batches_);
}

}  // namespace

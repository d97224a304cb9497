// Archivist: learns from simulated fleets pushed through the real processor
// logic; quality is asserted by margins on fixed seeds, never by timings.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "agent_plugin_checks.hpp"
#include "archivist_engine.hpp"
#include "fleet_feed.hpp"

namespace {

using namespace nebula::agents::testing;
using nebula::archivist::ArchivistEngine;

constexpr int kHourSteps = 720;  // 1 simulated hour at 5 s per step

ArchivistEngine make_engine(nlohmann::json cfg = nlohmann::json::object()) {
  return ArchivistEngine(nebula::archivist::parse_config(cfg));
}

// Feeds `steps` fleet steps, 20 insights per learn() like the host.
void train(ArchivistEngine& engine, FleetFeed& feed, int steps, std::vector<double>* val_after_batch = nullptr) {
  std::vector<TopicDoc> batch;
  auto flush = [&] {
    engine.learn_batch(agent_inputs(batch, "blockchain"));
    batch.clear();
    if (val_after_batch) {
      const auto v = engine.stats()["val_loss"];
      if (v.is_number()) val_after_batch->push_back(v.get<double>());
    }
  };
  for (int i = 0; i < steps; ++i) {
    for (auto& d : only(feed.step(), {"learning", "blockchain"})) {
      batch.push_back(std::move(d));
      if (batch.size() == 20) flush();
    }
  }
  if (!batch.empty()) flush();
}

TEST(Archivist, ValidationLossFallsOverASimulatedHour) {
  // Fixed held-out set: another simulated fleet (seed 99), never learned from.
  std::vector<nebula::agents::TrainingExample> held_out;
  {
    FleetFeed other(small_fleet(99));
    for (int i = 0; i < 240; ++i)
      for (auto& [topic, doc] : only(other.step(), {"learning"}))
        for (auto& e : examples_of(doc)) held_out.push_back(std::move(e));
  }
  FleetFeed feed(small_fleet(7));
  auto engine = make_engine();
  std::vector<double> val;
  train(engine, feed, 20, &val);  // the first batch of 20 insights
  const double early = engine.evaluate(held_out)["loss"].get<double>();
  const double early_val = val.back();
  train(engine, feed, kHourSteps - 20, &val);
  const double late = engine.evaluate(held_out)["loss"].get<double>();
  std::printf("archivist held-out loss: after the first batch %.4f, after 1 h %.4f (val_loss %.4f -> %.4f)\n", early, late,
              early_val, val.back());
  // Most of what is left is Poisson noise (block arrivals): the floor is
  // reached within minutes, so the margin is modest but must hold.
  EXPECT_LT(late, 0.95 * early);
  const auto s = engine.stats();
  EXPECT_GT(s["steps"].get<int>(), 300);
  EXPECT_TRUE(s["train_loss"].is_number());
  EXPECT_EQ(s["version"], 1);
}

TEST(Archivist, BeatsTheNaiveForecastOnHeldOutData) {
  FleetFeed feed(small_fleet(7));
  auto engine = make_engine();
  train(engine, feed, kHourSteps);
  // Held out: the next 30 simulated minutes are forecast but never trained on.
  double model_b = 0, naive_b = 0, model_t = 0, naive_t = 0;
  size_t nb = 0, nt = 0;
  std::map<std::string, std::pair<double, double>> last_tx;  // node -> (timestamp, increase over the last interval)
  for (int i = 0; i < kHourSteps / 2; ++i) {
    for (auto& [topic, doc] : only(feed.step(), {"learning"})) {
      for (const auto& e : examples_of(doc)) {
        const auto f = engine.forecast(e);
        if (e.next_blocks && e.present[nebula::agents::kBlocks]) {
          model_b += std::abs(f.next_blocks - *e.next_blocks);
          naive_b += std::abs(e.raw[nebula::agents::kBlocks] - *e.next_blocks);
          ++nb;
        }
        auto it = last_tx.find(e.node_id);
        if (e.next_transactions && it != last_tx.end() && e.timestamp - it->second.first <= 10) {
          model_t += std::abs(f.next_transactions - *e.next_transactions);
          naive_t += std::abs(it->second.second - *e.next_transactions);
          ++nt;
        }
        if (e.next_transactions) last_tx[e.node_id] = {e.timestamp, *e.next_transactions};
      }
    }
  }
  ASSERT_GT(nb, 5000u);
  ASSERT_GT(nt, 3000u);
  model_b /= static_cast<double>(nb);
  naive_b /= static_cast<double>(nb);
  model_t /= static_cast<double>(nt);
  naive_t /= static_cast<double>(nt);
  std::printf("archivist held-out MAE: blocks model %.3f naive %.3f (n=%zu); transactions model %.2f naive %.2f (n=%zu)\n",
              model_b, naive_b, nb, model_t, naive_t, nt);
  EXPECT_LT(model_b, 0.85 * naive_b);
  EXPECT_LT(model_t, 0.85 * naive_t);

  // The agent's own prequential numbers tell the same story.
  const auto mae = engine.stats()["recent_mae"];
  EXPECT_LT(mae["next_blocks"]["model"].get<double>(), mae["next_blocks"]["naive"].get<double>());
  EXPECT_LT(mae["next_transactions"]["model"].get<double>(), mae["next_transactions"]["naive"].get<double>());
}

TEST(Archivist, QueriesByNodeChainAndFleet) {
  FleetFeed feed(small_fleet(3));
  auto engine = make_engine();
  train(engine, feed, 120);
  const auto node = engine.query({{"node_id", "testnet-00000"}});
  EXPECT_EQ(node["chain_id"], "testnet");
  EXPECT_GE(node["forecast"]["next_blocks"].get<double>(), 0.0);
  EXPECT_GE(node["forecast"]["next_transactions"].get<double>(), 0.0);
  EXPECT_TRUE(node["recent_mae"]["next_blocks"]["model"].is_number());
  EXPECT_TRUE(node["recent_mae"]["next_blocks"]["naive"].is_number());
  const auto chain = engine.query({{"chain_id", "mainnet"}});
  EXPECT_GT(chain["nodes"].get<int>(), 10);
  // MainNet blocks come every ~30 s: fewer per 5 s interval than TestNet's ~5 s.
  const auto testnet = engine.query({{"chain_id", "testnet"}});
  EXPECT_LT(chain["forecast_per_node"]["next_blocks"].get<double>(),
            testnet["forecast_per_node"]["next_blocks"].get<double>());
  const auto all = engine.query(nlohmann::json::object());
  EXPECT_EQ(all["chains"].size(), 2u);
  EXPECT_EQ(all["model_version"], 1);
  EXPECT_THROW(engine.query({{"node_id", "nope"}}), nebula::Error);
  EXPECT_THROW(engine.query({{"action", "explode"}}), nebula::Error);
}

TEST(Archivist, IgnoresMalformedInput) {
  auto engine = make_engine();
  std::vector<TopicDoc> junk = {
      {"learning", nlohmann::json::array()},
      {"learning", {{"kind", "training_examples"}, {"examples", {1, "x", {{"node_id", 5}}}}}},
      {"learning", {{"kind", "training_examples"}, {"examples", {{{"node_id", "n"}, {"features", {1, 2}}}}}}},
      {"blockchain", {{"kind", "block_data"}}},
      {"learning", {{"kind", "something_else"}}}};
  EXPECT_EQ(engine.learn_batch(agent_inputs(junk, "blockchain")), 0u);
  EXPECT_EQ(engine.stats()["examples_skipped"], 4);
}

class ArchivistPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lib_ = new nebula::testing::PluginLibrary(NEBULA_PLUGIN_DIR "/libnebula_agent_archivist.so");
    batches_ = new auto(simulate_batches(5, 240, {"learning", "blockchain"}));
  }
  static const nebula_plugin_descriptor* desc() { return lib_->find("nebula.agent.archivist"); }
  static inline nebula::testing::PluginLibrary* lib_ = nullptr;
  static inline std::vector<std::vector<EmittedInsight>>* batches_ = nullptr;
};

TEST_F(ArchivistPlugin, DescribesItselfAndSubscribes) {
  EXPECT_STREQ(desc()->id, "nebula.agent.archivist");
  EXPECT_EQ(desc()->kind, NEBULA_KIND_AGENT);
  char err[512] = {0};
  EXPECT_EQ(desc()->validate_config(R"({"hidden":[8],"torch_threads":1})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(desc()->validate_config(R"({"hiden":[8]})", err, sizeof err), NEBULA_INVALID);
  EXPECT_NE(std::string(err).find("hiden"), std::string::npos);
  EXPECT_EQ(desc()->validate_config(R"({"torch_threads":0})", err, sizeof err), NEBULA_INVALID);
}

TEST_F(ArchivistPlugin, QueriesAndStatsAreSafeDuringTraining) { check_concurrent_queries(desc(), *batches_); }

TEST_F(ArchivistPlugin, CheckpointRoundTrip) { check_checkpoint_round_trip(desc(), "{}", *batches_, 0.95); }

TEST_F(ArchivistPlugin, DamagedCheckpointIsRefusedAndAgentStaysUsable) {
  check_damaged_checkpoints(desc(), "{}", *batches_, {{"chain_id", "testnet"}});
}

TEST_F(ArchivistPlugin, OptimisationPromotesOnlyOnBetterValidationLossAndRollsBack) {
  check_optimisation_and_rollback(desc(), nlohmann::json::object(), *batches_);
}

}  // namespace

// The round schedule and merge rules of agents::Federation on plain
// EvolvingModels, with an injected clock (no agent plugin, no waiting).
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include <nebula_test/temp_dir.hpp>

#include "nebula_agents/federation.hpp"

namespace {

using namespace nebula::agents;

constexpr const char* kAgent = "nebula.agent.sched";
constexpr double kEvery = 300, kSettle = 30;


// One member: a model, its normalisation statistics and its federation.
struct Member {
  Member(const std::filesystem::path& dir, const std::string& name, double* clock, RunningStat local_stat)
      : model(settings()),
        local{{"t", local_stat}},
        in_use(local),
        federation({dir.string(), name, kEvery, 3 * kEvery, kSettle}, kAgent, {{"t", 0.05, true, 0}},
                   {[this] { return Normalisation{in_use, local}; }, [this](const StatMap& m) { in_use = m; }},
                   [clock] { return *clock; }) {}

  static ModelSettings settings() {
    ModelSettings s;
    s.architecture = {3, 1, {8}};
    s.learning_rate = 1e-2;
    s.batch_size = 16;
    s.optimise_every = 0;
    return s;
  }
  // y = w . x with this member's own w: the halves see different data.
  void learn(uint64_t seed, double w0, int n = 200) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> x(0, 1);
    for (int i = 0; i < n; ++i) {
      Sample s{{x(rng), x(rng), x(rng)}, {0}, {1}};
      s.y[0] = static_cast<float>(w0 * s.x[0] + 0.5 * s.x[1]);
      model.add(std::move(s));
    }
    model.train(static_cast<size_t>(n));
  }
  void tick() { federation.tick(model); }
  uint32_t crc() const { return parameters_crc32(model.parameters()); }

  EvolvingModel model;
  StatMap local, in_use;
  Federation federation;
};

// Two members whose halves disagree (y = +x0 vs y = -x0) and whose
// statistics differ (100 vs 300 observations).
struct FederationSchedule : ::testing::Test {
  nebula_test::TempDir dir{"nebula-fed"};
  double now = 1000 * kEvery + 10;  // inside a round: nothing is due at start
  Member a{dir.path(), "a", &now, {0.0, 1.0, 100}};
  Member b{dir.path(), "b", &now, {0.5, 4.0, 300}};

  void SetUp() override {
    a.learn(1, 1.0);
    b.learn(2, -1.0);
  }
  static void publish(std::initializer_list<Member*> members) {
    for (Member* m : members) m->federation.request(), m->tick();
  }
  void merge(std::initializer_list<Member*> members) {
    now += kSettle;
    for (Member* m : members) m->tick();
  }
};

TEST_F(FederationSchedule, RoundsStartAtWallClockBoundariesAndMergeAfterSettling) {
  EXPECT_FALSE(a.federation.due());
  now = 1001 * kEvery + 1;  // the next boundary
  ASSERT_TRUE(a.federation.due());
  a.tick();
  b.tick();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "sched" / "a.params"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "sched" / "b.params"));
  EXPECT_EQ(a.model.version(), 1);  // published, not merged yet
  now += kSettle - 1;
  EXPECT_FALSE(a.federation.due());
  now += 1;
  ASSERT_TRUE(a.federation.due());
  a.tick();
  b.tick();
  EXPECT_EQ(a.crc(), b.crc()) << "both members average the same files";
  EXPECT_EQ(a.model.version(), 2);
  const auto& v = a.model.lineage().history().back();
  EXPECT_EQ(v.origin, "federated average of 2 members");
  EXPECT_EQ(v.parent, 1);
  // Statistics combined by counts (100 and 300), not averaged naively.
  EXPECT_EQ(a.in_use.at("t").count, 400u);
  EXPECT_NEAR(a.in_use.at("t").mean, 0.375, 1e-12);
  EXPECT_NEAR(a.in_use.at("t").var, (100 * 1.0 + 300 * 4.0) / 400 + 0.25 * 0.25 * 0.75, 1e-12);
  EXPECT_EQ(b.in_use.at("t").mean, a.in_use.at("t").mean);
  const auto s = a.federation.stats();
  EXPECT_EQ(s["rounds"], 1);
  EXPECT_EQ(s["members_merged"], 2);
  EXPECT_EQ(s["last_round_unix"].get<double>(), now);
  EXPECT_EQ(s["params_crc32"].get<uint32_t>(), a.crc());
  EXPECT_FALSE(a.federation.due());  // until the next boundary
}

TEST_F(FederationSchedule, WhatAMemberLearnsBetweenPublishAndMergeIsKept) {
  publish({&a, &b});
  const auto published = a.model.parameters();
  a.learn(3, 1.0, 64);  // progress after publishing
  const auto progressed = a.model.parameters();
  merge({&a, &b});
  ASSERT_EQ(a.model.version(), 2);
  ASSERT_EQ(b.model.version(), 2);
  // a = average + (progressed - published); b = average. (The first layer:
  // the normalisation moves only the output layer here.)
  const auto& pa = a.model.parameters();
  const auto& pb = b.model.parameters();
  for (size_t i = 0; i < pa[0].weight.size(); ++i)
    EXPECT_NEAR(pa[0].weight[i] - pb[0].weight[i], progressed[0].weight[i] - published[0].weight[i], 1e-5);
  EXPECT_NE(a.crc(), b.crc());
}

TEST_F(FederationSchedule, ANewcomerAdoptsTheFederationModelBeforeItsWeightsCount) {
  publish({&a, &b});
  merge({&a, &b});
  ASSERT_EQ(a.crc(), b.crc());
  a.learn(4, 1.0);
  b.learn(5, -1.0);
  Member late(dir.path(), "c", &now, {0.0, 1.0, 100});  // a fresh host (untrained model)
  late.learn(6, 3.0, 32);
  publish({&a, &b, &late});
  merge({&a, &b, &late});
  EXPECT_EQ(a.crc(), b.crc());
  EXPECT_EQ(late.crc(), a.crc()) << "the newcomer takes the federation's model as it is";
  EXPECT_EQ(a.federation.stats()["members_merged"], 2);
  EXPECT_EQ(late.federation.stats()["members_merged"], 2);
  // Next round it counts like everyone else.
  late.learn(7, 3.0, 32);
  publish({&a, &b, &late});
  merge({&a, &b, &late});
  EXPECT_EQ(a.federation.stats()["members_merged"], 3);
  EXPECT_EQ(late.crc(), a.crc());
}

TEST_F(FederationSchedule, ARoundIsSkippedWhenTheModelChangedSincePublishing) {
  publish({&a, &b});
  merge({&a, &b});  // version 2
  a.learn(3, 1.0);
  b.learn(4, -1.0);
  publish({&a, &b});
  a.model.rollback(1);  // between publish and merge
  merge({&a});
  EXPECT_EQ(a.model.version(), 1);
  EXPECT_EQ(a.federation.stats()["rounds"], 1);
  b.tick();  // b still merges a's published weights
  EXPECT_EQ(b.federation.stats()["rounds"], 2);
  // A file already merged is not merged again.
  b.learn(5, -1.0);
  publish({&b});
  merge({&b});
  EXPECT_EQ(b.federation.stats()["rounds"], 2) << "a's file of the last round was merged already";
}

}  // namespace
